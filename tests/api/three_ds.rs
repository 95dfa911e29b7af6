//! Payments that need 3-D Secure, played through the embedded gateway: checkout answers
//! with what the buyer's browser needs to authenticate, `POST /fake-gateway/authenticate`
//! stands in for the challenge page, and `confirmCheckout` (or, when the buyer never comes
//! back, reconciliation after the kept-seat time) settles the booking. Each test reads the
//! truth in the database and at the gateway.

use marquee_domain::booking::ExecutionOutcome;
use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!, $pm: String!) { checkout(bookingId: $b, input: { paymentMethod: $pm }) { id status statusReason expiresAt tickets { code } payment { status clientSecret } } }";
const CONFIRM: &str = "mutation($b: ID!) { confirmCheckout(bookingId: $b) { id status statusReason tickets { code } payment { status clientSecret } } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status statusReason tickets { code } payment { status clientSecret } } }";
const THREE_DS: &str = "pm_card_threeDSecure2Required";

/// A booking of two seats of a fresh showtime, held by `buyer`.
struct Held {
    booking: String,
    showtime: String,
    seats: Vec<String>,
}

async fn held(app: &TestApp, buyer: &str) -> Held {
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(app, &showtime).await[..2].to_vec();
    let data = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(buyer))
        .await;
    Held {
        booking: data["holdSeats"]["id"].as_str().unwrap().to_owned(),
        showtime,
        seats,
    }
}

/// Checks out with the 3-D Secure test card: the booking waits for the buyer's
/// authentication, with the client secret to run it. Returns the checkout's booking.
async fn checkout_needing_authentication(app: &TestApp, buyer: &str, h: &Held) -> Value {
    let body = app
        .ok(
            CHECKOUT,
            json!({ "b": h.booking, "pm": THREE_DS }),
            Some(buyer),
        )
        .await;
    let booking = body["checkout"].clone();
    assert_eq!(booking["status"], "PAYMENT_PENDING", "{body}");
    assert_eq!(booking["payment"]["status"], "REQUIRES_ACTION", "{body}");
    assert!(
        booking["payment"]["clientSecret"]
            .as_str()
            .is_some_and(|s| s.contains("_secret_")),
        "{body}"
    );
    assert_eq!(booking["tickets"], json!([]));
    booking
}

async fn authenticate(app: &TestApp, secret: &str, outcome: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/fake-gateway/authenticate", app.address))
        .json(&json!({ "clientSecret": secret, "outcome": outcome }))
        .send()
        .await
        .unwrap()
}

