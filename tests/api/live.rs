//! Live updates: the outbox relay publishes every committed seat and booking change, and
//! subscribers over `graphql-transport-ws` receive them in commit order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::booking_faults::OwnRedis;
use crate::helpers::*;
use crate::subscriptions::{Socket, connect, next_json};

pub const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
pub const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
pub const SEAT_UPDATES: &str = "subscription($s: ID!) { seatMapUpdates(showtimeId: $s) { snapshot { seats { id status } } changes { seatId status holdExpiresAt } } }";
const BOOKING_STATUS: &str =
    "subscription($b: ID!) { bookingStatus(bookingId: $b) { bookingId status expiresAt } }";

/// A `graphql-transport-ws` connection past its `connection_init` (with `token`, if any).
pub async fn open(app: &TestApp, token: Option<&str>) -> Socket {
    let mut socket = connect(app).await;
    let init = match token {
        Some(t) => json!({ "type": "connection_init", "payload": { "token": t } }),
        None => json!({ "type": "connection_init" }),
    };
    socket.send(Message::text(init.to_string())).await.unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    socket
}

pub async fn subscribe(socket: &mut Socket, query: &str, variables: Value) {
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": variables } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
}

/// The next `next` message's data field, or panics on anything else.
async fn next_data(socket: &mut Socket, field: &str) -> Value {
    let msg = next_json(socket).await.expect("a message within 10 s");
    assert_eq!(msg["type"], "next", "{msg}");
    msg["payload"]["data"][field].clone()
}

/// The code of a refused subscription (its one message, then completion).
pub(crate) async fn refusal(socket: &mut Socket) -> String {
    let msg = next_json(socket).await.expect("an answer");
    let errors = match msg["type"].as_str() {
        Some("error") => msg["payload"].clone(),
        _ => msg["payload"]["errors"].clone(),
    };
    assert!(msg["payload"]["data"].is_null(), "{msg}");
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Applies one seat-map message to a client's map; returns the changes it carried.
pub fn apply(map: &mut HashMap<String, String>, update: &Value) -> Vec<(String, String)> {
    if let Some(seats) = update["snapshot"]["seats"].as_array() {
        map.clear();
        for s in seats {
            map.insert(
                s["id"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            );
        }
        return Vec::new();
    }
    update["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let (id, status) = (
                c["seatId"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            );
            map.insert(id.clone(), status.clone());
            (id, status)
        })
        .collect()
}

#[tokio::test]
async fn a_subscribed_seat_map_receives_every_hold_release_expiry_and_sale_in_commit_order() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let mut mine = HashMap::new();
    apply(&mut mine, &next_data(&mut socket, "seatMapUpdates").await);
    assert_eq!(mine, seat_statuses(&app, &showtime).await);

    let a = app.customer("live-a@example.com").await;
    let b = app.customer("live-b@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0], seats[1]] }),
            Some(&a),
        )
        .await;
    app.ok(RELEASE, json!({ "b": held["holdSeats"]["id"] }), Some(&a))
        .await;
    let sale = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[3]] }),
            Some(&b),
        )
        .await;
    let paid = app
        .ok(CHECKOUT, json!({ "b": sale["holdSeats"]["id"] }), Some(&b))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[5]] }),
        Some(&a),
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(11));
    while app.services.expiry.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}

    let mut seen: Vec<(String, String)> = Vec::new();
    // Hold 2, release 2, hold 1, checkout keeps 1, sale 1, hold 1, expiry 1.
    while seen.len() < 9 {
        seen.extend(apply(
            &mut mine,
            &next_data(&mut socket, "seatMapUpdates").await,
        ));
    }
    let of = |seat: &str| -> Vec<&str> {
        seen.iter()
            .filter(|(id, _)| id == seat)
            .map(|(_, s)| s.as_str())
            .collect()
    };
    assert_eq!(of(&seats[0]), ["HELD", "AVAILABLE"]);
    assert_eq!(of(&seats[1]), ["HELD", "AVAILABLE"]);
    assert_eq!(of(&seats[3]), ["HELD", "HELD", "SOLD"]);
    assert_eq!(of(&seats[5]), ["HELD", "AVAILABLE"]);
    assert_eq!(mine, seat_statuses(&app, &showtime).await);
}

