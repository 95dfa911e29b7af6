//! The cancellation a buyer is shown before confirming: the refund the policy gives now and
//! until when, and `cancelBooking` then refunds exactly that.

use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status totalCents } }";
const QUOTE: &str = "query($b: ID!) { booking(id: $b) { showtime { startsAt } cancellation { allowed refundCents refundShare reason fullRefundUntil partialRefundUntil } } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";

async fn quote(app: &TestApp, token: &str, booking: &str) -> Value {
    app.ok(QUOTE, json!({ "b": booking }), Some(token)).await["booking"].clone()
}

async fn bought(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> (String, i64) {
    let held = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = app.ok(CHECKOUT, json!({ "b": booking }), Some(token)).await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    (booking, paid["checkout"]["totalCents"].as_i64().unwrap())
}

#[tokio::test]
async fn the_quoted_refund_follows_the_policy_and_is_what_cancelling_refunds() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("quote@example.com").await;

    // A held booking cannot be cancelled (it is released instead).
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[5]] }),
            Some(&buyer),
        )
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = quote(&app, &buyer, &held).await;
    assert_eq!(q["cancellation"]["allowed"], false);
    assert_eq!(q["cancellation"]["refundShare"], "NONE");

    // A day and more ahead: all of it, and the policy's deadlines.
    let (booking, total) = bought(&app, &buyer, &showtime, &seats[..2]).await;
    let q = quote(&app, &buyer, &booking).await;
    let starts = time(&q["showtime"]["startsAt"]);
    let c = &q["cancellation"];
    assert_eq!(
        (&c["allowed"], &c["refundShare"], c["refundCents"].as_i64()),
        (&json!(true), &json!("FULL"), Some(total))
    );
    assert_eq!(
        time(&c["fullRefundUntil"]),
        starts - chrono::Duration::hours(24)
    );
    assert_eq!(
        time(&c["partialRefundUntil"]),
        starts - chrono::Duration::hours(2)
    );

    // Past the first deadline: half, and cancelling refunds exactly the quote.
    app.clock.advance(chrono::Duration::hours(7));
    let q = quote(&app, &buyer, &booking).await;
    assert_eq!(q["cancellation"]["refundShare"], "HALF");
    let quoted = q["cancellation"]["refundCents"].as_i64().unwrap();
    assert_eq!(quoted, total / 2);
    let refunded_before = app.fake().refunded_cents();
    let done = app.ok(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(done["cancelBooking"]["status"], "CANCELLED");
    assert_eq!(app.fake().refunded_cents() - refunded_before, quoted);
    let q = quote(&app, &buyer, &booking).await;
    assert_eq!(q["cancellation"]["allowed"], false);

    // Within two hours of the show: refused, with the reason, and cancelling is refused too.
    let (late, _) = bought(&app, &buyer, &showtime, &seats[2..3]).await;
    app.clock.advance(chrono::Duration::hours(22));
    let q = quote(&app, &buyer, &late).await;
    let c = &q["cancellation"];
    assert_eq!(
        (&c["allowed"], &c["refundShare"]),
        (&json!(false), &json!("NONE"))
    );
    assert_eq!(c["refundCents"], 0);
    assert!(c["reason"].as_str().unwrap().contains("too close"), "{c}");
    let body = app.gql(CANCEL, json!({ "b": late }), Some(&buyer)).await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
}
