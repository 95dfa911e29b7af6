//! The WebSocket protocols themselves: `graphql-transport-ws` rules and close codes, the
//! older `graphql-ws`, and identical seat-map subscribers sharing one execution.

use std::collections::HashMap;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::*;
use crate::live::open;
use crate::subscriptions::{Socket, connect, next_json};

const HEARTBEAT: &str = "subscription { heartbeat(intervalMs: 100) }";
const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { id } }";
const FULL_MAP: &str = "subscription($s: ID!) { seatMapUpdates(showtimeId: $s) { snapshot { seats { id status } } changes { seatId status holdExpiresAt } committedAt } }";
const IDS_ONLY: &str =
    "subscription($s: ID!) { seatMapUpdates(showtimeId: $s) { changes { seatId } } }";

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .unwrap();
}

async fn subscribe(socket: &mut Socket, id: &str, query: &str, variables: Value) {
    let sub = json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } });
    send(socket, sub).await;
}

/// The code the server closes the connection with (other messages are skipped).
async fn close_code(socket: &mut Socket) -> Option<u16> {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .ok()??;
        match msg {
            Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn breaking_the_protocol_closes_the_connection_with_the_code_it_names() {
    let app = spawn_app().await;

    let mut early = connect(&app).await;
    subscribe(&mut early, "1", HEARTBEAT, json!({})).await;
    assert_eq!(
        close_code(&mut early).await,
        Some(4401),
        "subscribe before init"
    );

    let mut garbled = connect(&app).await;
    garbled.send(Message::text("{not json")).await.unwrap();
    assert_eq!(close_code(&mut garbled).await, Some(4400), "not a message");

    let mut twice = open(&app, None).await;
    send(&mut twice, json!({ "type": "connection_init" })).await;
    assert_eq!(close_code(&mut twice).await, Some(4429), "a second init");

    let mut duplicate = open(&app, None).await;
    subscribe(&mut duplicate, "1", HEARTBEAT, json!({})).await;
    subscribe(&mut duplicate, "1", HEARTBEAT, json!({})).await;
    assert_eq!(close_code(&mut duplicate).await, Some(4409), "a reused id");

    let mut forged = connect(&app).await;
    send(
        &mut forged,
        json!({ "type": "connection_init", "payload": { "token": "forged" } }),
    )
    .await;
    assert_eq!(close_code(&mut forged).await, Some(4403), "a bad token");
}

#[tokio::test]
async fn a_subscription_that_does_not_parse_or_validate_gets_a_coded_error() {
    let app = spawn_app().await;
    let mut socket = open(&app, None).await;
    for (id, query, code) in [
        ("p", "subscription {", "GRAPHQL_PARSE_FAILED"),
        (
            "v",
            "subscription { noSuchField }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        subscribe(&mut socket, id, query, json!({})).await;
        let msg = next_json(&mut socket).await.unwrap();
        assert_eq!(msg["type"], "error", "{msg}");
        assert_eq!(msg["id"], id, "{msg}");
        assert_eq!(msg["payload"][0]["extensions"]["code"], code, "{msg}");
    }
    // The connection is still good.
    subscribe(&mut socket, "ok", HEARTBEAT, json!({})).await;
    assert_eq!(next_json(&mut socket).await.unwrap()["type"], "next");
}

#[tokio::test]
async fn a_ping_is_answered_and_complete_ends_only_that_subscription() {
    let app = spawn_app().await;
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, "a", HEARTBEAT, json!({})).await;
    subscribe(&mut socket, "b", HEARTBEAT, json!({})).await;
    let mut ticked = HashMap::<String, usize>::new();
    while ticked.len() < 2 {
        let msg = next_json(&mut socket).await.unwrap();
        assert_eq!(msg["type"], "next", "{msg}");
        assert!(msg["payload"]["data"]["heartbeat"].is_string(), "{msg}");
        *ticked
            .entry(msg["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    send(&mut socket, json!({ "id": "a", "type": "complete" })).await;
    // Messages are handled in order: once the pong is back, "a" has ended.
    send(
        &mut socket,
        json!({ "type": "ping", "payload": { "n": 7 } }),
    )
    .await;
    loop {
        let msg = next_json(&mut socket).await.unwrap();
        if msg["type"] == "pong" {
            assert_eq!(msg["payload"]["n"], 7);
            break;
        }
        assert_eq!(msg["type"], "next", "{msg}");
    }
    for _ in 0..5 {
        let msg = next_json(&mut socket).await.unwrap();
        assert_eq!(msg["type"], "next", "{msg}");
        assert_eq!(msg["id"], "b", "only b goes on: {msg}");
    }
}

#[tokio::test]
async fn the_older_graphql_ws_protocol_starts_streams_and_stops_them() {
    let app = spawn_app().await;
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
    let (mut socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(resp.headers()["sec-websocket-protocol"], "graphql-ws");
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": {} }),
    )
    .await;
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    send(
        &mut socket,
        json!({ "id": "1", "type": "start", "payload": { "query": HEARTBEAT } }),
    )
    .await;
    let msg = next_json(&mut socket).await.unwrap();
    assert_eq!(msg["type"], "data", "{msg}");
    assert_eq!(msg["id"], "1");
    assert!(msg["payload"]["data"]["heartbeat"].is_string(), "{msg}");
    send(&mut socket, json!({ "id": "1", "type": "stop" })).await;
    loop {
        let msg = next_json(&mut socket).await.unwrap();
        if msg["type"] == "complete" {
            assert_eq!(msg["id"], "1");
            break;
        }
        assert_eq!(msg["type"], "data", "{msg}");
    }
}

/// The seat changes a subscriber has received, in order, until it has `n`; and the last
/// message's fields, to check what was selected.
async fn changes(socket: &mut Socket, id: &str, n: usize) -> (Vec<Value>, Value) {
    let mut got = Vec::new();
    let mut last = Value::Null;
    while got.len() < n {
        let msg = next_json(socket).await.expect("a change within 10 s");
        assert_eq!(msg["type"], "next", "{msg}");
        assert_eq!(msg["id"], id, "{msg}");
        last = msg["payload"]["data"]["seatMapUpdates"].clone();
        got.extend(last["changes"].as_array().unwrap().iter().cloned());
    }
    (got, last)
}

#[tokio::test]
async fn identical_subscribers_share_one_rendering_and_a_different_selection_gets_its_own() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    // Same request on two connections, under ids that need escaping; a third selects less.
    let (first_id, second_id) = ("x", "y\"z");
    let mut first = open(&app, None).await;
    let mut second = open(&app, None).await;
    let mut lean = open(&app, None).await;
    subscribe(&mut first, first_id, FULL_MAP, json!({ "s": showtime })).await;
    subscribe(&mut second, second_id, FULL_MAP, json!({ "s": showtime })).await;
    subscribe(&mut lean, "1", IDS_ONLY, json!({ "s": showtime })).await;
    for socket in [&mut first, &mut second] {
        let snapshot = next_json(socket).await.unwrap();
        assert!(snapshot["payload"]["data"]["seatMapUpdates"]["snapshot"].is_object());
    }
    assert!(
        next_json(&mut lean).await.unwrap()["payload"]["data"]["seatMapUpdates"]
            .get("snapshot")
            .is_none()
    );

    let buyer = app.customer("shared-render@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0], seats[1]] }),
            Some(&buyer),
        )
        .await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[2]] }),
        Some(&buyer),
    )
    .await;
    app.ok(
        RELEASE,
        json!({ "b": held["holdSeats"]["id"] }),
        Some(&buyer),
    )
    .await;

    let (a, a_last) = changes(&mut first, first_id, 5).await;
    let (b, _) = changes(&mut second, second_id, 5).await;
    let (c, c_last) = changes(&mut lean, "1", 5).await;
    assert_eq!(a, b, "identical requests see identical changes");
    let statuses: Vec<&str> = a.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["HELD", "HELD", "HELD", "AVAILABLE", "AVAILABLE"],
        "{a:?}"
    );
    assert!(a_last["committedAt"].is_string(), "{a_last}");
    let ids = |v: &[Value]| -> Vec<Value> { v.iter().map(|c| c["seatId"].clone()).collect() };
    assert_eq!(ids(&a), ids(&c));
    assert!(
        c.iter()
            .all(|c| c.as_object().unwrap().keys().eq(["seatId"].iter())),
        "only what it selected: {c:?}"
    );
    assert!(c_last.get("committedAt").is_none(), "{c_last}");
    // The two identical subscribers are one group: each sent what the group serialized.
    assert!(
        app.metric("marquee_live_messages_total{rendering=\"shared\"}")
            .await
            >= 1.0
    );
}
