//! Every charge ends as tickets or a refund: late and repeated gateway answers, charges for
//! bookings no longer awaiting them, webhooks whose effect failed, checkouts racing a lapsed
//! hold, and promotion uses that follow the payment.

use std::time::Duration;

use marquee_domain::payments::{ChargeOutcome, ChargeRequest, FakeBehaviour, PaymentGateway};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::webhooks::{SECRET, deliver, succeeded};

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
const CHECKOUT: &str = "mutation($b: ID!, $pm: String!, $promo: String) { checkout(bookingId: $b, input: { paymentMethod: $pm, promoCode: $promo }) { id status totalCents } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status tickets { code } } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";

async fn webhook_app() -> TestApp {
    spawn_app_with(|s| s.stripe_webhook_secret = Some(SECRET.to_owned().into())).await
}

async fn payment_statuses(app: &TestApp, booking: &str) -> Vec<String> {
    sql_texts(
        app,
        "SELECT status FROM payments WHERE booking_id = $1 ORDER BY created_at",
        [uuid(booking)],
    )
    .await
}

async fn refund_statuses(app: &TestApp, booking: &str) -> Vec<String> {
    sql_texts(
        app,
        "SELECT status FROM refunds WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await
}

/// The gateway's own reference of the charge made under an attempt key.
async fn provider_ref(app: &TestApp, attempt: &str) -> String {
    match app.fake().lookup(attempt, None).await.unwrap() {
        Some(ChargeOutcome::Succeeded { provider_ref }) => provider_ref,
        other => panic!("no succeeded charge for {attempt}: {other:?}"),
    }
}

fn success_event(event_id: &str, attempt: &str, provider_ref: &str) -> serde_json::Value {
    let mut event = succeeded(event_id, attempt);
    event["data"]["object"]["id"] = json!(provider_ref);
    event
}

#[tokio::test]
async fn a_late_timeout_never_overwrites_a_payment_that_a_webhook_confirmed() {
    let app = webhook_app().await;
    let held = one_held_seat(&app, "late@example.com").await;
    let attempt = format!("{}:1", held.booking);
    app.fake()
        .set_behaviour(FakeBehaviour::LateTimeoutAfterCharge(
            Duration::from_millis(1500),
        ));
    let pay = app.gql(
        CHECKOUT,
        json!({ "b": held.booking, "pm": "pm_card_visa" }),
        Some(&held.buyer),
    );
    // While the checkout still waits for its answer, the gateway's webhook confirms it.
    let confirm = async {
        while app.fake().charge_count() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let reference = provider_ref(&app, &attempt).await;
        deliver(&app, &success_event("evt_late", &attempt, &reference), None).await
    };
    let (paid, (status, hook)) = tokio::join!(pay, confirm);
    assert_eq!(
        (status, hook["outcome"].clone()),
        (StatusCode::OK, json!("processed"))
    );
    assert_eq!(paid["data"]["checkout"]["status"], "CONFIRMED", "{paid}");
    // The timeout that came after did not move the settled payment.
    assert_eq!(payment_statuses(&app, &held.booking).await, ["succeeded"]);
    // So cancelling refunds the charge.
    let total = paid["data"]["checkout"]["totalCents"].as_i64().unwrap();
    let cancelled = app
        .ok(CANCEL, json!({ "b": held.booking }), Some(&held.buyer))
        .await;
    assert_eq!(cancelled["cancelBooking"]["status"], "CANCELLED");
    assert_eq!(app.fake().refunded_cents(), total);
    assert_eq!(refund_statuses(&app, &held.booking).await, ["succeeded"]);
}

#[tokio::test]
async fn a_charge_that_surfaces_after_reconciliation_failed_the_booking_is_refunded_in_full() {
    let app = webhook_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("surfaced@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": &seats[..2] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let total = held["holdSeats"]["totalCents"].as_i64().unwrap();
    // The gateway does not answer, and still knows nothing ten minutes later: failed.
    app.fake().set_behaviour(FakeBehaviour::Down);
    let paid = app
        .gql(
            CHECKOUT,
            json!({ "b": booking, "pm": "pm_card_visa" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        paid["data"]["checkout"]["status"], "PAYMENT_PENDING",
        "{paid}"
    );
    app.fake().set_behaviour(FakeBehaviour::Normal);
    app.clock.advance(chrono::Duration::minutes(11));
    while app.services.reconcile.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    let failed = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(failed["booking"]["status"], "PAYMENT_FAILED");
    // The "not found" was wrong: the charge went through after all, and its webhook comes.
    let attempt = format!("{booking}:1");
    app.fake()
        .charge(ChargeRequest {
            amount_cents: total,
            currency: "USD".into(),
            payment_method: "pm_card_visa".into(),
            idempotency_key: attempt.clone(),
            description: "a charge the gateway took late".into(),
        })
        .await
        .unwrap();
    let reference = provider_ref(&app, &attempt).await;
    let (status, body) = deliver(
        &app,
        &success_event("evt_surfaced", &attempt, &reference),
        None,
    )
    .await;
    assert_eq!(
        (status, body["outcome"].clone()),
        (StatusCode::OK, json!("processed"))
    );
    let after = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(after["booking"]["status"], "PAYMENT_FAILED");
    assert!(after["booking"]["tickets"].as_array().unwrap().is_empty());
    assert_eq!(payment_statuses(&app, &booking).await, ["succeeded"]);
    assert_eq!(refund_statuses(&app, &booking).await, ["succeeded"]);
    assert_eq!(app.fake().refunded_cents(), total);
    // Its seats stay on sale, and a redelivery refunds nothing more.
    let map = seat_statuses(&app, &showtime).await;
    assert!(seats[..2].iter().all(|s| map[s] == "AVAILABLE"));
    let (_, again) = deliver(
        &app,
        &success_event("evt_surfaced_2", &attempt, &reference),
        None,
    )
    .await;
    assert_eq!(again["outcome"], "processed");
    assert_eq!(app.fake().refunded_cents(), total);
    assert_eq!(refund_statuses(&app, &booking).await.len(), 1);
}

#[tokio::test]
async fn a_webhook_whose_effect_failed_is_acted_on_when_the_gateway_delivers_it_again() {
    let app = webhook_app().await;
    let held = one_held_seat(&app, "redeliver@example.com").await;
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": held.booking, "pm": "pm_card_visa" }),
            Some(&held.buyer),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    // The refund of a cancellation is not confirmed by the gateway's answer...
    app.fake().set_behaviour(FakeBehaviour::Down);
    app.ok(CANCEL, json!({ "b": held.booking }), Some(&held.buyer))
        .await;
    assert_eq!(refund_statuses(&app, &held.booking).await, ["pending"]);
    let attempt = format!("{}:1", held.booking);
    app.fake().set_behaviour(FakeBehaviour::Normal);
    let reference = provider_ref(&app, &attempt).await;
    let refunded = json!({ "id": "evt_refunded", "type": "charge.refunded",
        "data": { "object": { "id": "ch_1", "payment_intent": reference } } });
    // ...and its webhook fails the first time (the database refuses the write).
    refuse_refund_updates(&app, true).await;
    let (status, _) = deliver(&app, &refunded, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(refund_statuses(&app, &held.booking).await, ["pending"]);
    refuse_refund_updates(&app, false).await;
    let (status, body) = deliver(&app, &refunded, None).await;
    assert_eq!(
        (status, body["outcome"].clone()),
        (StatusCode::OK, json!("processed"))
    );
    assert_eq!(refund_statuses(&app, &held.booking).await, ["succeeded"]);
}

/// Makes the database refuse (or accept again) every change to a refund: a fault in the
/// middle of a webhook's effect.
async fn refuse_refund_updates(app: &TestApp, refuse: bool) {
    let postgres = std::env::var("TEST_DATABASE_URL").is_ok();
    let sql = match (postgres, refuse) {
        (true, true) => {
            "CREATE FUNCTION refunds_drill() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'drill'; END $$ LANGUAGE plpgsql; \
                         CREATE TRIGGER refunds_drill BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_drill();"
        }
        (true, false) => "DROP TRIGGER refunds_drill ON refunds",
        (false, true) => {
            "CREATE TRIGGER refunds_drill BEFORE UPDATE ON refunds BEGIN SELECT RAISE(ABORT, 'drill'); END;"
        }
        (false, false) => "DROP TRIGGER refunds_drill",
    };
    sql_exec(app, sql).await;
}

#[tokio::test]
async fn a_checkout_whose_hold_lapsed_and_was_retaken_charges_nothing() {
    // Without the expiry worker, which would end the lapsed hold while the clock is ahead.
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let (showtime, seats) = opening_night(&app).await;
    let slow = app.customer("lapsed@example.com").await;
    let fast = app.customer("retaken@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": &seats[..2] }),
            Some(&slow),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    // The hold lapses and another buyer takes one of its seats...
    app.clock.advance(chrono::Duration::minutes(11));
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": &seats[1..3] }),
        Some(&fast),
    )
    .await;
    // ...while the checkout read its time before that (here: a clock a little behind).
    app.clock.advance(chrono::Duration::minutes(-11));
    let paid = app
        .gql(
            CHECKOUT,
            json!({ "b": booking, "pm": "pm_card_visa" }),
            Some(&slow),
        )
        .await;
    assert_eq!(code(&paid), "HOLD_EXPIRED", "{paid}");
    assert_eq!(app.fake().charge_count(), 0);
    assert!(payment_statuses(&app, &booking).await.is_empty());
    let map = seat_statuses(&app, &showtime).await;
    assert_eq!(
        (map[&seats[1]].as_str(), map[&seats[2]].as_str()),
        ("HELD", "HELD")
    );
    let status = sql_texts(
        &app,
        "SELECT status FROM bookings WHERE id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(status, ["held"]);
}

const PROMOTION: &str = "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }";

#[tokio::test]
async fn a_declined_checkout_gives_its_promotion_use_back() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    app.ok(
        PROMOTION,
        json!({ "i": { "code": "ONCE", "kind": "PERCENT", "value": 50,
        "startsAt": in_hours(-1), "endsAt": in_hours(48), "maxUses": 1 } }),
        Some(&admin),
    )
    .await;
    let unlucky = app.customer("declined@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&unlucky),
        )
        .await;
    let first = app.ok(CHECKOUT, json!({ "b": held["holdSeats"]["id"], "pm": "pm_card_chargeDeclined", "promo": "ONCE" }), Some(&unlucky)).await;
    assert_eq!(first["checkout"]["status"], "PAYMENT_FAILED");
    // A gateway refusal (an unknown method) gives it back too.
    let again = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[1]] }),
            Some(&unlucky),
        )
        .await;
    let refused = app
        .gql(
            CHECKOUT,
            json!({ "b": again["holdSeats"]["id"], "pm": "pm_no_such_method", "promo": "ONCE" }),
            Some(&unlucky),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert_eq!(
        sql_texts(&app, "SELECT uses FROM promotions WHERE code = 'ONCE'", []).await,
        ["0"]
    );
    let lucky = app.customer("lucky@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[2]] }),
            Some(&lucky),
        )
        .await;
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": held["holdSeats"]["id"], "pm": "pm_card_visa", "promo": "ONCE" }),
            Some(&lucky),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    assert_eq!(paid["checkout"]["totalCents"], 750);
    assert_eq!(
        sql_texts(&app, "SELECT uses FROM promotions WHERE code = 'ONCE'", []).await,
        ["1"]
    );
}

