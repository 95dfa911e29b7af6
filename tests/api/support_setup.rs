//! What the help-center tests start from: organisations and their staff written straight
//! into the test's database (as the organisation tests do), a theatre of an organisation,
//! and confirmed bookings there.

use marquee_entity::{organisation_members, organisations, theatres};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

pub const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
pub const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status totalCents } }";
pub const OPEN: &str =
    "mutation($i: OpenTicketInput!) { openTicket(input: $i) { id status organisationId } }";
pub const REPLY: &str =
    "mutation($t: ID!, $b: String!) { replyToTicket(ticketId: $t, body: $b) { id internal } }";
pub const NOTE: &str =
    "mutation($t: ID!, $b: String!) { addTicketNote(ticketId: $t, body: $b) { id internal } }";
pub const RESOLVE: &str =
    "mutation($t: ID!) { resolveTicket(ticketId: $t) { id status resolvedAt } }";
pub const REFUND: &str = "mutation($t: ID!, $a: Int) { refundFromTicket(ticketId: $t, amountCents: $a) { booking { id status } ticket { id } } }";
pub const MY_TICKET: &str = "query($t: ID!) { myTicket(id: $t) { id status firstResponseSeconds messages { body internal fromStaff source } } }";
pub const STAFF_TICKET: &str = "query($t: ID!) { supportTicket(id: $t) { id status overdue firstResponseSeconds messages { body internal fromStaff source } booking { id status totalCents } } }";
pub const QUEUE: &str = "query($f: SupportQueueFilter) { supportQueue(filter: $f) { id status overdue organisationId firstResponseSeconds } }";

/// A new organisation; its id.
pub async fn organisation(app: &TestApp, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    let now = app.services.clock.now();
    organisations::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        slug: Set(format!(
            "{}-{}",
            name.to_lowercase().replace(' ', "-"),
            id.simple()
        )),
        currency: Set("USD".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.services.db)
    .await
    .unwrap();
    id
}

/// Signs `email` up and makes it a member of `org` with `role`; (token, user id).
pub async fn member(
    app: &TestApp,
    org: Uuid,
    email: &str,
    role: &str,
    refund_limit_cents: Option<i64>,
) -> (String, String) {
    let token = app.customer(email).await;
    let me = app.ok("{ me { id } }", json!({}), Some(&token)).await;
    let user = me["me"]["id"].as_str().unwrap().to_owned();
    organisation_members::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(org),
        user_id: Set(Uuid::parse_str(&user).unwrap()),
        role: Set(role.to_owned()),
        refund_limit_cents: Set(refund_limit_cents),
        created_at: Set(app.services.clock.now()),
    }
    .insert(&app.services.db)
    .await
    .unwrap();
    (token, user)
}

/// A showtime two days ahead in a new theatre of `org`, and its seat ids.
pub async fn showtime_of(app: &TestApp, org: Uuid) -> (String, Vec<String>) {
    let f = app.fixture().await;
    theatres::Entity::update_many()
        .col_expr(theatres::Column::OrganisationId, Expr::value(org))
        .filter(theatres::Column::Id.eq(Uuid::parse_str(&f.theatre_id).unwrap()))
        .exec(&app.services.db)
        .await
        .unwrap();
    let showtime = app.showtime_at(&f, 48).await;
    let seats = seat_ids(app, &showtime).await;
    (showtime, seats)
}

/// `token`'s confirmed booking of `seats`; (booking id, total).
pub async fn confirmed(
    app: &TestApp,
    token: &str,
    showtime: &str,
    seats: &[String],
) -> (String, i64) {
    let held = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = app.ok(CHECKOUT, json!({ "b": booking }), Some(token)).await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    (booking, paid["checkout"]["totalCents"].as_i64().unwrap())
}

/// Opens a ticket for `token`, about `booking` when given; its id.
pub async fn open_ticket(
    app: &TestApp,
    token: &str,
    subject: &str,
    booking: Option<&str>,
) -> String {
    let data = app
        .ok(
            OPEN,
            json!({ "i": { "subject": subject, "body": "Please help.", "bookingId": booking } }),
            Some(token),
        )
        .await;
    data["openTicket"]["id"].as_str().unwrap().to_owned()
}

/// The ids listed by a queue answer.
pub fn ids(queue: &Value) -> Vec<String> {
    queue["supportQueue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}
