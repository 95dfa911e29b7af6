//! 3-D Secure through the Stripe adapter, against a local Stripe mock whose PaymentIntent
//! moves as the buyer's authentication would move it (`requires_action`, then `succeeded`,
//! `requires_payment_method` after a failed authentication, or `canceled` when we give up),
//! and against the emulator (localstripe), which authenticates its 3-D Secure test card
//! through its own `_authenticate` endpoint.

use std::sync::{Arc, Mutex};

use marquee_domain::booking::ExecutionOutcome;
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
const CHECKOUT: &str = "mutation($b: ID!, $pm: String!) { checkout(bookingId: $b, input: { paymentMethod: $pm }) { id status expiresAt payment { status clientSecret } } }";
const CONFIRM: &str = "mutation($b: ID!) { confirmCheckout(bookingId: $b) { status statusReason tickets { code } payment { status clientSecret } } }";
const BOOKING: &str =
    "query($b: ID!) { booking(id: $b) { status statusReason payment { status clientSecret } } }";
const SECRET: &str = "pi_3ds_secret_marquee";

async fn stripe_app(base: &str) -> TestApp {
    let base = base.to_owned();
    spawn_app_with(move |s| {
        s.payment_gateway = "stripe".into();
        s.stripe_secret_key = Some(SecretString::from("sk_test_marquee".to_owned()));
        s.stripe_publishable_key = Some("pk_test_marquee".into());
        s.stripe_api_base = Some(base);
        s.stripe_timeout_ms = 2_000;
        s.stripe_max_tries = 2;
    })
    .await
}

async fn held(app: &TestApp, token: &str) -> String {
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(app, &showtime).await;
    let data = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": seats[..2].to_vec() }),
            Some(token),
        )
        .await;
    data["holdSeats"]["id"].as_str().unwrap().to_owned()
}

/// A mocked Stripe whose one PaymentIntent (`pi_3ds`) is in the state the test sets.
struct IntentMock {
    server: MockServer,
    state: Arc<Mutex<Value>>,
}

impl IntentMock {
    async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(json!({
            "id": "pi_3ds", "object": "payment_intent", "amount": 0, "currency": "usd",
            "status": "requires_action", "client_secret": SECRET,
            "next_action": { "type": "use_stripe_sdk" },
            "last_payment_error": null, "metadata": {},
        })));
        let answer = |state: Arc<Mutex<Value>>| {
            move |_: &Request| {
                ResponseTemplate::new(200).set_body_json(state.lock().unwrap().clone())
            }
        };
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .respond_with(answer(state.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/payment_intents/pi_3ds"))
            .respond_with(answer(state.clone()))
            .mount(&server)
            .await;
        let cancelled = state.clone();
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents/pi_3ds/cancel"))
            .respond_with(move |_: &Request| {
                let mut intent = cancelled.lock().unwrap();
                intent["status"] = json!("canceled");
                intent["next_action"] = Value::Null;
                ResponseTemplate::new(200).set_body_json(intent.clone())
            })
            .mount(&server)
            .await;
        Self { server, state }
    }

    fn set(&self, status: &str, last_payment_error: Value) {
        let mut intent = self.state.lock().unwrap();
        intent["status"] = json!(status);
        intent["next_action"] = Value::Null;
        intent["last_payment_error"] = last_payment_error;
    }

    async fn calls(&self, verb: &str, p: &str) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.method.as_str() == verb && r.url.path() == p)
            .count()
    }
}

/// Checkout answers that the buyer must authenticate, with the intent's client secret.
async fn checkout_needing_authentication(app: &TestApp, buyer: &str, booking: &str) -> Value {
    let body = app
        .ok(
            CHECKOUT,
            json!({ "b": booking, "pm": "pm_card_threeDSecure2Required" }),
            Some(buyer),
        )
        .await;
    assert_eq!(body["checkout"]["status"], "PAYMENT_PENDING", "{body}");
    assert_eq!(
        body["checkout"]["payment"],
        json!({ "status": "REQUIRES_ACTION", "clientSecret": SECRET }),
        "{body}"
    );
    body["checkout"].clone()
}

