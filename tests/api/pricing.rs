//! What a buyer pays: the booking fee per ticket, a FIXED promotion at checkout, and the
//! checkout extension that keeps the seats at least that long for the payment.

use std::time::Duration;

use marquee_domain::clock::Clock;
use marquee_domain::payments::FakeBehaviour;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, smtp_url, wait_for};

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id expiresAt } }";
const CHECKOUT: &str = "mutation($b: ID!, $promo: String) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\", promoCode: $promo }) { status subtotalCents totalCents expiresAt } }";
const PROMOTION: &str = "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }";

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> Value {
    app.ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await["holdSeats"]
        .clone()
}

/// One column of one row, as text.
async fn one(app: &TestApp, sql: &str, id: &str) -> String {
    let rows = sql_texts(app, sql, [uuid(id)]).await;
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    rows[0].clone()
}

#[tokio::test]
async fn the_booking_fee_is_charged_per_ticket_stored_with_the_payment_and_shown_in_the_email() {
    let app = spawn_app_with(|s| {
        s.booking_fee_cents = 150;
        s.smtp_url = Some(SecretString::from(smtp_url()));
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("fee", "example.com");
    let buyer = app.customer(&to).await;
    let held = hold(&app, &buyer, &showtime, &seats[..2]).await;
    let booking = held["id"].as_str().unwrap();
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    // Two seats at 15.00 and 1.50 a ticket.
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    assert_eq!(paid["checkout"]["subtotalCents"], 3000);
    assert_eq!(paid["checkout"]["totalCents"], 3300);
    assert_eq!(
        one(
            &app,
            "SELECT fee_cents FROM bookings WHERE id = $1",
            booking
        )
        .await,
        "300"
    );
    assert_eq!(
        one(
            &app,
            "SELECT amount_cents FROM payments WHERE booking_id = $1",
            booking
        )
        .await,
        "3300"
    );
    let mail = wait_for(&to, 1, Duration::from_secs(20)).await;
    let text = mail[0]["text"].as_str().unwrap();
    assert!(text.contains("Booking fee: 3.00 USD"), "{text}");
    assert!(text.contains("Total paid:  33.00 USD"), "{text}");
}

#[tokio::test]
async fn a_fixed_promotion_takes_its_amount_off_at_checkout_never_below_zero_and_only_in_its_currency()
 {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    for (code, value, currency) in [
        ("FIVEOFF", 500, "USD"),
        ("BIGGIFT", 99_900, "USD"),
        ("EUROS", 500, "EUR"),
    ] {
        app.ok(
            PROMOTION,
            json!({ "i": { "code": code, "kind": "FIXED", "value": value, "currency": currency,
                           "startsAt": in_hours(-1), "endsAt": in_hours(48) } }),
            Some(&admin),
        )
        .await;
    }
    let buyer = app.customer("fixed@example.com").await;

    let held = hold(&app, &buyer, &showtime, &seats[..2]).await;
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": held["id"], "promo": "fiveoff" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    assert_eq!(paid["checkout"]["totalCents"], 2500);
    let id = held["id"].as_str().unwrap();
    assert_eq!(
        one(
            &app,
            "SELECT discount_cents FROM bookings WHERE id = $1",
            id
        )
        .await,
        "500"
    );
    assert_eq!(
        one(
            &app,
            "SELECT amount_cents FROM payments WHERE booking_id = $1",
            id
        )
        .await,
        "2500"
    );
    assert_eq!(
        sql_texts(
            &app,
            "SELECT uses FROM promotions WHERE code = 'FIVEOFF'",
            []
        )
        .await,
        vec!["1"]
    );

    // More than the tickets cost: free, and nothing is charged.
    let charges = app.fake().charge_count();
    let held = hold(&app, &buyer, &showtime, &seats[2..3]).await;
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": held["id"], "promo": "BIGGIFT" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    assert_eq!(paid["checkout"]["totalCents"], 0);
    assert_eq!(app.fake().charge_count(), charges);

    // An amount in another currency is refused, and the booking stays payable.
    let held = hold(&app, &buyer, &showtime, &seats[3..4]).await;
    let body = app
        .gql(
            CHECKOUT,
            json!({ "b": held["id"], "promo": "EUROS" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    let paid = app
        .ok(CHECKOUT, json!({ "b": held["id"] }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["totalCents"], 1500);
}

#[tokio::test]
async fn a_checkout_keeps_the_seats_at_least_the_extension_and_never_shortens_the_hold() {
    let app = spawn_app_with(|s| s.checkout_extension_minutes = 5).await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("extension@example.com").await;
    // The gateway takes the charges but never answers: the bookings stay PAYMENT_PENDING
    // and show how long their seats are kept.
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);

    // Paid early: the hold's own end is later than the extension, and is kept.
    let early = hold(&app, &buyer, &showtime, &seats[..1]).await;
    let hold_end = time(&early["expiresAt"]);
    app.clock.advance(chrono::Duration::minutes(1));
    let paid = app
        .ok(CHECKOUT, json!({ "b": early["id"] }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "PAYMENT_PENDING");
    assert_eq!(time(&paid["checkout"]["expiresAt"]), hold_end);

    // Paid with 30 s of the hold left: kept five minutes from the checkout.
    let late = hold(&app, &buyer, &showtime, &seats[1..2]).await;
    let hold_end = time(&late["expiresAt"]);
    app.clock.advance(chrono::Duration::seconds(9 * 60 + 30));
    let before = app.clock.now();
    let paid = app
        .ok(CHECKOUT, json!({ "b": late["id"] }), Some(&buyer))
        .await;
    let after = app.clock.now();
    assert_eq!(paid["checkout"]["status"], "PAYMENT_PENDING");
    let kept = time(&paid["checkout"]["expiresAt"]);
    assert!(kept > hold_end, "{kept} not past the hold's end {hold_end}");
    assert!(
        kept >= before + chrono::Duration::minutes(5)
            && kept <= after + chrono::Duration::minutes(5),
        "kept until {kept}, checkout between {before} and {after}"
    );
    // The seat stays held on the map, and the database keeps it until then.
    assert_eq!(seat_statuses(&app, &showtime).await[&seats[1]], "HELD");
    let stored = sql_texts(
        &app,
        "SELECT COUNT(*) FROM show_seats WHERE seat_id = $1 AND status = 'held' AND hold_expires_at = $2",
        [uuid(&seats[1]), kept.into()],
    )
    .await;
    assert_eq!(stored, vec!["1"]);
}
