//! The in-app inbox: one entry per booking outcome, exactly once, pushed live.

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::subscriptions::{connect, next_json};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const INBOX: &str = "query($u: Boolean) { unreadNotificationCount notifications(first: 10, unreadOnly: $u) { edges { node { id kind title body bookingId read } } } }";
const READ: &str = "mutation($id: ID!) { markNotificationRead(id: $id) { id read } }";

async fn inbox(app: &TestApp, token: &str, unread_only: bool) -> (u64, Vec<Value>) {
    let data = app
        .ok(INBOX, json!({ "u": unread_only }), Some(token))
        .await;
    let nodes = data["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    (data["unreadNotificationCount"].as_u64().unwrap(), nodes)
}

/// The inbox once it holds `n` entries (the relay writes them moments after the commit).
async fn inbox_of(app: &TestApp, token: &str, n: usize) -> Vec<Value> {
    for _ in 0..100 {
        let (_, nodes) = inbox(app, token, false).await;
        if nodes.len() >= n {
            return nodes;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the inbox never reached {n} entries");
}

#[tokio::test]
async fn a_confirmed_booking_lands_in_the_inbox_once_and_can_be_marked_read() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let OneHeld { buyer, booking, .. } = one_held_seat(&app, "inbox@example.com").await;
    app.ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    let nodes = inbox_of(&app, &buyer, 1).await;
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    assert_eq!(nodes[0]["kind"], "booking.confirmed");
    assert_eq!(nodes[0]["title"], "Booking confirmed");
    assert_eq!(nodes[0]["bookingId"], booking.as_str());
    assert!(
        nodes[0]["body"]
            .as_str()
            .unwrap()
            .contains("The Last Horizon"),
        "{}",
        nodes[0]
    );

    // Relay and deriver died after their work but before marking it: everything is read
    // again, and still one entry.
    let db = &app.services.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE outbox SET published_at = NULL, derived_at = NULL",
    ))
    .await
    .unwrap();
    while app.services.relay.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    while app.services.deriver.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    let (unread, nodes) = inbox(&app, &buyer, false).await;
    assert_eq!((unread, nodes.len()), (1, 1));
    // And one email queued for it.
    let emails = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM emails",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(emails, 1);

    let stranger = app.customer("nosy@example.com").await;
    assert_eq!(inbox(&app, &stranger, false).await, (0, vec![]));
    let body = app
        .gql(READ, json!({ "id": nodes[0]["id"] }), Some(&stranger))
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let read = app
        .ok(READ, json!({ "id": nodes[0]["id"] }), Some(&buyer))
        .await;
    assert_eq!(read["markNotificationRead"]["read"], true);
    assert_eq!(inbox(&app, &buyer, true).await, (0, vec![]));
    assert_eq!(inbox(&app, &buyer, false).await.1.len(), 1);
}

#[tokio::test]
async fn a_lapsed_hold_is_announced_and_new_entries_are_pushed_live() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("pushed@example.com").await;

    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": buyer } }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notificationAdded { kind title bookingId } }" } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
    // Let the subscription start listening before the change.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[1]] }),
            Some(&buyer),
        )
        .await;
    app.clock.advance(chrono::Duration::minutes(11));
    while app.services.expiry.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    let pushed = next_json(&mut socket).await.expect("a push");
    assert_eq!(pushed["type"], "next", "{pushed}");
    let n = &pushed["payload"]["data"]["notificationAdded"];
    assert_eq!(n["kind"], "booking.expired");
    assert_eq!(n["bookingId"], held["holdSeats"]["id"]);
    let nodes = inbox_of(&app, &buyer, 1).await;
    assert_eq!(nodes[0]["title"], "Hold expired");
}

#[tokio::test]
async fn bad_inbox_requests_get_a_coded_error_and_change_nothing() {
    let app = spawn_app().await;
    let OneHeld { buyer, booking, .. } = one_held_seat(&app, "careful@example.com").await;
    app.ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    let nodes = inbox_of(&app, &buyer, 1).await;
    for (query, field) in [
        ("{ notifications(first: 0) { edges { cursor } } }", "first"),
        (
            "{ notifications(first: 1000) { edges { cursor } } }",
            "first",
        ),
        (
            "{ notifications(after: \"not a cursor\") { edges { cursor } } }",
            "after",
        ),
    ] {
        let body = app.gql(query, json!({}), Some(&buyer)).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{query}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app.gql(READ, json!({ "id": "nope" }), Some(&buyer)).await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(READ, json!({ "id": uuid::Uuid::new_v4() }), Some(&buyer))
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let body = app.gql(READ, json!({ "id": nodes[0]["id"] }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let body = app
        .gql("{ unreadNotificationCount }", json!({}), None)
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    // The entry is still there, still unread.
    assert_eq!(inbox(&app, &buyer, true).await.1.len(), 1);
}