async fn payment_statuses(app: &TestApp, booking: &str) -> Vec<String> {
    sql_texts(
        app,
        "SELECT status FROM payments WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await
}

async fn ticket_count(app: &TestApp, booking: &str) -> Vec<String> {
    sql_texts(
        app,
        "SELECT COUNT(*) FROM tickets WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await
}

async fn stored_seats(app: &TestApp, h: &Held) -> Vec<String> {
    let stored = db_seat_statuses(app, &h.showtime).await;
    h.seats.iter().map(|s| stored[s].clone()).collect()
}

#[tokio::test]
async fn a_card_needing_3ds_waits_for_authentication_then_confirms_with_one_charge() {
    let app = spawn_app().await;
    let buyer = app.customer("3ds-ok@example.com").await;
    let h = held(&app, &buyer).await;
    let booking = checkout_needing_authentication(&app, &buyer, &h).await;
    let secret = booking["payment"]["clientSecret"].as_str().unwrap();

    // Waiting: the seats are kept for the buyer, nothing is taken, no ticket exists.
    assert_eq!(
        payment_statuses(&app, &h.booking).await,
        ["requires_action"]
    );
    assert_eq!(stored_seats(&app, &h).await, ["HELD", "HELD"]);
    assert_eq!(ticket_count(&app, &h.booking).await, ["0"]);
    assert_eq!(app.fake().taken_count(), 0);
    // Reading the booking again gives its owner the same secret.
    let again = app
        .ok(BOOKING, json!({ "b": h.booking }), Some(&buyer))
        .await;
    assert_eq!(again["booking"]["payment"]["clientSecret"], secret);
    // Confirming before authenticating changes nothing.
    let early = app
        .ok(CONFIRM, json!({ "b": h.booking }), Some(&buyer))
        .await;
    assert_eq!(early["confirmCheckout"]["status"], "PAYMENT_PENDING");
    assert_eq!(
        early["confirmCheckout"]["payment"]["status"],
        "REQUIRES_ACTION"
    );

    let answer = authenticate(&app, secret, "succeed").await;
    assert_eq!(answer.status(), 200);
    let done = app
        .ok(CONFIRM, json!({ "b": h.booking }), Some(&buyer))
        .await;
    let done = &done["confirmCheckout"];
    assert_eq!(done["status"], "CONFIRMED", "{done}");
    assert_eq!(done["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(done["payment"]["status"], "SUCCEEDED");
    assert_eq!(done["payment"]["clientSecret"], Value::Null);

    assert_eq!(payment_statuses(&app, &h.booking).await, ["succeeded"]);
    assert_eq!(ticket_count(&app, &h.booking).await, ["2"]);
    assert_eq!(stored_seats(&app, &h).await, ["SOLD", "SOLD"]);
    assert_eq!(app.fake().taken_count(), 1);
    // A second confirmation, or a second answer to the challenge, changes nothing.
    let twice = app
        .ok(CONFIRM, json!({ "b": h.booking }), Some(&buyer))
        .await;
    assert_eq!(twice["confirmCheckout"]["status"], "CONFIRMED");
    assert_eq!(authenticate(&app, secret, "fail").await.status(), 409);
    assert_eq!(ticket_count(&app, &h.booking).await, ["2"]);
    assert_eq!(app.fake().taken_count(), 1);
    assert_eq!(app.fake().refunded_cents(), 0);
}

#[tokio::test]
async fn a_failed_authentication_fails_the_booking_frees_the_seats_and_takes_nothing() {
    let app = spawn_app().await;
    let buyer = app.customer("3ds-fail@example.com").await;
    let h = held(&app, &buyer).await;
    let booking = checkout_needing_authentication(&app, &buyer, &h).await;
    let secret = booking["payment"]["clientSecret"].as_str().unwrap();

    assert_eq!(authenticate(&app, secret, "fail").await.status(), 200);
    let done = app
        .ok(CONFIRM, json!({ "b": h.booking }), Some(&buyer))
        .await;
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
    assert_eq!(done["payment"]["clientSecret"], Value::Null);
    assert_eq!(payment_statuses(&app, &h.booking).await, ["failed"]);
    assert_eq!(ticket_count(&app, &h.booking).await, ["0"]);
    assert_eq!(app.fake().taken_count(), 0);
    assert_seats_freed(&app, &buyer, &h.booking).await;
}

#[tokio::test]
async fn a_payment_never_authenticated_fails_after_the_kept_seat_time_with_nothing_taken() {
    let app = spawn_app().await;
    let buyer = app.customer("3ds-gone@example.com").await;
    let h = held(&app, &buyer).await;
    let booking = checkout_needing_authentication(&app, &buyer, &h).await;
    let secret = booking["payment"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let kept_until = time(&booking["expiresAt"]);

    // Before the kept-seat time, reconciliation asks and leaves it waiting.
    app.clock.advance(chrono::Duration::minutes(1));
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
    assert_eq!(
        payment_statuses(&app, &h.booking).await,
        ["requires_action"]
    );
    assert_eq!(stored_seats(&app, &h).await, ["HELD", "HELD"]);

    // The buyer never comes back: past the kept-seat time, the attempt is cancelled.
    let now = app.services.clock.now();
    app.clock
        .advance(kept_until - now + chrono::Duration::minutes(1));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while payment_statuses(&app, &h.booking).await != ["failed"] {
        assert!(
            tokio::time::Instant::now() < deadline,
            "payment never settled"
        );
        while app.services.reconcile.try_execute_task().await.unwrap()
            == ExecutionOutcome::TaskCompleted
        {}
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let done = app
        .ok(BOOKING, json!({ "b": h.booking }), Some(&buyer))
        .await;
    assert_eq!(done["booking"]["status"], "PAYMENT_FAILED", "{done}");
    assert_eq!(done["booking"]["payment"]["status"], "FAILED");
    assert_eq!(done["booking"]["payment"]["clientSecret"], Value::Null);
    assert_eq!(ticket_count(&app, &h.booking).await, ["0"]);
    assert_eq!(app.fake().taken_count(), 0);
    assert_seats_freed(&app, &buyer, &h.booking).await;
    // The challenge can no longer be passed: nothing can be taken any more.
    assert_eq!(authenticate(&app, &secret, "succeed").await.status(), 409);
    assert_eq!(app.fake().taken_count(), 0);
}

#[tokio::test]
async fn only_the_owner_reads_the_client_secret_and_confirms() {
    let app = spawn_app().await;
    let buyer = app.customer("3ds-owner@example.com").await;
    let other = app.customer("3ds-other@example.com").await;
    let h = held(&app, &buyer).await;
    checkout_needing_authentication(&app, &buyer, &h).await;
    let admin = app.admin().await;

    // Someone else sees no such booking, so no payment and no secret.
    let seen = app
        .ok(BOOKING, json!({ "b": h.booking }), Some(&other))
        .await;
    assert_eq!(seen["booking"], Value::Null, "{seen}");
    let confirm = app
        .gql(CONFIRM, json!({ "b": h.booking }), Some(&other))
        .await;
    assert_eq!(code(&confirm), "NOT_FOUND", "{confirm}");
    let anonymous = app.gql(CONFIRM, json!({ "b": h.booking }), None).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
    // An admin sees that the payment awaits authentication, never its secret, and cannot
    // settle it on the buyer's behalf.
    let staff = app
        .ok(BOOKING, json!({ "b": h.booking }), Some(&admin))
        .await;
    assert_eq!(staff["booking"]["payment"]["status"], "REQUIRES_ACTION");
    assert_eq!(staff["booking"]["payment"]["clientSecret"], Value::Null);
    let confirm = app
        .gql(CONFIRM, json!({ "b": h.booking }), Some(&admin))
        .await;
    assert_eq!(code(&confirm), "NOT_FOUND", "{confirm}");
    // A made-up secret is not a payment's.
    let forged = authenticate(&app, "pi_fake_x_secret_y", "succeed").await;
    assert_eq!(forged.status(), 404);
    let bad = app
        .client
        .post(format!("{}/fake-gateway/authenticate", app.address))
        .json(&json!({ "clientSecret": "x", "outcome": "maybe" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    assert_eq!(
        payment_statuses(&app, &h.booking).await,
        ["requires_action"]
    );
    assert_eq!(stored_seats(&app, &h).await, ["HELD", "HELD"]);
    assert_eq!(app.fake().taken_count(), 0);
}

#[tokio::test]
async fn the_payment_config_names_the_gateway_and_the_publishable_key() {
    let app = spawn_app().await;
    let q = "{ paymentConfig { gateway publishableKey } }";
    let fake = app.ok(q, json!({}), None).await;
    assert_eq!(
        fake["paymentConfig"],
        json!({ "gateway": "fake", "publishableKey": null })
    );
    let app = spawn_app_with(|s| s.stripe_publishable_key = Some("pk_test_marquee".into())).await;
    let configured = app.ok(q, json!({}), None).await;
    assert_eq!(
        configured["paymentConfig"]["publishableKey"],
        "pk_test_marquee"
    );
}

#[tokio::test]
async fn a_webhook_settles_a_payment_authenticated_without_confirm_checkout() {
    use crate::webhooks::{SECRET, deliver, succeeded};
    let app = spawn_app_with(|s| s.stripe_webhook_secret = Some(SECRET.to_owned().into())).await;
    let buyer = app.customer("3ds-hook@example.com").await;
    let h = held(&app, &buyer).await;
    let booking = checkout_needing_authentication(&app, &buyer, &h).await;
    let secret = booking["payment"]["clientSecret"].as_str().unwrap();
    assert_eq!(authenticate(&app, secret, "succeed").await.status(), 200);
    // The buyer's browser never calls back; the gateway's webhook tells the outcome.
    let reference = sql_texts(
        &app,
        "SELECT provider_ref FROM payments WHERE booking_id = $1",
        [uuid(&h.booking)],
    )
    .await;
    let mut event = succeeded("evt_3ds", &format!("{}:1", h.booking));
    event["data"]["object"]["id"] = json!(reference[0]);
    let (status, answer) = deliver(&app, &event, None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
    assert_eq!(answer["outcome"], "processed", "{answer}");
    let done = app
        .ok(BOOKING, json!({ "b": h.booking }), Some(&buyer))
        .await;
    assert_eq!(done["booking"]["status"], "CONFIRMED", "{done}");
    assert_eq!(payment_statuses(&app, &h.booking).await, ["succeeded"]);
    assert_eq!(ticket_count(&app, &h.booking).await, ["2"]);
    assert_eq!(stored_seats(&app, &h).await, ["SOLD", "SOLD"]);
    assert_eq!(app.fake().taken_count(), 1);
}

#[tokio::test]
async fn a_list_of_bookings_reads_their_payments_in_one_batch_whatever_its_length() {
    // Background workers share the statement counter; only the requests are measured here.
    let app = spawn_app_with(|s| {
        s.run_workers = false;
        without_buyer_caps(s);
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("many-payments@example.com").await;
    const MINE: &str = "{ myBookings { id payment { status } } }";
    let buy = |range: std::ops::Range<usize>| {
        let (app, buyer, showtime, seats) = (&app, &buyer, &showtime, &seats);
        async move {
            let held = app
                .ok(
                    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
                    json!({ "s": showtime, "seats": seats[range].to_vec() }),
                    Some(buyer),
                )
                .await;
            app.ok(
                "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }",
                json!({ "b": held["holdSeats"]["id"] }),
                Some(buyer),
            )
            .await;
        }
    };
    buy(0..1).await;
    buy(1..2).await;
    let before = app.db_statements().await;
    let two = app.ok(MINE, json!({}), Some(&buyer)).await;
    let cost_two = app.db_statements().await - before;
    for i in 2..10 {
        buy(i..i + 1).await;
    }
    let before = app.db_statements().await;
    let ten = app.ok(MINE, json!({}), Some(&buyer)).await;
    let cost_ten = app.db_statements().await - before;
    assert_eq!(two["myBookings"].as_array().unwrap().len(), 2);
    let listed = ten["myBookings"].as_array().unwrap();
    assert_eq!(listed.len(), 10);
    assert!(
        listed.iter().all(|b| b["payment"]["status"] == "SUCCEEDED"),
        "{ten}"
    );
    // Eight more payments read one by one would cost sixteen more statements; a batch cut
    // in two by the scheduler costs two.
    assert!(
        cost_ten <= cost_two + 4.0,
        "reads grew with the number of bookings: {cost_two} for two, {cost_ten} for ten"
    );
}
