//! A client of the fleet: GraphQL over HTTP and `graphql-transport-ws`, to the balancer or
//! to one named instance, each simulated client naming its own address in
//! `X-Forwarded-For` (the instances trust the balancer's, and this machine's, header).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fleet::Fleet;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub const HOLD: &str = "mutation H($s: ID!, $seats: [ID!]!, $k: String) { holdSeats(showtimeId: $s, seatIds: $seats, idempotencyKey: $k) { id status } }";
pub const CHECKOUT: &str = "mutation C($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { id status } }";
pub const BOOKING: &str = "query B($b: ID!) { booking(id: $b) { id status } }";
pub const SEAT_UPDATES: &str = "subscription($s: ID!) { seatMapUpdates(showtimeId: $s) { snapshot { seats { id status } } changes { seatId status } } }";
pub const MAP: &str = "query M($s: ID!) { showtime(id: $s) { seatMap { seats { id status } } } }";

/// A distinct client address for every simulated client of a run.
pub fn next_addr() -> String {
    static N: AtomicUsize = AtomicUsize::new(1);
    let n = N.fetch_add(1, Ordering::Relaxed) + (std::process::id() as usize % 200) * 65_536;
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// One signed-in (or anonymous) client.
#[derive(Clone)]
pub struct Who {
    pub token: Option<String>,
    pub addr: String,
}

/// A GraphQL request; `Err` when no GraphQL answer came (transport error, 5xx).
pub async fn gql(
    fleet: &Fleet,
    url: &str,
    who: &Who,
    query: &str,
    variables: Value,
) -> Result<Value, String> {
    let mut req = fleet
        .http
        .post(format!("{url}/graphql"))
        .header("x-forwarded-for", &who.addr)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = &who.token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| format!("transport: {e}"))?;
    let status = resp.status();
    if status.is_server_error() {
        return Err(format!("HTTP {status}"));
    }
    resp.json().await.map_err(|e| format!("HTTP {status}: {e}"))
}

/// A GraphQL request that must succeed without errors.
pub async fn ok(fleet: &Fleet, url: &str, who: &Who, query: &str, variables: Value) -> Value {
    let body = gql(fleet, url, who, query, variables).await.unwrap();
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

/// The first error code of an answer, if any.
pub fn error_code(body: &Value) -> Option<String> {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

pub async fn admin(fleet: &Fleet) -> Who {
    let anon = Who {
        token: None,
        addr: next_addr(),
    };
    let data = ok(
        fleet,
        &fleet.balancer(),
        &anon,
        "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
        json!({ "e": fleet.var("ADMIN_EMAIL"), "p": fleet.var("ADMIN_PASSWORD") }),
    )
    .await;
    Who {
        token: Some(data["logIn"]["token"].as_str().unwrap().to_owned()),
        addr: anon.addr,
    }
}

/// `n` new buyer accounts, signed up through the balancer a few at a time.
pub async fn buyers(fleet: &Fleet, n: usize) -> Vec<Who> {
    let mut out = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(4) {
        let signups = chunk.iter().map(|_| async {
            let who = Who {
                token: None,
                addr: next_addr(),
            };
            let email = format!("buyer-{}@fleet.test", uuid::Uuid::new_v4().simple());
            let data = ok(
                fleet,
                &fleet.balancer(),
                &who,
                "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                json!({ "i": { "email": email, "password": "fleet buyer password", "name": "Buyer" } }),
            )
            .await;
            Who {
                token: Some(data["signUp"]["token"].as_str().unwrap().to_owned()),
                addr: who.addr,
            }
        });
        out.extend(futures_util::future::join_all(signups).await);
    }
    out
}

/// A new showtime of `seats` standard seats (rows of 20) two days on, on sale now; its id
/// and its seats' ids.
pub async fn showtime(
    fleet: &Fleet,
    admin: &Who,
    seats: usize,
    waiting_room: bool,
) -> (String, Vec<String>) {
    let url = fleet.balancer();
    let t = ok(fleet, &url, admin, "mutation { createTheatre(input: { name: \"Fleet Palace\", address: \"1 Drill St\", city: \"Fleetville\", state: \"CA\", zip: \"90001\", latitude: 34.0, longitude: -118.0, timezone: \"America/Los_Angeles\" }) { id } }", json!({})).await;
    let theatre = t["createTheatre"]["id"].as_str().unwrap();
    let rows: Vec<Value> = (0..seats.div_ceil(20))
        .map(|r| json!({ "label": format!("R{r}"), "seats": "S".repeat((seats - r * 20).min(20)) }))
        .collect();
    let sc = ok(fleet, &url, admin, "mutation($t: ID!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: \"Main\", layout: $l) { id } }", json!({ "t": theatre, "l": { "rows": rows } })).await;
    let m = ok(fleet, &url, admin, "mutation($t: String!) { createMovie(input: { title: $t, runtimeMinutes: 120, releaseDate: \"2026-01-01\" }) { id } }", json!({ "t": format!("Drill {}", uuid::Uuid::new_v4().simple()) })).await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let st = ok(fleet, &url, admin, "mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }", json!({ "i": { "screenId": sc["createScreen"]["id"], "movieId": m["createMovie"]["id"], "startsAt": starts, "waitingRoom": waiting_room, "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } })).await;
    let id = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let map = ok(fleet, &url, admin, MAP, json!({ "s": id })).await;
    let seats = map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    (id, seats)
}

/// A `graphql-transport-ws` connection to `url` past its `connection_init`.
pub async fn ws(url: &str, who: &Who) -> Result<Socket, String> {
    let mut req = format!("{}/graphql/ws", url.replace("http://", "ws://"))
        .into_client_request()
        .unwrap();
    let headers = req.headers_mut();
    headers.insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    headers.insert("x-forwarded-for", who.addr.parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(req)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let init = match &who.token {
        Some(t) => json!({ "type": "connection_init", "payload": { "token": t } }),
        None => json!({ "type": "connection_init" }),
    };
    socket
        .send(Message::text(init.to_string()))
        .await
        .map_err(|e| e.to_string())?;
    match next_json(&mut socket, Duration::from_secs(10)).await {
        Some(m) if m["type"] == "connection_ack" => Ok(socket),
        other => Err(format!("no connection_ack: {other:?}")),
    }
}

/// Subscribes to a showtime's seat map; returns the first (whole-map) message's map.
pub async fn subscribe_seat_map(
    socket: &mut Socket,
    showtime: &str,
) -> Result<HashMap<String, String>, String> {
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": SEAT_UPDATES, "variables": { "s": showtime } } });
    socket
        .send(Message::text(sub.to_string()))
        .await
        .map_err(|e| e.to_string())?;
    let msg = next_json(socket, Duration::from_secs(10))
        .await
        .ok_or("no first seat-map message")?;
    let update = &msg["payload"]["data"]["seatMapUpdates"];
    let seats = update["snapshot"]["seats"]
        .as_array()
        .ok_or_else(|| format!("the first message is not a whole map: {msg}"))?;
    Ok(seats
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect())
}

/// The next text message as JSON; `None` on close, error or timeout.
pub async fn next_json(socket: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let msg = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??
            .ok()?;
        match msg {
            Message::Text(t) => return serde_json::from_str(&t).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}
