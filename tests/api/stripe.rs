//! The Stripe adapter: against a Stripe emulator (localstripe, started by
//! `scripts/test.sh`) for real PaymentIntents and refunds, and against a local HTTP mock for
//! what an emulator cannot do: timeouts, server errors, rate limits and replayed answers.

use std::time::Duration;

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::payments::{
    ChargeOutcome, ChargeRequest, GatewayError, PaymentGateway, RefundRequest, StripeGateway,
    StripeSettings,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
const CHECKOUT: &str = "mutation($b: ID!, $pm: String!) { checkout(bookingId: $b, input: { paymentMethod: $pm }) { id status statusReason totalCents tickets { code } } }";
const CANCEL: &str =
    "mutation($b: ID!) { cancelBooking(bookingId: $b) { id status statusReason } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status statusReason tickets { code } } }";

/// The emulator's base URL.
fn emulator() -> String {
    std::env::var("TEST_STRIPE_API")
        .expect("TEST_STRIPE_API must name a Stripe emulator (scripts/test.sh starts localstripe)")
}

fn gateway(base: &str, timeout_ms: u64, max_tries: u32) -> StripeGateway {
    StripeGateway::new(StripeSettings {
        secret_key: SecretString::from("sk_test_marquee".to_owned()),
        api_base: Some(base.to_owned()),
        timeout: Duration::from_millis(timeout_ms),
        max_tries,
        backoff: Duration::from_millis(10),
    })
    .unwrap()
}

fn charge(pm: &str, key: &str) -> ChargeRequest {
    ChargeRequest {
        amount_cents: 2400,
        currency: "USD".into(),
        payment_method: pm.into(),
        idempotency_key: key.into(),
        description: "Marquee test".into(),
    }
}

fn key() -> String {
    format!("{}:1", uuid::Uuid::new_v4())
}

async fn spawn_stripe_app(base: &str, timeout_ms: u64) -> TestApp {
    spawn_stripe_app_with(base, timeout_ms, None).await
}

async fn spawn_stripe_app_with(
    base: &str,
    timeout_ms: u64,
    webhook_secret: Option<String>,
) -> TestApp {
    let base = base.to_owned();
    spawn_app_with(move |s| {
        s.payment_gateway = "stripe".into();
        s.stripe_secret_key = Some(SecretString::from("sk_test_marquee".to_owned()));
        s.stripe_api_base = Some(base);
        s.stripe_timeout_ms = timeout_ms;
        s.stripe_max_tries = 2;
        s.stripe_webhook_secret = webhook_secret.map(SecretString::from);
    })
    .await
}

async fn pay(app: &TestApp, token: &str, booking: &str, pm: &str) -> Value {
    app.gql(CHECKOUT, json!({ "b": booking, "pm": pm }), Some(token))
        .await
}

/// A GET on the emulator's API.
async fn emulator_get(base: &str, path_and_query: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{base}{path_and_query}"))
        .basic_auth("sk_test_marquee", Some(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The emulator's PaymentIntent of an attempt, found by its metadata.
async fn emulated_intent(base: &str, attempt: &str) -> Value {
    let list = emulator_get(base, "/v1/payment_intents?limit=100").await;
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pi| pi["metadata"]["marquee_attempt"] == attempt)
        .cloned()
        .unwrap_or_else(|| panic!("no intent for {attempt}"))
}

async fn held(app: &TestApp, token: &str, count: usize) -> (String, i64) {
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(app, &showtime).await;
    let data = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": seats[..count].to_vec() }),
            Some(token),
        )
        .await;
    (
        data["holdSeats"]["id"].as_str().unwrap().to_owned(),
        data["holdSeats"]["totalCents"].as_i64().unwrap(),
    )
}

fn intent(id: &str, status: &str, attempt: &str) -> Value {
    json!({
        "id": id, "object": "payment_intent", "amount": 2400, "currency": "usd",
        "status": status, "last_payment_error": null,
        "metadata": { "marquee_attempt": attempt },
    })
}

fn keys_sent(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn the_emulator_charges_declines_finds_and_refunds_through_the_adapter() {
    let base = emulator();
    let stripe = gateway(&base, 5_000, 2);
    let paid_key = key();
    let ChargeOutcome::Succeeded { provider_ref } = stripe
        .charge(charge("pm_card_visa", &paid_key))
        .await
        .unwrap()
    else {
        panic!("pm_card_visa must succeed");
    };
    assert!(provider_ref.starts_with("pi_"));
    let pi = emulated_intent(&base, &paid_key).await;
    assert_eq!(pi["id"], provider_ref.as_str());
    assert_eq!(pi["amount"], 2400);
    assert_eq!(pi["currency"], "usd");
    // By reference, and by the attempt key alone (the emulator cannot search, so the
    // adapter scans recent intents).
    let by_ref = stripe.lookup(&paid_key, Some(&provider_ref)).await.unwrap();
    let by_key = stripe.lookup(&paid_key, None).await.unwrap();
    let expected = Some(ChargeOutcome::Succeeded {
        provider_ref: provider_ref.clone(),
    });
    assert_eq!(by_ref, expected);
    assert_eq!(by_key, expected);
    assert_eq!(stripe.lookup(&key(), None).await.unwrap(), None);

    let declined = stripe
        .charge(charge("pm_card_chargeCustomerFail", &key()))
        .await
        .unwrap();
    assert!(
        matches!(&declined, ChargeOutcome::Declined { reason, .. } if reason == "card_declined"),
        "{declined:?}"
    );
    assert!(matches!(
        stripe.charge(charge("pm_card_nonsense", &key())).await,
        Err(GatewayError::Rejected(_))
    ));

    let refund_id = stripe
        .refund(RefundRequest {
            provider_ref: provider_ref.clone(),
            amount_cents: 900,
            idempotency_key: format!("{paid_key}:refund"),
        })
        .await
        .unwrap();
    assert!(refund_id.starts_with("re_"));
    let refunds = emulator_get(&base, &format!("/v1/refunds?payment_intent={provider_ref}")).await;
    assert_eq!(refunds["data"][0]["id"], refund_id.as_str());
    assert_eq!(refunds["data"][0]["amount"], 900);
}

#[tokio::test]
async fn a_booking_paid_through_the_emulator_is_confirmed_and_its_cancellation_refunded() {
    let base = emulator();
    let app = spawn_stripe_app(&base, 5_000).await;
    let buyer = app.customer("stripe@example.com").await;
    let (booking, total) = held(&app, &buyer, 2).await;
    let body = pay(&app, &buyer, &booking, "pm_card_visa").await;
    assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
    assert_eq!(
        body["data"]["checkout"]["tickets"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let pi = emulated_intent(&base, &format!("{booking}:1")).await;
    assert_eq!(pi["status"], "succeeded");
    assert_eq!(pi["amount"], total);

    let body = app.gql(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(
        body["data"]["cancelBooking"]["status"], "CANCELLED",
        "{body}"
    );
    let refunds = emulator_get(
        &base,
        &format!("/v1/refunds?payment_intent={}", pi["id"].as_str().unwrap()),
    )
    .await;
    // Thirty hours before the show: a full refund.
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1, "{refunds}");
    assert_eq!(refunds["data"][0]["amount"], total);
}

/// The ids of the gateway events the app has recorded.
async fn recorded_events(app: &TestApp) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.services.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM webhook_events",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "id").unwrap())
        .collect()
}

/// Charges on the emulator, as Stripe would have when the app's own call lost its answer.
async fn emulator_charge(base: &str, attempt: &str, amount: i64, pm: &str) {
    let amount = amount.to_string();
    reqwest::Client::new()
        .post(format!("{base}/v1/payment_intents"))
        .basic_auth("sk_test_marquee", Some(""))
        .form(&[
            ("amount", amount.as_str()),
            ("currency", "usd"),
            ("payment_method", pm),
            ("confirm", "true"),
            ("metadata[marquee_attempt]", attempt),
        ])
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_emulator_s_signed_webhooks_are_verified_and_settle_the_same_booking_once() {
    let base = emulator();
    let secret = format!("whsec_{}", uuid::Uuid::new_v4().simple());
    // The app's own calls get no answer (a proxy that fails), so its bookings wait for the
    // gateway's word: here the emulator's signed events, posted to the app.
    let silent = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .mount(&silent)
        .await;
    let app = spawn_stripe_app_with(&silent.uri(), 1_000, Some(secret.clone())).await;
    let hook = reqwest::Client::new()
        .post(format!(
            "{base}/_config/webhooks/{}",
            uuid::Uuid::new_v4().simple()
        ))
        .form(&[
            ("url", format!("{}/webhooks/stripe", app.address)),
            ("secret", secret.clone()),
        ])
        .send()
        .await
        .unwrap();
    assert!(hook.status().is_success());
    let buyer = app.customer("hooked@example.com").await;
    let (paid, paid_total) = held(&app, &buyer, 1).await;
    let other = app.customer("hooked2@example.com").await;
    let (failed, failed_total) = held(&app, &other, 1).await;
    for (booking, token) in [(&paid, &buyer), (&failed, &other)] {
        let body = pay(&app, token, booking, "pm_card_visa").await;
        assert_eq!(
            body["data"]["checkout"]["status"], "PAYMENT_PENDING",
            "{body}"
        );
    }
    // The charges were made after all; the emulator tells the app, about a second later.
    emulator_charge(&base, &format!("{paid}:1"), paid_total, "pm_card_visa").await;
    emulator_charge(
        &base,
        &format!("{failed}:1"),
        failed_total,
        "pm_card_chargeCustomerFail",
    )
    .await;
    let status = |booking: &str, token: &str| {
        let (booking, token) = (booking.to_owned(), token.to_owned());
        let app = &app;
        async move { app.ok(BOOKING, json!({ "b": booking }), Some(&token)).await["booking"].clone() }
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (a, b) = (status(&paid, &buyer).await, status(&failed, &other).await);
        if a["status"] == "CONFIRMED" && b["status"] == "PAYMENT_FAILED" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not settled by the emulator's webhooks: {a} {b}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Delivered again (as Stripe does when unsure), the events change nothing.
    let events = emulator_get(&base, "/v1/events?limit=1000").await;
    let ours = |booking: &str, kind: &str| {
        let attempt = format!("{booking}:1");
        events["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["type"] == kind
                    && e["data"]["object"]["metadata"]["marquee_attempt"] == attempt.as_str()
            })
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} event for {booking}"))
    };
    let again = [
        ours(&paid, "payment_intent.succeeded"),
        ours(&failed, "payment_intent.payment_failed"),
    ];
    let recorded = recorded_events(&app).await;
    for event in &again {
        let id = event["id"].as_str().unwrap();
        assert!(recorded.iter().any(|r| r == id), "{id} not in {recorded:?}");
        let body = event.to_string();
        let signature = marquee_domain::payments::webhook::sign(
            secret.as_bytes(),
            body.as_bytes(),
            app.services.clock.now().timestamp(),
        );
        let resp = app
            .client
            .post(format!("{}/webhooks/stripe", app.address))
            .header("stripe-signature", signature)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
    }
    let a = status(&paid, &buyer).await;
    assert_eq!(a["status"], "CONFIRMED");
    assert_eq!(a["tickets"].as_array().unwrap().len(), 1);
    let b = status(&failed, &other).await;
    assert_eq!(b["status"], "PAYMENT_FAILED");
    let one = |sql: &'static str, booking: &str| sql_texts(&app, sql, [uuid(booking)]);
    assert_eq!(
        one("SELECT COUNT(*) FROM tickets WHERE booking_id = $1", &paid).await,
        ["1"]
    );
    assert_eq!(
        one("SELECT status FROM payments WHERE booking_id = $1", &paid).await,
        ["succeeded"]
    );
    assert_eq!(
        one("SELECT status FROM payments WHERE booking_id = $1", &failed).await,
        ["failed"]
    );
    assert_eq!(
        one(
            "SELECT COUNT(*) FROM tickets WHERE booking_id = $1",
            &failed
        )
        .await,
        ["0"]
    );
    assert_seats_freed(&app, &other, &failed).await;
}

#[tokio::test]
async fn a_card_declined_at_the_emulator_fails_the_payment_and_frees_the_seats() {
    let base = emulator();
    let app = spawn_stripe_app(&base, 5_000).await;
    let buyer = app.customer("declined@example.com").await;
    let (booking, _) = held(&app, &buyer, 3).await;
    let body = pay(&app, &buyer, &booking, "pm_card_chargeCustomerFail").await;
    let paid = &body["data"]["checkout"];
    assert_eq!(paid["status"], "PAYMENT_FAILED", "{body}");
    assert!(
        paid["statusReason"]
            .as_str()
            .unwrap()
            .contains("card_declined"),
        "{body}"
    );
    let booked = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(booked["booking"]["tickets"].as_array().unwrap().len(), 0);
    assert_seats_freed(&app, &buyer, &booking).await;
}

#[tokio::test]
async fn retries_after_a_server_error_reuse_the_key_and_take_the_replayed_answer() {
    let mock = MockServer::start().await;
    let attempt = key();
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({ "error": { "type": "api_error", "message": "Something went wrong" } }),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&mock)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Idempotent-Replayed", "true")
                .set_body_json(intent("pi_replayed", "succeeded", &attempt)),
        )
        .mount(&mock)
        .await;
    let stripe = gateway(&mock.uri(), 2_000, 3);
    let outcome = stripe
        .charge(charge("pm_card_visa", &attempt))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        ChargeOutcome::Succeeded {
            provider_ref: "pi_replayed".into()
        }
    );
    let requests = mock.received_requests().await.unwrap();
    assert_eq!(keys_sent(&requests), vec![attempt.clone(), attempt.clone()]);
    let form = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(form.contains("confirm=true"), "{form}");
    assert!(form.contains("payment_method=pm_card_visa"), "{form}");
    assert!(form.contains("currency=usd"), "{form}");
    assert!(
        form.contains(&format!("metadata[marquee_attempt]={attempt}")),
        "{form}"
    );

    // A new attempt (after a decline) carries a new key.
    let next = key();
    stripe.charge(charge("pm_card_visa", &next)).await.unwrap();
    let requests = mock.received_requests().await.unwrap();
    assert_eq!(keys_sent(&requests).last(), Some(&next));
}

#[tokio::test]
async fn rate_limits_are_retried_with_the_same_key_then_reported_unknown() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "error": { "type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests" }
        })))
        .mount(&mock)
        .await;
    let stripe = gateway(&mock.uri(), 2_000, 3);
    let attempt = key();
    let err = stripe
        .charge(charge("pm_card_visa", &attempt))
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    let requests = mock.received_requests().await.unwrap();
    assert_eq!(keys_sent(&requests), vec![attempt; 3]);

    // A rate limit that lifts in time is invisible to the caller.
    let mock = MockServer::start().await;
    let attempt = key();
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "error": { "type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests" }
        })))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&mock)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(intent(
            "pi_late",
            "succeeded",
            &attempt,
        )))
        .mount(&mock)
        .await;
    let stripe = gateway(&mock.uri(), 2_000, 3);
    assert!(matches!(
        stripe.charge(charge("pm_card_visa", &attempt)).await,
        Ok(ChargeOutcome::Succeeded { .. })
    ));
    assert_eq!(mock.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_silent_gateway_times_out_as_an_unknown_outcome_and_card_errors_are_declines() {
    let mock = MockServer::start().await;
    let attempt = key();
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(intent("pi_slow", "succeeded", &attempt))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&mock)
        .await;
    let stripe = gateway(&mock.uri(), 200, 2);
    let err = stripe
        .charge(charge("pm_card_visa", &attempt))
        .await
        .unwrap_err();
    assert_eq!(err, GatewayError::Timeout);
    // A request the client gave up on may reach the server later on a busy machine: its
    // count is read once both arrived (or after 10 s), so that it is counted here, never
    // by the next test handed this server.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut sent = keys_sent(&mock.received_requests().await.unwrap());
    while sent.len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        sent = keys_sent(&mock.received_requests().await.unwrap());
    }
    assert_eq!(sent, vec![attempt; 2]);

    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(402).set_body_json(json!({
            "error": {
                "type": "card_error", "code": "card_declined",
                "decline_code": "insufficient_funds", "message": "Your card has insufficient funds."
            }
        })))
        .mount(&mock)
        .await;
    let stripe = gateway(&mock.uri(), 2_000, 3);
    let outcome = stripe
        .charge(charge("pm_card_chargeDeclinedInsufficientFunds", &key()))
        .await
        .unwrap();
    assert!(
        matches!(&outcome, ChargeOutcome::Declined { reason, .. } if reason == "insufficient_funds"),
        "{outcome:?}"
    );
    // A decline is an answer: never retried.
    assert_eq!(mock.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_charge_whose_answer_was_lost_is_found_by_search_and_the_booking_confirmed() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .mount(&mock)
        .await;
    let app = spawn_stripe_app(&mock.uri(), 1_000).await;
    let buyer = app.customer("lost@example.com").await;
    let (booking, total) = held(&app, &buyer, 2).await;
    let body = pay(&app, &buyer, &booking, "pm_card_visa").await;
    assert_eq!(
        body["data"]["checkout"]["status"], "PAYMENT_PENDING",
        "{body}"
    );
    // The charge did go through: Stripe's search now knows it by its metadata.
    let attempt = format!("{booking}:1");
    let mut found = intent("pi_found", "succeeded", &attempt);
    found["amount"] = json!(total);
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "object": "search_result", "data": [found], "has_more": false }),
        ))
        .mount(&mock)
        .await;
    app.clock.advance(chrono::Duration::seconds(31));
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
    // The app's own reconciler may have claimed the payment first and still be settling
    // it when the loop above finds nothing due: the booking is read until it says.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut done = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    while done["booking"]["status"] == "PAYMENT_PENDING" && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        done = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    }
    assert_eq!(done["booking"]["status"], "CONFIRMED", "{done}");
    assert_eq!(done["booking"]["tickets"].as_array().unwrap().len(), 2);
    let searches: Vec<_> = mock
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/v1/payment_intents/search")
        .collect();
    assert!(!searches.is_empty());
    let query = searches[0].url.query().unwrap_or_default().to_owned();
    assert!(query.contains("marquee_attempt"), "{query}");
}
