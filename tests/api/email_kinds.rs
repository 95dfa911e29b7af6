//! Every way a booking ends tells its buyer by email, as the README lists: hold expired,
//! payment failed, refunded, and a showtime moved by the theatre; and a message sent again
//! after an unrecorded acceptance carries the Message-ID of the first.

use std::time::Duration;

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::payments::FakeBehaviour;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, received, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const STATUS: &str = "query($b: ID!) { booking(id: $b) { status } }";

async fn smtp_app() -> TestApp {
    spawn_app_with(|s| s.smtp_url = Some(SecretString::from(smtp_url()))).await
}

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> String {
    app.ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn status(app: &TestApp, token: &str, booking: &str) -> Value {
    app.ok(STATUS, json!({ "b": booking }), Some(token)).await["booking"]["status"].clone()
}

/// The booking's status once it has left PAYMENT_PENDING (a background pass may be
/// settling it while the test's own pass finds nothing due).
async fn settled(app: &TestApp, token: &str, booking: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = status(app, token, booking).await;
        if now != "PAYMENT_PENDING" || tokio::time::Instant::now() >= deadline {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The one message `to` gets, once it is there.
async fn the_email(to: &str) -> Value {
    let got = wait_for(to, 1, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 1, "{to}: {got:?}");
    got[0].clone()
}

#[tokio::test]
async fn an_expired_hold_a_failed_payment_a_refund_and_a_moved_showtime_each_email_the_buyer() {
    let app = smtp_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let (expired, failed, late, taker, moved) = (
        address("expired", "example.com"),
        address("failed", "example.com"),
        address("late", "example.com"),
        address("taker", "example.com"),
        address("moved", "example.com"),
    );

    // A hold left to lapse.
    let expired_token = app.customer(&expired).await;
    let expired_booking = hold(&app, &expired_token, &showtime, &seats[4..5]).await;
    // A payment that never reaches the gateway.
    let failed_token = app.customer(&failed).await;
    let failed_booking = hold(&app, &failed_token, &showtime, &seats[5..6]).await;
    app.fake().set_behaviour(FakeBehaviour::Down);
    let body = app
        .ok(
            CHECKOUT,
            json!({ "b": failed_booking }),
            Some(&failed_token),
        )
        .await;
    assert_eq!(body["checkout"]["status"], "PAYMENT_PENDING");
    // A charge whose answer is lost, for seats taken after its hold lapsed.
    let late_token = app.customer(&late).await;
    let late_booking = hold(&app, &late_token, &showtime, &seats[0..2]).await;
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);
    let body = app
        .ok(CHECKOUT, json!({ "b": late_booking }), Some(&late_token))
        .await;
    assert_eq!(body["checkout"]["status"], "PAYMENT_PENDING");
    app.fake().set_behaviour(FakeBehaviour::Down);
    // A confirmed buyer of another showtime the theatre then moves.
    let other = app.showtime_at(&f, 50).await;
    let other_seats = seat_ids(&app, &other).await;
    let moved_token = app.customer(&moved).await;
    let moved_booking = hold(&app, &moved_token, &other, &other_seats[..1]).await;
    app.fake().set_behaviour(FakeBehaviour::Normal);
    let body = app
        .ok(CHECKOUT, json!({ "b": moved_booking }), Some(&moved_token))
        .await;
    assert_eq!(body["checkout"]["status"], "CONFIRMED");
    let new_time = in_hours(52);
    app.ok(
        "mutation($s: ID!, $t: DateTime!) { updateShowtime(id: $s, input: { startsAt: $t }) { id } }",
        json!({ "s": other, "t": new_time }),
        Some(&f.admin),
    )
    .await;

    app.fake().set_behaviour(FakeBehaviour::Down);
    app.clock.advance(chrono::Duration::minutes(11));
    while app.services.expiry.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {
    }
    let taker_token = app.customer(&taker).await;
    hold(&app, &taker_token, &showtime, &seats[1..3]).await;
    app.fake().set_behaviour(FakeBehaviour::Normal);
    // The background worker may have asked about the payments while the gateway was down
    // and put the next question off: past any such wait, they are asked again.
    app.clock.advance(chrono::Duration::minutes(5));
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
    assert_eq!(
        status(&app, &expired_token, &expired_booking).await,
        "EXPIRED"
    );
    assert_eq!(
        settled(&app, &failed_token, &failed_booking).await,
        "PAYMENT_FAILED"
    );
    assert_eq!(settled(&app, &late_token, &late_booking).await, "REFUNDED");

    let m = the_email(&expired).await;
    assert_eq!(
        m["subject"],
        "Your seats for The Last Horizon were released"
    );
    assert!(
        m["text"].as_str().unwrap().contains("You were not charged"),
        "{m}"
    );
    let m = the_email(&failed).await;
    assert_eq!(m["subject"], "Payment failed for The Last Horizon");
    assert!(
        m["text"].as_str().unwrap().contains("did not go through"),
        "{m}"
    );
    let m = the_email(&late).await;
    assert_eq!(
        m["subject"],
        "Your booking for The Last Horizon was refunded"
    );
    // Two standard seats at 12.00, refunded in full.
    assert!(
        m["text"]
            .as_str()
            .unwrap()
            .contains("We refunded 24.00 USD"),
        "{m}"
    );
    let got = wait_for(&moved, 2, Duration::from_secs(20)).await;
    let subjects: Vec<&str> = got.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(
        subjects
            .iter()
            .filter(|s| **s == "New time or screen for The Last Horizon")
            .count(),
        1,
        "{subjects:?}"
    );
    let notice = got
        .iter()
        .find(|m| m["subject"] == "New time or screen for The Last Horizon")
        .unwrap();
    let new_start = time(&json!(new_time))
        .with_timezone(&chrono_tz::America::Chicago)
        .format("%A %-d %B %Y, %H:%M")
        .to_string();
    assert!(
        notice["text"].as_str().unwrap().contains(&new_start),
        "{new_start} missing from {notice}"
    );
    // The buyer whose hold is still open was told nothing.
    assert!(received(&taker).await.is_empty());
}

#[tokio::test]
async fn an_email_sent_again_after_an_unrecorded_acceptance_keeps_its_message_id() {
    let app = smtp_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("twice", "example.com");
    let token = app.customer(&to).await;
    let booking = hold(&app, &token, &showtime, &seats[..1]).await;
    app.ok(CHECKOUT, json!({ "b": booking }), Some(&token))
        .await;
    let first = the_email(&to).await;
    let id = first["message_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with('<') && id.ends_with("@marquee>"), "{id}");
    // The server accepted it but the worker died before recording so: the row is still
    // pending, its lease lapsed.
    let admin = app.admin().await;
    let mut sent = false;
    for _ in 0..100 {
        let q = app
            .ok(
                "{ emails(first: 10) { edges { node { status } } } }",
                json!({}),
                Some(&admin),
            )
            .await;
        if q["emails"]["edges"][0]["node"]["status"] == "SENT" {
            sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(sent, "the first send was never recorded");
    sql_exec(
        &app,
        "UPDATE emails SET status = 'pending', sent_at = NULL, lease_until = NULL",
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(1));
    let both = wait_for(&to, 2, Duration::from_secs(20)).await;
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(both[1]["message_id"], id.as_str(), "{both:?}");
    assert_eq!(both[1]["subject"], first["subject"]);
}
