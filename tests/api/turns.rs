//! GraphQL operations over HTTP take turns: beyond the limit an operation waits for one,
//! and a waiting-room long poll, which waits on purpose, runs without one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use marquee_domain::payments::FakeBehaviour;
use serde_json::json;

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const PLACE: &str = "query($s: ID!) { waitingRoom(showtimeId: $s, waitMs: 0) { status } }";

#[tokio::test]
async fn beyond_the_limit_an_operation_waits_for_a_turn_and_a_waiting_room_poll_needs_none() {
    let app = Arc::new(spawn_app_with(|s| s.max_concurrent_operations = 1).await);
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &show).await;
    let buyer = app.customer("turns@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": show, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    // The checkout keeps the only turn while the gateway takes its time.
    app.fake()
        .set_behaviour(FakeBehaviour::Slow(Duration::from_millis(1_500)));
    let finished = Arc::new(Mutex::new(Vec::new()));
    let checkout = {
        let (app, buyer, finished) = (app.clone(), buyer.clone(), finished.clone());
        tokio::spawn(async move {
            let body = app
                .gql(CHECKOUT, json!({ "b": booking }), Some(&buyer))
                .await;
            finished.lock().unwrap().push("checkout");
            body
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;

    app.ok(PLACE, json!({ "s": show }), Some(&buyer)).await;
    finished.lock().unwrap().push("poll");
    let read = app
        .ok("{ showtimes(first: 1) { id } }", json!({}), None)
        .await;
    finished.lock().unwrap().push("read");

    let paid = checkout.await.unwrap();
    assert!(paid.get("errors").is_none(), "{paid}");
    assert_eq!(read["showtimes"][0]["id"], show);
    assert_eq!(*finished.lock().unwrap(), ["poll", "checkout", "read"]);
}
