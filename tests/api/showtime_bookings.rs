//! What staff see before moving or cancelling a showtime: its bookings by state, read for
//! a whole list of showtimes in one batch.

use marquee_domain::payments::FakeBehaviour;
use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const LIST: &str = "query($t: ID!) { showtimes(theatreId: $t) { id bookings { confirmed paymentPending held tickets } } }";

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> String {
    app.ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn counts(app: &TestApp, admin: &str, theatre: &str) -> Vec<(String, Value)> {
    app.ok(LIST, json!({ "t": theatre }), Some(admin)).await["showtimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_owned(), s["bookings"].clone()))
        .collect()
}

#[tokio::test]
async fn staff_see_each_showtimes_bookings_by_state_and_buyers_do_not() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let busy = app.showtime_at(&f, 30).await;
    let quiet = app.showtime_at(&f, 60).await;
    let seats = seat_ids(&app, &busy).await;
    let buyer = app.customer("counted@example.com").await;
    for range in [0..2, 2..3] {
        let b = hold(&app, &buyer, &busy, &seats[range]).await;
        app.ok(CHECKOUT, json!({ "b": b }), Some(&buyer)).await;
    }
    let paying = hold(&app, &buyer, &busy, &seats[3..4]).await;
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);
    app.ok(CHECKOUT, json!({ "b": paying }), Some(&buyer)).await;
    app.fake().set_behaviour(FakeBehaviour::Normal);
    hold(&app, &buyer, &busy, &seats[4..6]).await;

    let listed = counts(&app, &f.admin, &f.theatre_id).await;
    let of = |id: &str| listed.iter().find(|(s, _)| s == id).unwrap().1.clone();
    assert_eq!(
        of(&busy),
        json!({ "confirmed": 2, "paymentPending": 1, "held": 1, "tickets": 3 })
    );
    assert_eq!(
        of(&quiet),
        json!({ "confirmed": 0, "paymentPending": 0, "held": 0, "tickets": 0 })
    );

    // A lapsed hold is nobody's any more.
    app.clock.advance(chrono::Duration::minutes(11));
    let listed = counts(&app, &f.admin, &f.theatre_id).await;
    assert_eq!(
        listed.iter().find(|(s, _)| *s == busy).unwrap().1["held"],
        0
    );

    let body = app
        .gql(LIST, json!({ "t": f.theatre_id }), Some(&buyer))
        .await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
}
