//! A WebSocket is no way around the limits of HTTP: operations sent over it meet the same
//! cost and sign-in rules and run only so many at once, and connections are capped per
//! address and in all, signed in or not.

use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::*;
use crate::subscriptions::{Socket, connect, next_json};

async fn start(socket: &mut Socket, id: &str, query: &str) {
    let msg = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
    socket.send(Message::text(msg.to_string())).await.unwrap();
}

async fn acknowledged(app: &TestApp) -> Socket {
    let mut socket = connect(app).await;
    let init = json!({ "type": "connection_init", "payload": {} });
    socket.send(Message::text(init.to_string())).await.unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    socket
}

/// The next message for operation `id` (others are skipped).
async fn answer(socket: &mut Socket, id: &str) -> Value {
    loop {
        let msg = next_json(socket).await.expect("an answer");
        if msg["id"] == id {
            return msg;
        }
    }
}

/// The error code of an operation's answer, or `None` for a result with data.
fn verdict(msg: &Value) -> Option<String> {
    let errors = if msg["type"] == "error" {
        &msg["payload"]
    } else {
        &msg["payload"]["errors"]
    };
    errors[0]["extensions"]["code"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn operations_over_a_websocket_meet_the_cost_and_sign_in_limits_of_http() {
    let app = spawn_app().await;
    app.customer("ann@example.com").await;
    let mut socket = acknowledged(&app).await;
    let maps: String = (0..10)
        .map(|i| format!("a{i}: showtimes(first: 500) {{ seatMap {{ seats {{ id }} }} }} "))
        .collect();
    start(&mut socket, "maps", &format!("{{ {maps} }}")).await;
    let msg = answer(&mut socket, "maps").await;
    assert_eq!(
        verdict(&msg).as_deref(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{msg}"
    );
    let guesses: String = (0..20)
        .map(|i| {
            format!("g{i}: logIn(email: \"ann@example.com\", password: \"guess {i}\") {{ token }} ")
        })
        .collect();
    start(&mut socket, "guesses", &format!("mutation {{ {guesses} }}")).await;
    let msg = answer(&mut socket, "guesses").await;
    assert_eq!(
        verdict(&msg).as_deref(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{msg}"
    );
}

#[tokio::test]
async fn a_websocket_runs_only_so_many_operations_at_once_queries_included() {
    let app = spawn_app_with(|s| s.ws_max_subscriptions = 2).await;
    let mut socket = acknowledged(&app).await;
    for id in ["h1", "h2"] {
        start(
            &mut socket,
            id,
            "subscription { heartbeat(intervalMs: 100) }",
        )
        .await;
        assert_eq!(verdict(&answer(&mut socket, id).await), None);
    }
    start(&mut socket, "q", "{ movies { edges { cursor } } }").await;
    let msg = answer(&mut socket, "q").await;
    assert_eq!(verdict(&msg).as_deref(), Some("RATE_LIMITED"), "{msg}");
    // Once one ends, the query runs.
    let stop = json!({ "id": "h1", "type": "complete" });
    socket.send(Message::text(stop.to_string())).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    start(&mut socket, "q2", "{ movies { edges { cursor } } }").await;
    let msg = answer(&mut socket, "q2").await;
    assert_eq!(verdict(&msg), None, "{msg}");
}

/// Opens a WebSocket; the HTTP status of a refused upgrade otherwise.
async fn try_connect(app: &TestApp) -> Result<Socket, u16> {
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    match tokio_tungstenite::connect_async(req).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn websocket_connections_are_capped_per_address_anonymous_ones_included() {
    let app = spawn_app_with(|s| s.ws_max_connections_per_ip = 2).await;
    let first = try_connect(&app).await.unwrap();
    let _second = try_connect(&app).await.unwrap();
    assert_eq!(try_connect(&app).await.err(), Some(429));
    drop(first);
    let mut freed = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if try_connect(&app).await.is_ok() {
            freed = true;
            break;
        }
    }
    assert!(freed, "a closed connection's place was not given back");
}

#[tokio::test]
async fn websocket_connections_are_capped_in_all() {
    let app = spawn_app_with(|s| {
        s.ws_max_connections_per_ip = 100;
        s.ws_max_connections = 3;
    })
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(try_connect(&app).await.unwrap());
    }
    assert_eq!(try_connect(&app).await.err(), Some(429));
}

/// A document of `depth` fragments, each spreading the next twice: 2^depth fields.
pub fn fragment_fan(depth: usize) -> String {
    let mut text = String::from("query { ...F0 }\n");
    for i in 0..depth {
        text.push_str(&format!(
            "fragment F{i} on Query {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    text.push_str(&format!("fragment F{depth} on Query {{ __typename }}\n"));
    text
}

#[tokio::test]
async fn a_fragment_fan_is_refused_before_it_runs_over_http_and_websocket_and_the_server_goes_on() {
    let app = spawn_app().await;
    // 2^40 fields in a text of 2 KB: before, the server stopped answering anything.
    let fan = fragment_fan(40);
    let within = std::time::Duration::from_secs(10);
    let body = tokio::time::timeout(within, app.gql(&fan, json!({}), None))
        .await
        .expect("an answer within ten seconds");
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    let mut socket = acknowledged(&app).await;
    start(&mut socket, "fan", &fan).await;
    let msg = answer(&mut socket, "fan").await;
    assert_eq!(
        verdict(&msg).as_deref(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{msg}"
    );
    // A small fan is an ordinary document.
    let small = app.gql(&fragment_fan(3), json!({}), None).await;
    assert!(small["data"].is_object(), "{small}");
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
}