#[tokio::test]
async fn booking_status_follows_its_owner_s_booking_and_refuses_everyone_else() {
    let app = spawn_app().await;
    let OneHeld { buyer, booking, .. } = one_held_seat(&app, "status@example.com").await;

    let mut socket = open(&app, Some(&buyer)).await;
    subscribe(&mut socket, BOOKING_STATUS, json!({ "b": booking })).await;
    let first = next_data(&mut socket, "bookingStatus").await;
    assert_eq!(first["status"], "HELD");
    assert_eq!(first["bookingId"], booking.as_str());
    assert!(
        first["expiresAt"].is_string(),
        "the hold countdown: {first}"
    );
    app.ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    let pending = next_data(&mut socket, "bookingStatus").await;
    assert_eq!(pending["status"], "PAYMENT_PENDING");
    assert_eq!(
        next_data(&mut socket, "bookingStatus").await["status"],
        "CONFIRMED"
    );

    let stranger = app.customer("stranger@example.com").await;
    let mut other = open(&app, Some(&stranger)).await;
    subscribe(&mut other, BOOKING_STATUS, json!({ "b": booking })).await;
    assert_eq!(refusal(&mut other).await, "NOT_FOUND");
    let mut anonymous = open(&app, None).await;
    subscribe(&mut anonymous, BOOKING_STATUS, json!({ "b": booking })).await;
    assert_eq!(refusal(&mut anonymous).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_hold_made_through_one_instance_reaches_a_subscriber_of_another() {
    // Two servers sharing the database and Redis (a private Redis when the run has none).
    let (_own, redis) = OwnRedis::or_the_runs().await;
    let redis = Some(redis);
    let shared: Arc<Mutex<Option<(secrecy::SecretString, String)>>> = Arc::default();
    let first = {
        let (shared, redis) = (shared.clone(), redis.clone());
        spawn_app_with(move |s| {
            s.redis_url = redis.map(secrecy::SecretString::from);
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.database_url = Some(database);
        s.redis_url = redis.map(secrecy::SecretString::from);
        s.redis_prefix = prefix;
    })
    .await;
    let f = first.fixture().await;
    let showtime = first.showtime_at(&f, 30).await;
    let seats = seat_ids(&first, &showtime).await;
    let mut socket = open(&second, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let mut map = HashMap::new();
    apply(&mut map, &next_data(&mut socket, "seatMapUpdates").await);
    let buyer = first.customer("far@example.com").await;
    first
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[2]] }),
            Some(&buyer),
        )
        .await;
    let changes = apply(&mut map, &next_data(&mut socket, "seatMapUpdates").await);
    assert_eq!(changes, vec![(seats[2].clone(), "HELD".to_owned())]);
}

#[tokio::test]
async fn when_the_bus_loses_redis_subscribers_get_a_fresh_map_and_changes_flow_again() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url.clone();
    let app = spawn_app_with(move |s| s.redis_url = Some(secrecy::SecretString::from(url))).await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("bus-gap@example.com").await;
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let mut map = HashMap::new();
    apply(&mut map, &next_data(&mut socket, "seatMapUpdates").await);

    redis.kill();
    // Holds go on without Redis; what the relay publishes meanwhile may never be heard.
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[0]] }),
        Some(&buyer),
    )
    .await;
    redis.restart().await;
    // Once the bus listens again it owns up to the gap: a whole map, which has the hold.
    loop {
        let update = next_data(&mut socket, "seatMapUpdates").await;
        apply(&mut map, &update);
        if update["snapshot"].is_object() {
            break;
        }
    }
    assert_eq!(map[&seats[0]], "HELD");
    // And both of its connections (publishing, listening) carry changes again.
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[1]] }),
        Some(&buyer),
    )
    .await;
    while map[&seats[1]] != "HELD" {
        apply(&mut map, &next_data(&mut socket, "seatMapUpdates").await);
    }
    assert_eq!(map, seat_statuses(&app, &showtime).await);
}
