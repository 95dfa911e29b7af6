//! Paying with a gift card: spent first, the rest charged to the card (nothing when it
//! covers the total), given back when the card payment fails, and on cancellation in the
//! proportion it paid. The verdicts are read from the database: balances, history, the
//! payments' amounts and the refunds written.

use serde_json::json;

use crate::gift_cards_setup::*;
use crate::helpers::*;

const BALANCE: &str = "query($c: String!) { giftCardBalance(code: $c) { balanceCents currency usable refusal organisationName } }";
const QUOTE: &str = "query($b: ID!, $g: String) { checkoutQuote(bookingId: $b, giftCardCode: $g) { totalCents giftCardCents cardCents } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";

#[tokio::test]
async fn a_gift_card_pays_first_and_the_card_is_charged_only_the_rest() {
    let app = spawn_app().await;
    let c = chain(&app, "partial").await;
    let buyer = app.customer("partial@example.com").await;

    // Partial cover: 1000 of a 1200 ticket; the card is charged 200.
    let (code, card) = issue(&app, &c.manager, &c.org, 1_000).await;
    let booking = hold(&app, &buyer, &c.showtime, &c.seats[..1]).await;
    let quoted = app
        .ok(QUOTE, json!({ "b": booking, "g": code }), Some(&buyer))
        .await;
    assert_eq!(quoted["checkoutQuote"]["totalCents"], 1_200);
    assert_eq!(quoted["checkoutQuote"]["giftCardCents"], 1_000);
    assert_eq!(quoted["checkoutQuote"]["cardCents"], 200);
    let body = pay(&app, &buyer, &booking, "pm_card_visa", &code).await;
    assert!(body.get("errors").is_none(), "{body}");
    let paid = &body["data"]["checkout"];
    assert_eq!(paid["status"], "CONFIRMED");
    assert_eq!(paid["totalCents"], 1_200);
    assert_eq!(paid["payment"]["giftCardCents"], 1_000);
    assert_eq!(paid["payment"]["cardCents"], 200);
    assert_eq!(card_amounts(&app, &booking).await, vec![200]);
    assert_eq!(balance(&app, &card).await, 0);
    assert_eq!(
        entries(&app, &card).await,
        vec![("issue".into(), 1_000, 1_000), ("spend".into(), -1_000, 0)]
    );
    assert_eq!(app.fake().taken_count(), 1);

    // Full cover: nothing charged, the booking confirmed without the gateway.
    let (code, card) = issue(&app, &c.manager, &c.org, 5_000).await;
    let booking = hold(&app, &buyer, &c.showtime, &c.seats[1..3]).await;
    let body = pay(&app, &buyer, &booking, "pm_card_visa", &code).await;
    let paid = &body["data"]["checkout"];
    assert_eq!(paid["status"], "CONFIRMED", "{body}");
    assert_eq!(paid["payment"]["giftCardCents"], 2_400);
    assert_eq!(paid["payment"]["cardCents"], 0);
    assert_eq!(paid["payment"]["status"], "SUCCEEDED");
    assert_eq!(card_amounts(&app, &booking).await, vec![0]);
    assert_eq!(balance(&app, &card).await, 2_600);
    assert_eq!(
        app.fake().taken_count(),
        1,
        "nothing was charged to the card"
    );
    let tickets = sql_texts(
        &app,
        "SELECT code FROM tickets WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(tickets.len(), 2);

    // The buyer checks what is left; the answer is the stored balance.
    let left = app
        .ok(BALANCE, json!({ "c": code.to_lowercase() }), Some(&buyer))
        .await;
    assert_eq!(left["giftCardBalance"]["balanceCents"], 2_600);
    assert_eq!(left["giftCardBalance"]["currency"], "USD");
    assert_eq!(left["giftCardBalance"]["usable"], true);
    assert_eq!(
        left["giftCardBalance"]["organisationName"],
        "partial cinemas"
    );
}

#[tokio::test]
async fn a_refused_or_declined_card_payment_gives_the_gift_card_part_back() {
    let app = spawn_app().await;
    let c = chain(&app, "declined").await;
    let buyer = app.customer("declined@example.com").await;
    let (gift, card) = issue(&app, &c.manager, &c.org, 1_000).await;
    let booking = hold(&app, &buyer, &c.showtime, &c.seats[..1]).await;

    // Refused outright by the gateway: the booking is held again, the card whole.
    let body = pay(&app, &buyer, &booking, "pm_no_such_method", &gift).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "paymentMethod");
    assert_eq!(balance(&app, &card).await, 1_000);

    // Declined: the booking fails, the card is whole again.
    let body = pay(&app, &buyer, &booking, "pm_card_chargeDeclined", &gift).await;
    assert_eq!(
        body["data"]["checkout"]["status"], "PAYMENT_FAILED",
        "{body}"
    );
    assert_eq!(balance(&app, &card).await, 1_000);
    assert_eq!(
        entries(&app, &card).await,
        vec![
            ("issue".into(), 1_000, 1_000),
            ("spend".into(), -1_000, 0),
            ("restore".into(), 1_000, 1_000),
            ("spend".into(), -1_000, 0),
            ("restore".into(), 1_000, 1_000)
        ]
    );

    // The card is whole again and pays another booking.
    let again = hold(&app, &buyer, &c.showtime, &c.seats[..1]).await;
    let body = pay(&app, &buyer, &again, "pm_card_visa", &gift).await;
    assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
    assert_eq!(balance(&app, &card).await, 0);
}

