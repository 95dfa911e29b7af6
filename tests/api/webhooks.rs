//! `POST /webhooks/stripe`: signatures checked, each event handled once, outcomes settled.

use marquee_domain::payments::{FakeBehaviour, webhook};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

pub const SECRET: &str = "whsec_test_secret";

pub async fn deliver(
    app: &TestApp,
    event: &Value,
    signature: Option<String>,
) -> (StatusCode, Value) {
    let body = event.to_string();
    let signature = signature.unwrap_or_else(|| {
        webhook::sign(
            SECRET.as_bytes(),
            body.as_bytes(),
            app.services.clock.now().timestamp(),
        )
    });
    let resp = app
        .client
        .post(format!("{}/webhooks/stripe", app.address))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

/// A booking whose charge went through but whose answer was lost: PAYMENT_PENDING, with
/// the attempt key Stripe would echo in the payment's metadata.
async fn pending_booking(app: &TestApp) -> (String, String, String) {
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let map = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    let seat = map["showtime"]["seatMap"]["seats"][2]["id"].clone();
    let buyer = app.customer("hook@example.com").await;
    let held = app.ok("mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }", json!({ "s": showtime, "seats": [seat] }), Some(&buyer)).await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);
    let paid = app.ok("mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }", json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(paid["checkout"]["status"], "PAYMENT_PENDING");
    app.fake().set_behaviour(FakeBehaviour::Down);
    (
        booking,
        buyer,
        format!(
            "{booking_id}:1",
            booking_id = held["holdSeats"]["id"].as_str().unwrap()
        ),
    )
}

pub fn succeeded(event_id: &str, attempt: &str) -> Value {
    json!({ "id": event_id, "type": "payment_intent.succeeded", "data": { "object": { "id": "pi_from_stripe", "metadata": { "marquee_attempt": attempt } } } })
}

#[tokio::test]
async fn a_signed_success_event_confirms_the_pending_booking_once() {
    let app = spawn_app_with(|s| s.stripe_webhook_secret = Some(SECRET.to_owned().into())).await;
    let (booking, buyer, attempt) = pending_booking(&app).await;
    let (status, body) = deliver(&app, &succeeded("evt_1", &attempt), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["outcome"], "processed");
    let done = app
        .ok(
            "query($b: ID!) { booking(id: $b) { status tickets { code } } }",
            json!({ "b": booking }),
            Some(&buyer),
        )
        .await;
    assert_eq!(done["booking"]["status"], "CONFIRMED");
    assert_eq!(done["booking"]["tickets"].as_array().unwrap().len(), 1);
    // Stripe redelivers: nothing happens twice.
    let (status, body) = deliver(&app, &succeeded("evt_1", &attempt), None).await;
    assert_eq!(
        (status, body["outcome"].clone()),
        (StatusCode::OK, json!("replayed"))
    );
    let again = app
        .ok(
            "query($b: ID!) { booking(id: $b) { tickets { code } } }",
            json!({ "b": booking }),
            Some(&buyer),
        )
        .await;
    assert_eq!(again["booking"]["tickets"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failure_event_fails_the_booking_and_frees_its_seat() {
    let app = spawn_app_with(|s| s.stripe_webhook_secret = Some(SECRET.to_owned().into())).await;
    let (booking, buyer, attempt) = pending_booking(&app).await;
    let event = json!({ "id": "evt_2", "type": "payment_intent.payment_failed",
        "data": { "object": { "id": "pi_x", "metadata": { "marquee_attempt": attempt }, "last_payment_error": { "decline_code": "insufficient_funds" } } } });
    let (status, _) = deliver(&app, &event, None).await;
    assert_eq!(status, StatusCode::OK);
    let done = app
        .ok(
            "query($b: ID!) { booking(id: $b) { status statusReason } }",
            json!({ "b": booking }),
            Some(&buyer),
        )
        .await;
    assert_eq!(done["booking"]["status"], "PAYMENT_FAILED");
    assert!(
        done["booking"]["statusReason"]
            .as_str()
            .unwrap()
            .contains("insufficient_funds")
    );
    assert_seats_freed(&app, &buyer, &booking).await;
}

#[tokio::test]
async fn bad_stale_and_missing_signatures_are_refused_and_change_nothing() {
    let app = spawn_app_with(|s| s.stripe_webhook_secret = Some(SECRET.to_owned().into())).await;
    let (booking, buyer, attempt) = pending_booking(&app).await;
    let event = succeeded("evt_3", &attempt);
    let body = event.to_string();
    let now = app.services.clock.now().timestamp();
    let forged = webhook::sign(b"whsec_someone_else", body.as_bytes(), now);
    let stale = webhook::sign(SECRET.as_bytes(), body.as_bytes(), now - 3600);
    for signature in [forged, stale, "garbage".to_owned()] {
        let (status, json) = deliver(&app, &event, Some(signature)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(code(&json), "BAD_SIGNATURE");
    }
    let resp = app
        .client
        .post(format!("{}/webhooks/stripe", app.address))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let still = app
        .ok(
            "query($b: ID!) { booking(id: $b) { status } }",
            json!({ "b": booking }),
            Some(&buyer),
        )
        .await;
    assert_eq!(still["booking"]["status"], "PAYMENT_PENDING");
    // The refused deliveries did not use up the event id.
    let (status, json) = deliver(&app, &event, None).await;
    assert_eq!(
        (status, json["outcome"].clone()),
        (StatusCode::OK, json!("processed"))
    );
}

#[tokio::test]
async fn without_a_configured_secret_webhooks_are_refused() {
    let app = spawn_app().await;
    let (status, json) = deliver(&app, &json!({ "id": "evt" }), Some("t=1,v1=00".into())).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code(&json), "SERVICE_UNAVAILABLE");
}