#[tokio::test]
async fn concurrent_checkouts_by_one_buyer_never_pass_the_per_buyer_promotion_limit() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    app.ok(
        PROMOTION,
        json!({ "i": { "code": "FIRSTNIGHT", "kind": "PERCENT", "value": 10,
        "startsAt": in_hours(-1), "endsAt": in_hours(48), "maxUsesPerUser": 1 } }),
        Some(&admin),
    )
    .await;
    let buyer = app.customer("greedy@example.com").await;
    let mut bookings = Vec::new();
    for seat in &seats[..5] {
        let held = app
            .ok(
                HOLD,
                json!({ "s": showtime, "seats": [seat] }),
                Some(&buyer),
            )
            .await;
        bookings.push(held["holdSeats"]["id"].as_str().unwrap().to_owned());
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bookings.len()));
    let answers = futures_util::future::join_all(bookings.iter().map(|b| {
        let barrier = barrier.clone();
        let (app, buyer) = (&app, &buyer);
        async move {
            barrier.wait().await;
            app.gql(
                CHECKOUT,
                json!({ "b": b, "pm": "pm_card_visa", "promo": "FIRSTNIGHT" }),
                Some(buyer),
            )
            .await
        }
    }))
    .await;
    let confirmed = answers
        .iter()
        .filter(|a| a["data"]["checkout"]["status"] == "CONFIRMED")
        .count();
    assert_eq!(confirmed, 1, "{answers:?}");
    let with_code = sql_texts(
        &app,
        "SELECT COUNT(*) FROM bookings b JOIN promotions p ON p.id = b.promotion_id \
        WHERE p.code = 'FIRSTNIGHT' AND b.status IN ('payment_pending', 'confirmed')",
        [],
    )
    .await;
    assert_eq!(with_code, ["1"]);
    assert_eq!(
        sql_texts(
            &app,
            "SELECT uses FROM promotions WHERE code = 'FIRSTNIGHT'",
            []
        )
        .await,
        ["1"]
    );
    assert_eq!(app.fake().charge_count(), 1);
}