#[tokio::test]
async fn cancelling_gives_back_to_the_gift_card_and_the_card_in_the_proportion_paid() {
    let app = spawn_app().await;
    let c = chain(&app, "cancel").await;
    let buyer = app.customer("cancel@example.com").await;

    // Covered in full, cancelled a day ahead: all of it back on the gift card, no refund.
    let (code, covered_card) = issue(&app, &c.manager, &c.org, 1_500).await;
    let covered = hold(&app, &buyer, &c.showtime, &c.seats[..1]).await;
    let body = pay(&app, &buyer, &covered, "pm_card_visa", &code).await;
    assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
    assert_eq!(balance(&app, &covered_card).await, 300);
    let done = app.ok(CANCEL, json!({ "b": covered }), Some(&buyer)).await;
    assert_eq!(done["cancelBooking"]["status"], "CANCELLED");
    assert_eq!(balance(&app, &covered_card).await, 1_500);
    assert!(refund_amounts(&app, &covered).await.is_empty());

    // 1000 of 2400 on the gift card, 1400 on the card; cancelled for half (1200):
    // 500 back on the gift card, 700 refunded to the card.
    let (code, card) = issue(&app, &c.manager, &c.org, 1_000).await;
    let booking = hold(&app, &buyer, &c.showtime, &c.seats[1..3]).await;
    let body = pay(&app, &buyer, &booking, "pm_card_visa", &code).await;
    assert_eq!(body["data"]["checkout"]["payment"]["cardCents"], 1_400);
    app.clock.advance(chrono::Duration::hours(7));
    let refunded_before = app.fake().refunded_cents();
    let done = app.ok(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(done["cancelBooking"]["status"], "CANCELLED");
    assert_eq!(balance(&app, &card).await, 500);
    assert_eq!(
        entries(&app, &card).await,
        vec![
            ("issue".into(), 1_000, 1_000),
            ("spend".into(), -1_000, 0),
            ("restore".into(), 500, 500)
        ]
    );
    assert_eq!(refund_amounts(&app, &booking).await, vec![700]);
    assert_eq!(app.fake().refunded_cents() - refunded_before, 700);
}

#[tokio::test]
async fn only_cards_of_the_showtimes_organisation_in_its_currency_are_accepted() {
    let app = spawn_app().await;
    let a = chain(&app, "alpha").await;
    let b = chain(&app, "beta").await;
    let buyer = app.customer("roamer@example.com").await;
    let (code_b, card_b) = issue(&app, &b.manager, &b.org, 1_000).await;
    let (code_a, card_a) = issue(&app, &a.manager, &a.org, 1_000).await;

    // Beta's card at Alpha's showtime.
    let booking = hold(&app, &buyer, &a.showtime, &a.seats[..1]).await;
    let body = pay(&app, &buyer, &booking, "pm_card_visa", &code_b).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "giftCardCode");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "GIFT_CARD_OTHER_ORGANISATION"
    );
    assert_eq!(balance(&app, &card_b).await, 1_000);
    assert_eq!(app.fake().charge_count(), 0);
    let status = sql_texts(
        &app,
        "SELECT status FROM bookings WHERE id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(status, vec!["held"], "the refused checkout changed nothing");

    // Alpha's dollar card at an Alpha showtime priced in euros.
    let euros = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": a.fixture.screen_id, "movieId": a.fixture.movie_id, "startsAt": in_hours(60),
                            "prices": all_prices(), "currency": "EUR" } }),
            Some(&b.fixture.admin),
        )
        .await["createShowtime"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let seats = standard_seats(&app, &euros).await;
    let in_euros = hold(&app, &buyer, &euros, &seats[..1]).await;
    let body = pay(&app, &buyer, &in_euros, "pm_card_visa", &code_a).await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "GIFT_CARD_OTHER_CURRENCY",
        "{body}"
    );

    // A showtime of the platform's own theatre accepts no organisation's card.
    let platform = app.fixture().await;
    let show = app.showtime_at(&platform, 30).await;
    let seats = standard_seats(&app, &show).await;
    let own = hold(&app, &buyer, &show, &seats[..1]).await;
    let body = pay(&app, &buyer, &own, "pm_card_visa", &code_a).await;
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], "GIFT_CARD_OTHER_ORGANISATION",
        "{body}"
    );
    assert_eq!(balance(&app, &card_a).await, 1_000);

    // The right card still works on the held booking.
    let body = pay(&app, &buyer, &booking, "pm_card_visa", &code_a).await;
    assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
}

