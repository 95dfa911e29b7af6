//! The backoff schedules the README gives: an email refused for now is tried again after
//! `email_retry_base_seconds`, then twice that; a payment whose outcome is unknown is asked
//! about after `reconcile_after_seconds`, then after twice and four times that.

use std::time::Duration;

use chrono::{DateTime, Utc};
use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::clock::Clock;
use marquee_domain::payments::FakeBehaviour;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const EMAILS: &str =
    "{ emails(first: 10) { edges { node { recipient status attempts nextAttemptAt } } } }";

/// Waits until `to`'s email has made `attempts` attempts; returns it as admins see it.
async fn after_attempts(app: &TestApp, admin: &str, to: &str, attempts: u64) -> Value {
    for _ in 0..200 {
        let q = app.ok(EMAILS, json!({}), Some(admin)).await;
        if let Some(e) = q["emails"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .find(|e| {
                e["recipient"] == to
                    && e["attempts"].as_u64() == Some(attempts)
                    // Claimed and still being sent: the outcome is not written yet.
                    && (e["status"] != "PENDING"
                        || time(&e["nextAttemptAt"]) > app.clock.now())
            })
        {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{to}'s email never reached {attempts} attempts");
}

fn within(t: DateTime<Utc>, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
    from <= t && t <= to
}

#[tokio::test]
async fn an_email_refused_for_now_is_retried_after_the_base_wait_then_twice_that() {
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(SecretString::from(smtp_url()));
        s.email_retry_base_seconds = 60;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    // The server refuses this address with 451 twice, then accepts.
    let to = address("flaky", "example.com");
    let token = app.customer(&to).await;
    let booking = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&token),
        )
        .await["holdSeats"]["id"]
        .clone();
    let before = app.clock.now();
    app.ok(CHECKOUT, json!({ "b": booking }), Some(&token))
        .await;

    let first = after_attempts(&app, &admin, &to, 1).await;
    assert_eq!(first["status"], "PENDING");
    let next = time(&first["nextAttemptAt"]);
    let base = chrono::Duration::seconds(60);
    assert!(
        within(next, before + base, app.clock.now() + base),
        "first retry at {next}, refused between {before} and now"
    );
    // Not before its time: the worker passes (at least every second) and leaves it.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(
        after_attempts(&app, &admin, &to, 1).await["nextAttemptAt"],
        first["nextAttemptAt"]
    );

    app.clock.advance(base + chrono::Duration::seconds(1));
    let before = app.clock.now();
    let second = after_attempts(&app, &admin, &to, 2).await;
    let next = time(&second["nextAttemptAt"]);
    assert!(
        within(next, before + base * 2, app.clock.now() + base * 2),
        "second retry at {next}, refused between {before} and now"
    );

    app.clock.advance(base * 2 + chrono::Duration::seconds(1));
    let third = after_attempts(&app, &admin, &to, 3).await;
    assert_eq!(third["status"], "SENT");
    assert_eq!(wait_for(&to, 1, Duration::from_secs(5)).await.len(), 1);
}

/// How many times the booking's payment has been asked about, plus one.
async fn attempts(app: &TestApp, booking: &str) -> String {
    sql_texts(
        app,
        "SELECT attempts FROM payments WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await
    .pop()
    .unwrap()
}

/// Runs the reconciliation worker until it has nothing due.
async fn reconcile(app: &TestApp) {
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
}

#[tokio::test]
async fn an_unknown_payment_is_asked_about_after_the_base_wait_then_twice_then_four_times_it() {
    let app = spawn_app_with(|s| s.reconcile_after_seconds = 30).await;
    let (showtime, seats) = opening_night(&app).await;
    let token = app.customer("unknown@example.com").await;
    let booking = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&token),
        )
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&token))
        .await;
    assert_eq!(paid["checkout"]["status"], "PAYMENT_PENDING");
    // The gateway cannot be asked: every question fails and the next one is put off.
    app.fake().set_behaviour(FakeBehaviour::Down);
    assert_eq!(attempts(&app, &booking).await, "1");
    for (wait, asked) in [(30, "2"), (60, "3"), (120, "4")] {
        app.clock.advance(chrono::Duration::seconds(wait - 2));
        reconcile(&app).await;
        assert_eq!(
            attempts(&app, &booking).await,
            (asked.parse::<i32>().unwrap() - 1).to_string(),
            "asked before {wait} s had passed"
        );
        app.clock.advance(chrono::Duration::seconds(3));
        reconcile(&app).await;
        assert_eq!(
            attempts(&app, &booking).await,
            asked,
            "not asked after {wait} s"
        );
    }
    // Once the gateway answers, the next question settles it.
    app.fake().set_behaviour(FakeBehaviour::Normal);
    app.clock.advance(chrono::Duration::seconds(241));
    reconcile(&app).await;
    let done = app
        .ok(
            "query($b: ID!) { booking(id: $b) { status } }",
            json!({ "b": booking }),
            Some(&token),
        )
        .await;
    assert_eq!(done["booking"]["status"], "CONFIRMED");
    assert_eq!(app.fake().charge_count(), 1);
}