#[tokio::test]
async fn checkouts_the_gateway_refuses_never_stretch_a_hold_past_one_extension() {
    let app = spawn_app().await;
    let held = one_held_seat(&app, "stretch@example.com").await;
    let first = expiry(&app, &held).await;
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::minutes(4));
        let refused = app
            .gql(
                CHECKOUT,
                json!({ "b": held.booking, "pm": "pm_no_such_method" }),
                Some(&held.buyer),
            )
            .await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused}");
    }
    // Twelve minutes of refused checkouts: the hold ends at its first end plus one
    // five-minute extension, and then lapses.
    let last = expiry(&app, &held).await;
    assert_eq!(last, first + chrono::Duration::minutes(5));
    app.clock.advance(chrono::Duration::minutes(4));
    let paid = app
        .gql(
            CHECKOUT,
            json!({ "b": held.booking, "pm": "pm_card_visa" }),
            Some(&held.buyer),
        )
        .await;
    assert_eq!(code(&paid), "HOLD_EXPIRED", "{paid}");
}

async fn expiry(app: &TestApp, held: &OneHeld) -> chrono::DateTime<chrono::Utc> {
    let data = app
        .ok(
            "query($b: ID!) { booking(id: $b) { expiresAt } }",
            json!({ "b": held.booking }),
            Some(&held.buyer),
        )
        .await;
    time(&data["booking"]["expiresAt"])
}