#[tokio::test]
async fn expired_disabled_unknown_and_malformed_codes_are_refused() {
    let app = spawn_app().await;
    let c = chain(&app, "refusals").await;
    let buyer = app.customer("refused@example.com").await;
    let expiring = app
        .ok(
            ISSUE,
            json!({ "i": { "organisationId": c.org, "amountCents": 1_000, "expiresAt": in_hours(1) } }),
            Some(&c.manager),
        )
        .await;
    let expiring_code = expiring["issueGiftCard"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (disabled_code, disabled) = issue(&app, &c.manager, &c.org, 1_000).await;
    app.ok(
        "mutation($id: ID!) { disableGiftCard(id: $id) { disabledAt } }",
        json!({ "id": disabled }),
        Some(&c.manager),
    )
    .await;
    app.clock.advance(chrono::Duration::hours(2));
    let booking = hold(&app, &buyer, &c.showtime, &c.seats[..1]).await;

    for (given, reason) in [
        (expiring_code.as_str(), "GIFT_CARD_EXPIRED"),
        (disabled_code.as_str(), "GIFT_CARD_DISABLED"),
    ] {
        let body = pay(&app, &buyer, &booking, "pm_card_visa", given).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["reason"], reason);
        let seen = app.ok(BALANCE, json!({ "c": given }), Some(&buyer)).await;
        assert_eq!(seen["giftCardBalance"]["usable"], false);
        assert_eq!(seen["giftCardBalance"]["refusal"], reason);
    }
    let body = pay(
        &app,
        &buyer,
        &booking,
        "pm_card_visa",
        "AAAA-BBBB-CCCC-DDDD",
    )
    .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let body = app
        .gql(BALANCE, json!({ "c": "AAAA-BBBB-CCCC-DDDD" }), Some(&buyer))
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    for malformed in ["short", "AAAA-BBBB-CCCC-DDD0", &"A".repeat(5_000)] {
        let body = pay(&app, &buyer, &booking, "pm_card_visa", malformed).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "giftCardCode");
    }
    // Without a sign-in, no balance.
    let body = app.gql(BALANCE, json!({ "c": disabled_code }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    assert_eq!(app.fake().charge_count(), 0);
    assert_eq!(balance(&app, &disabled).await, 1_000);
}

#[tokio::test]
async fn balance_checks_and_quotes_with_a_code_are_rate_limited_per_account_aliases_included() {
    let app = spawn_app_with(|s| {
        s.rate_limit_gift_card_account = marquee::config::Rate::per(3, 3_600);
    })
    .await;
    let buyer = app.customer("guesser@example.com").await;
    // Two guesses in one document by aliases, then one more: three, the limit.
    let aliased = "query { a: giftCardBalance(code: \"AAAA-BBBB-CCCC-DDDD\") { balanceCents } b: giftCardBalance(code: \"AAAA-BBBB-CCCC-DDDE\") { balanceCents } }";
    let body = app.gql(aliased, json!({}), Some(&buyer)).await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    // A quote with a code tells whether the code exists: it counts too.
    let body = app
        .gql(
            QUOTE,
            json!({ "b": uuid::Uuid::now_v7().to_string(), "g": "AAAA-BBBB-CCCC-DDDF" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let resp = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&buyer)
        .json(&json!({ "query": BALANCE, "variables": { "c": "AAAA-BBBB-CCCC-DDDG" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "RATE_LIMITED", "{body}");
}
