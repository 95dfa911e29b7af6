//! Refunds are never lost: one the gateway could not make stays pending and is sent again
//! until it goes through, once.

use std::time::{Duration, Instant};

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::payments::FakeBehaviour;
use serde_json::json;

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
const PAY: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status tickets { status } } }";

/// Runs the reconciliation worker's passes until it has nothing left to do now.
async fn drain(app: &TestApp) {
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
}

#[tokio::test]
async fn a_refund_the_gateway_could_not_make_is_sent_again_until_it_goes_through_once() {
    // A pending refund is due again a second (of the app's clock) after its last try; the
    // test moves that clock and runs the worker's passes itself.
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
    let refunds = || {
        sql_texts(
            &app,
            "SELECT status || ' ' || amount_cents FROM refunds WHERE booking_id = $1",
            [uuid(&booking)],
        )
    };

    // The gateway goes down: the cancellation stands, the refund waits...
    app.fake().set_behaviour(FakeBehaviour::Down);
    let cancelled = app.ok(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(cancelled["cancelBooking"]["status"], "CANCELLED");
    // The show is a day ahead less a moment: half the price comes back.
    let half = paid / 2;
    assert_eq!(refunds().await, [format!("pending {half}")]);
    // ...and is tried again, and still waits, while the gateway stays down.
    app.clock.advance(chrono::Duration::seconds(2));
    let retried_from = app.services.clock.now();
    drain(&app).await;
    let tried = sql_texts(
        &app,
        "SELECT COUNT(*) FROM refunds WHERE booking_id = $1 AND status = 'pending' AND updated_at >= $2",
        [uuid(&booking), retried_from.into()],
    )
    .await;
    assert_eq!(tried, ["1"], "the pending refund was not tried again");
    assert_eq!(app.fake().refunded_cents(), 0);

    // Back up: the next pass sends it...
    app.fake().set_behaviour(FakeBehaviour::Normal);
    app.clock.advance(chrono::Duration::seconds(2));
    drain(&app).await;
    assert_eq!(refunds().await, [format!("succeeded {half}")]);
    assert_eq!(app.fake().refunded_cents(), half);
    // ...once, however many passes follow.
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::seconds(2));
        drain(&app).await;
    }
    assert_eq!(app.fake().refunded_cents(), half);
    assert_eq!(refunds().await, [format!("succeeded {half}")]);

    // The booking, its payment and its seats.
    let done = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(done["booking"]["status"], "CANCELLED");
    let tickets = done["booking"]["tickets"].as_array().unwrap();
    assert!(
        tickets.len() == 2 && tickets.iter().all(|t| t["status"] == "void"),
        "{done}"
    );
    let one = |sql: &'static str| sql_texts(&app, sql, [uuid(&booking)]);
    assert_eq!(
        one("SELECT status FROM bookings WHERE id = $1").await,
        ["cancelled"]
    );
    assert_eq!(
        one("SELECT status || ' ' || amount_cents FROM payments WHERE booking_id = $1").await,
        [format!("succeeded {paid}")]
    );
    let map = seat_statuses(&app, &showtime).await;
    assert_eq!(
        (&*map[&seats[0]], &*map[&seats[1]]),
        ("AVAILABLE", "AVAILABLE")
    );
    assert_eq!(db_seat_statuses(&app, &showtime).await, map);

    // The buyer is told once of the cancellation, by an email that went out.
    let deadline = Instant::now() + Duration::from_secs(20);
    let told = loop {
        let told =
            one("SELECT status FROM emails WHERE booking_id = $1 AND kind = 'booking.cancelled'")
                .await;
        if told == ["sent"] || Instant::now() > deadline {
            break told;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(told, ["sent"]);
    let mail: Vec<String> = std::fs::read_dir(app.data_dir().join("mail"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .filter(|m| m.contains("Subject: Booking cancelled"))
        .collect();
    assert_eq!(mail.len(), 1);
    assert!(mail[0].contains("ann@example.com"));
}
