//! What the gift card tests share: organisations and their managers written straight into
//! the test's database (their own API belongs to another area), a showtime of a theatre the
//! organisation owns, and reads of the stored truth about cards, payments and refunds.

use marquee_entity::{organisation_members, organisations, theatres};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::*;

pub const ISSUE: &str = "mutation($i: IssueGiftCardInput!) { issueGiftCard(input: $i) { code giftCard { id codeLast4 currency balanceCents } } }";
pub const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id totalCents } }";
pub const CHECKOUT: &str = "mutation($b: ID!, $m: String!, $g: String) { checkout(bookingId: $b, input: { paymentMethod: $m, giftCardCode: $g }) { id status totalCents currency payment { status cardCents giftCardCents } } }";

/// An organisation with its currency; returns its id.
pub async fn organisation(app: &TestApp, slug: &str, currency: &str) -> String {
    let id = uuid::Uuid::now_v7();
    let now = chrono::Utc::now();
    organisations::ActiveModel {
        id: Set(id),
        name: Set(format!("{slug} cinemas")),
        slug: Set(slug.to_owned()),
        currency: Set(currency.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.services.db)
    .await
    .unwrap();
    id.to_string()
}

/// Signs up a buyer and makes them a member of `org` with `role`; returns their token.
pub async fn member(app: &TestApp, org: &str, email: &str, role: &str) -> String {
    let token = app.customer(email).await;
    let me = app.ok("{ me { id } }", json!({}), Some(&token)).await;
    organisation_members::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organisation_id: Set(org.parse().unwrap()),
        user_id: Set(me["me"]["id"].as_str().unwrap().parse().unwrap()),
        role: Set(role.to_owned()),
        refund_limit_cents: Set(None),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(&app.services.db)
    .await
    .unwrap();
    token
}

/// Hands a theatre to an organisation.
pub async fn own_theatre(app: &TestApp, org: &str, theatre: &str) {
    theatres::Entity::update_many()
        .col_expr(
            theatres::Column::OrganisationId,
            Expr::value(Some(org.parse::<uuid::Uuid>().unwrap())),
        )
        .filter(theatres::Column::Id.eq(theatre.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.services.db)
        .await
        .unwrap();
}

/// A chain that owns the fixture's theatre, with a manager; a showtime 30 hours ahead in
/// `currency` (the fixture's seats cost 1200 standard, 1800 premium).
pub struct Chain {
    pub fixture: Fixture,
    pub org: String,
    pub manager: String,
    pub showtime: String,
    pub seats: Vec<String>,
}

pub async fn chain(app: &TestApp, slug: &str) -> Chain {
    let fixture = app.fixture().await;
    let org = organisation(app, slug, "USD").await;
    own_theatre(app, &org, &fixture.theatre_id).await;
    let manager = member(app, &org, &format!("manager@{slug}.test"), "manager").await;
    let showtime = app.showtime_at(&fixture, 30).await;
    let seats = standard_seats(app, &showtime).await;
    Chain {
        fixture,
        org,
        manager,
        showtime,
        seats,
    }
}

/// The standard seats of a showtime (all at one price).
pub async fn standard_seats(app: &TestApp, showtime: &str) -> Vec<String> {
    let map = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id category } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["category"] == "STANDARD")
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Issues a card of `org` for `amount`; returns (code, card id).
pub async fn issue(app: &TestApp, staff: &str, org: &str, amount: i64) -> (String, String) {
    let data = app
        .ok(
            ISSUE,
            json!({ "i": { "organisationId": org, "amountCents": amount } }),
            Some(staff),
        )
        .await;
    let issued = &data["issueGiftCard"];
    (
        issued["code"].as_str().unwrap().to_owned(),
        issued["giftCard"]["id"].as_str().unwrap().to_owned(),
    )
}

/// Holds `seats` for `buyer`; returns the booking id.
pub async fn hold(app: &TestApp, buyer: &str, showtime: &str, seats: &[String]) -> String {
    let data = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(buyer))
        .await;
    data["holdSeats"]["id"].as_str().unwrap().to_owned()
}

/// Checks out with a payment method and a gift card code; the whole response.
pub async fn pay(app: &TestApp, buyer: &str, booking: &str, method: &str, code: &str) -> Value {
    app.gql(
        CHECKOUT,
        json!({ "b": booking, "m": method, "g": code }),
        Some(buyer),
    )
    .await
}

/// The card's balance as stored.
pub async fn balance(app: &TestApp, card: &str) -> i64 {
    sql_texts(
        app,
        "SELECT balance_cents FROM gift_cards WHERE id = $1",
        [uuid(card)],
    )
    .await[0]
        .parse()
        .unwrap()
}

/// The card's history as stored, oldest first: (kind, signed amount, balance after).
pub async fn entries(app: &TestApp, card: &str) -> Vec<(String, i64, i64)> {
    let kinds = sql_texts(
        app,
        "SELECT kind FROM gift_card_entries WHERE gift_card_id = $1 ORDER BY id",
        [uuid(card)],
    )
    .await;
    let amounts = sql_texts(
        app,
        "SELECT amount_cents FROM gift_card_entries WHERE gift_card_id = $1 ORDER BY id",
        [uuid(card)],
    )
    .await;
    let after = sql_texts(
        app,
        "SELECT balance_after_cents FROM gift_card_entries WHERE gift_card_id = $1 ORDER BY id",
        [uuid(card)],
    )
    .await;
    kinds
        .into_iter()
        .zip(amounts)
        .zip(after)
        .map(|((k, a), b)| (k, a.parse().unwrap(), b.parse().unwrap()))
        .collect()
}

/// What the booking's payments were to charge the payment method, as stored.
pub async fn card_amounts(app: &TestApp, booking: &str) -> Vec<i64> {
    sql_texts(
        app,
        "SELECT amount_cents FROM payments WHERE booking_id = $1 ORDER BY created_at",
        [uuid(booking)],
    )
    .await
    .iter()
    .map(|a| a.parse().unwrap())
    .collect()
}

/// The refunds written for the booking, as stored.
pub async fn refund_amounts(app: &TestApp, booking: &str) -> Vec<i64> {
    sql_texts(
        app,
        "SELECT amount_cents FROM refunds WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await
    .iter()
    .map(|a| a.parse().unwrap())
    .collect()
}