#[tokio::test]
async fn a_stripe_intent_requiring_action_confirms_once_authenticated() {
    let stripe = IntentMock::start().await;
    let app = stripe_app(&stripe.server.uri()).await;
    let buyer = app.customer("s3ds-ok@example.com").await;
    let booking = held(&app, &buyer).await;
    checkout_needing_authentication(&app, &buyer, &booking).await;
    let stored = sql_texts(
        &app,
        "SELECT status FROM payments WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(stored, ["requires_action"]);
    // The client secret is not stored: it is asked of Stripe when the buyer reads it.
    let anywhere = sql_texts(
        &app,
        "SELECT COUNT(*) FROM payments WHERE provider_ref LIKE '%secret%' OR failure_reason LIKE '%secret%'",
        [],
    )
    .await;
    assert_eq!(anywhere, ["0"]);
    let config = app
        .ok(
            "{ paymentConfig { gateway publishableKey } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        config["paymentConfig"],
        json!({ "gateway": "stripe", "publishableKey": "pk_test_marquee" })
    );
    // The embedded gateway's challenge page does not exist with Stripe.
    let fake = app
        .client
        .post(format!("{}/fake-gateway/authenticate", app.address))
        .json(&json!({ "clientSecret": SECRET, "outcome": "succeed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(fake.status(), 404);

    // Stripe.js ran the challenge: the intent succeeded.
    stripe.set("succeeded", Value::Null);
    let done = app.ok(CONFIRM, json!({ "b": booking }), Some(&buyer)).await;
    let done = &done["confirmCheckout"];
    assert_eq!(done["status"], "CONFIRMED", "{done}");
    assert_eq!(done["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(
        done["payment"],
        json!({ "status": "SUCCEEDED", "clientSecret": null })
    );
    assert_eq!(stripe.calls("POST", "/v1/payment_intents").await, 1);
    assert_eq!(
        stripe
            .calls("POST", "/v1/payment_intents/pi_3ds/cancel")
            .await,
        0
    );
}

#[tokio::test]
async fn a_stripe_authentication_failure_fails_the_booking() {
    let stripe = IntentMock::start().await;
    let app = stripe_app(&stripe.server.uri()).await;
    let buyer = app.customer("s3ds-fail@example.com").await;
    let booking = held(&app, &buyer).await;
    checkout_needing_authentication(&app, &buyer, &booking).await;

    // Stripe's state after a failed challenge: back to requires_payment_method.
    stripe.set(
        "requires_payment_method",
        json!({ "type": "card_error", "code": "payment_intent_authentication_failure" }),
    );
    let done = app.ok(CONFIRM, json!({ "b": booking }), Some(&buyer)).await;
    let done = &done["confirmCheckout"];
    assert_eq!(done["status"], "PAYMENT_FAILED", "{done}");
    assert!(
        done["statusReason"]
            .as_str()
            .unwrap()
            .contains("payment_intent_authentication_failure"),
        "{done}"
    );
    assert_eq!(done["payment"]["status"], "FAILED");
    assert_seats_freed(&app, &buyer, &booking).await;
}

#[tokio::test]
async fn a_stripe_intent_never_authenticated_is_cancelled_after_the_kept_seat_time() {
    let stripe = IntentMock::start().await;
    let app = stripe_app(&stripe.server.uri()).await;
    let buyer = app.customer("s3ds-gone@example.com").await;
    let booking = held(&app, &buyer).await;
    let paid = checkout_needing_authentication(&app, &buyer, &booking).await;
    let kept_until = time(&paid["expiresAt"]);
    let now = app.services.clock.now();
    app.clock
        .advance(kept_until - now + chrono::Duration::minutes(1));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        while app.services.reconcile.try_execute_task().await.unwrap()
            == ExecutionOutcome::TaskCompleted
        {}
        let stored = sql_texts(
            &app,
            "SELECT status FROM payments WHERE booking_id = $1",
            [uuid(&booking)],
        )
        .await;
        if stored == ["failed"] {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still {stored:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let done = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(done["booking"]["status"], "PAYMENT_FAILED", "{done}");
    assert!(
        stripe
            .calls("POST", "/v1/payment_intents/pi_3ds/cancel")
            .await
            >= 1
    );
    assert_seats_freed(&app, &buyer, &booking).await;
}

/// The emulator's base URL.
fn emulator() -> String {
    std::env::var("TEST_STRIPE_API")
        .expect("TEST_STRIPE_API must name a Stripe emulator (scripts/test.sh starts localstripe)")
}

/// A card payment method at the emulator with Stripe's 3-D Secure test number (the
/// emulator does not know the `pm_card_threeDSecure2Required` id itself).
async fn emulator_3ds_card(base: &str) -> String {
    let pm: Value = reqwest::Client::new()
        .post(format!("{base}/v1/payment_methods"))
        .basic_auth("sk_test_marquee", Some(""))
        .form(&[
            ("type", "card"),
            ("card[number]", "4000002500003155"),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2030"),
            ("card[cvc]", "123"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    pm["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{pm}"))
        .to_owned()
}

#[tokio::test]
async fn the_emulator_s_3ds_card_requires_action_and_confirms_after_its_challenge() {
    let base = emulator();
    let app = stripe_app(&base).await;
    let buyer = app.customer("e3ds@example.com").await;
    let booking = held(&app, &buyer).await;
    let pm = emulator_3ds_card(&base).await;
    let body = app
        .ok(CHECKOUT, json!({ "b": booking, "pm": pm }), Some(&buyer))
        .await;
    assert_eq!(body["checkout"]["status"], "PAYMENT_PENDING", "{body}");
    assert_eq!(
        body["checkout"]["payment"]["status"], "REQUIRES_ACTION",
        "{body}"
    );
    let secret = body["checkout"]["payment"]["clientSecret"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    let intent = sql_texts(
        &app,
        "SELECT provider_ref FROM payments WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    // The emulator's stand-in for the challenge page.
    let challenge = reqwest::Client::new()
        .post(format!(
            "{base}/v1/payment_intents/{}/_authenticate",
            intent[0]
        ))
        .basic_auth("sk_test_marquee", Some(""))
        .form(&[("client_secret", secret.as_str()), ("success", "true")])
        .send()
        .await
        .unwrap();
    assert!(
        challenge.status().is_success(),
        "{}",
        challenge.text().await.unwrap()
    );
    let done = app.ok(CONFIRM, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(done["confirmCheckout"]["status"], "CONFIRMED", "{done}");
    assert_eq!(
        done["confirmCheckout"]["tickets"].as_array().unwrap().len(),
        2
    );
}
