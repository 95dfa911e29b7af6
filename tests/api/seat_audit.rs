//! The seat ledger admins (and the on-sale load test) read from the database: it agrees
//! with a sale, and it shows a double sale that no buyer was told of.

use serde_json::json;

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const AUDIT: &str = "query($s: ID!) { showtimeSeatAudit(showtimeId: $s) { seats seatsSold liveTickets confirmedBookings seatsWithTwoTickets seatsInTwoBookings soldWithoutTicket ticketsOnUnsoldSeats consistent } }";

#[tokio::test]
async fn the_seat_audit_agrees_with_a_sale_and_shows_a_seat_sold_twice() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let admin = app.admin().await;
    let buyer = app.customer("ledger@marquee.test").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0], seats[1]] }),
            Some(&buyer),
        )
        .await;
    let paid = app
        .ok(
            CHECKOUT,
            json!({ "b": held["holdSeats"]["id"] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    // A second buyer's hold is not a sale.
    let other = app.customer("holder@marquee.test").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[2]] }),
        Some(&other),
    )
    .await;

    let audit = app.ok(AUDIT, json!({ "s": showtime }), Some(&admin)).await;
    assert_eq!(
        audit["showtimeSeatAudit"],
        json!({ "seats": seats.len(), "seatsSold": 2, "liveTickets": 2, "confirmedBookings": 1,
                "seatsWithTwoTickets": 0, "seatsInTwoBookings": 0, "soldWithoutTicket": 0,
                "ticketsOnUnsoldSeats": 0, "consistent": true })
    );

    // Both tickets moved onto one seat behind the API's back: one seat sold twice, the other
    // marked sold with no ticket. The buyers were told nothing; the ledger shows it.
    sql_exec(
        &app,
        "UPDATE tickets SET seat_id = (SELECT seat_id FROM tickets ORDER BY seat_id DESC LIMIT 1) \
         WHERE seat_id = (SELECT seat_id FROM tickets ORDER BY seat_id LIMIT 1)",
    )
    .await;
    let audit = app.ok(AUDIT, json!({ "s": showtime }), Some(&admin)).await;
    let a = &audit["showtimeSeatAudit"];
    assert_eq!(a["liveTickets"], 2);
    assert_eq!(a["seatsWithTwoTickets"], 1, "{a}");
    assert_eq!(a["soldWithoutTicket"], 1, "{a}");
    assert_eq!(a["consistent"], false, "{a}");
}

#[tokio::test]
async fn only_admins_read_the_seat_audit() {
    let app = spawn_app().await;
    let (showtime, _) = opening_night(&app).await;
    let buyer = app.customer("curious@marquee.test").await;
    let body = app.gql(AUDIT, json!({ "s": showtime }), Some(&buyer)).await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    let body = app.gql(AUDIT, json!({ "s": showtime }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    let admin = app.admin().await;
    let body = app
        .gql(
            AUDIT,
            json!({ "s": uuid::Uuid::new_v4().to_string() }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
}
