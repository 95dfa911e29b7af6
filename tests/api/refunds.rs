//! Refunds are never lost: one the gateway could not make stays pending and is sent again
//! until it goes through, once.

use marquee_domain::payments::FakeBehaviour;
use serde_json::json;

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
const PAY: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";

#[tokio::test]
async fn a_refund_the_gateway_could_not_make_is_sent_again_until_it_goes_through() {
    let app = spawn_app_with(|s| s.reconcile_after_seconds = 1).await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("ann@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": &seats[0..2] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = held["holdSeats"]["totalCents"].as_i64().unwrap();
    let confirmed = app.ok(PAY, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(confirmed["checkout"]["status"], "CONFIRMED");

    // The gateway goes down: the cancellation stands, the refund waits.
    app.fake().set_behaviour(FakeBehaviour::Down);
    let cancelled = app.ok(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(cancelled["cancelBooking"]["status"], "CANCELLED");
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    assert_eq!(app.fake().refunded_cents(), 0);

    // Back up: the worker sends it, once, however many passes it makes.
    app.fake().set_behaviour(FakeBehaviour::Normal);
    let mut refunded = 0;
    for _ in 0..100 {
        refunded = app.fake().refunded_cents();
        if refunded > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The show is a day ahead less a moment: half the price comes back.
    assert_eq!(refunded, paid / 2);
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    assert_eq!(app.fake().refunded_cents(), paid / 2);
}
