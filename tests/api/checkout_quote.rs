//! The totals a buyer sees before paying: `checkoutQuote` prices a held booking as
//! `checkout` then charges it (booking fee per ticket, PERCENT and FIXED promotions), and
//! refuses a code it would refuse, with the reason.

use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const QUOTE: &str = "query($b: ID!, $promo: String) { checkoutQuote(bookingId: $b, promoCode: $promo) { subtotalCents discountCents feeCents totalCents currency promoCode promotionDescription } }";
const CHECKOUT: &str = "mutation($b: ID!, $promo: String) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\", promoCode: $promo }) { status subtotalCents totalCents } }";
const PROMOTION: &str = "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id } }";

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> String {
    app.ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn promotion(app: &TestApp, admin: &str, input: Value) {
    app.ok(PROMOTION, json!({ "i": input }), Some(admin)).await;
}

/// Quotes, then pays: the charge must be the quoted total.
async fn quote_then_pay(app: &TestApp, buyer: &str, booking: &str, promo: Option<&str>) -> Value {
    let quote = app
        .ok(QUOTE, json!({ "b": booking, "promo": promo }), Some(buyer))
        .await["checkoutQuote"]
        .clone();
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": booking, "promo": promo }),
            Some(buyer),
        )
        .await["checkout"]
        .clone();
    assert_eq!(paid["status"], "CONFIRMED", "{paid}");
    assert_eq!(
        paid["totalCents"], quote["totalCents"],
        "{quote} then {paid}"
    );
    assert_eq!(paid["subtotalCents"], quote["subtotalCents"]);
    let charged = sql_texts(
        app,
        "SELECT amount_cents FROM payments WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await;
    assert_eq!(charged, vec![quote["totalCents"].to_string()]);
    quote
}

#[tokio::test]
async fn the_quote_shows_fee_and_discount_before_paying_and_checkout_charges_exactly_it() {
    let app = spawn_app_with(|s| s.booking_fee_cents = 150).await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    promotion(
        &app,
        &admin,
        json!({ "code": "QUOTE20", "description": "20% off the tickets", "kind": "PERCENT", "value": 20,
                "startsAt": in_hours(-1), "endsAt": in_hours(48) }),
    )
    .await;
    promotion(
        &app,
        &admin,
        json!({ "code": "QUOTE5", "description": "5 dollars off", "kind": "FIXED", "value": 500,
                "currency": "USD", "startsAt": in_hours(-1), "endsAt": in_hours(48) }),
    )
    .await;
    let buyer = app.customer("quote@example.com").await;

    // Two seats at 15.00 and 1.50 a ticket, no code.
    let booking = hold(&app, &buyer, &showtime, &seats[..2]).await;
    let quote = quote_then_pay(&app, &buyer, &booking, None).await;
    assert_eq!(
        quote,
        json!({ "subtotalCents": 3000, "discountCents": 0, "feeCents": 300, "totalCents": 3300,
                "currency": "USD", "promoCode": null, "promotionDescription": null })
    );

    // 20% of the tickets (not of the fee), typed in lower case.
    let booking = hold(&app, &buyer, &showtime, &seats[2..4]).await;
    let quote = quote_then_pay(&app, &buyer, &booking, Some("quote20")).await;
    assert_eq!(
        quote,
        json!({ "subtotalCents": 3000, "discountCents": 600, "feeCents": 300, "totalCents": 2700,
                "currency": "USD", "promoCode": "QUOTE20", "promotionDescription": "20% off the tickets" })
    );

    // A fixed amount in the booking's currency.
    let booking = hold(&app, &buyer, &showtime, &seats[4..5]).await;
    let quote = quote_then_pay(&app, &buyer, &booking, Some("QUOTE5")).await;
    assert_eq!(quote["discountCents"], 500);
    assert_eq!(quote["feeCents"], 150);
    assert_eq!(quote["totalCents"], 1500 - 500 + 150);
    assert_eq!(quote["promotionDescription"], "5 dollars off");

    // Quoting uses nothing up: only the checkout counts a use.
    assert_eq!(
        sql_texts(
            &app,
            "SELECT uses FROM promotions WHERE code = 'QUOTE20'",
            []
        )
        .await,
        vec!["1"]
    );
}

#[tokio::test]
async fn the_quote_refuses_a_code_checkout_would_refuse_with_its_reason_and_only_for_the_owner() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    for input in [
        json!({ "code": "ONCE", "kind": "PERCENT", "value": 10, "startsAt": in_hours(-1), "endsAt": in_hours(48), "maxUses": 1 }),
        json!({ "code": "LATER", "kind": "PERCENT", "value": 10, "startsAt": in_hours(5), "endsAt": in_hours(48) }),
        json!({ "code": "EUROS", "kind": "FIXED", "value": 500, "currency": "EUR", "startsAt": in_hours(-1), "endsAt": in_hours(48) }),
        json!({ "code": "MINE", "kind": "PERCENT", "value": 10, "startsAt": in_hours(-1), "endsAt": in_hours(48), "maxUsesPerUser": 1 }),
    ] {
        promotion(&app, &admin, input).await;
    }
    let buyer = app.customer("refused@example.com").await;
    let other = app.customer("someone-else@example.com").await;
    let first = hold(&app, &buyer, &showtime, &seats[..1]).await;
    quote_then_pay(&app, &buyer, &first, Some("ONCE")).await;
    let second = hold(&app, &buyer, &showtime, &seats[1..2]).await;
    quote_then_pay(&app, &buyer, &second, Some("MINE")).await;

    let booking = hold(&app, &buyer, &showtime, &seats[2..3]).await;
    for (promo, reason) in [
        ("NOPE", "PROMO_UNKNOWN"),
        ("LATER", "PROMO_NOT_VALID_NOW"),
        ("ONCE", "PROMO_USED_UP"),
        ("MINE", "PROMO_ALREADY_USED"),
        ("EUROS", "PROMO_OTHER_CURRENCY"),
    ] {
        let quoted = app
            .gql(QUOTE, json!({ "b": booking, "promo": promo }), Some(&buyer))
            .await;
        assert_eq!(code(&quoted), "BAD_USER_INPUT", "{promo}: {quoted}");
        let ext = &quoted["errors"][0]["extensions"];
        assert_eq!(ext["field"], "promoCode", "{quoted}");
        assert_eq!(ext["reason"], reason, "{quoted}");
        // Checkout refuses it the same way, and charges nothing.
        let paid = app
            .gql(
                CHECKOUT,
                json!({ "b": booking, "promo": promo }),
                Some(&buyer),
            )
            .await;
        assert_eq!(paid["errors"][0]["extensions"]["reason"], reason, "{paid}");
    }

    // Someone else's booking reads as missing, for another buyer and for an admin alike.
    for token in [&other, &admin] {
        let body = app.gql(QUOTE, json!({ "b": booking }), Some(token)).await;
        assert_eq!(code(&body), "NOT_FOUND", "{body}");
    }
    let body = app.gql(QUOTE, json!({ "b": booking }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");

    // A paid booking has nothing left to quote.
    let body = app.gql(QUOTE, json!({ "b": first }), Some(&buyer)).await;
    assert_eq!(code(&body), "CONFLICT", "{body}");

    // A lapsed hold is told as such.
    app.clock.advance(chrono::Duration::minutes(11));
    let body = app.gql(QUOTE, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(code(&body), "HOLD_EXPIRED", "{body}");
}
