//! What the analytics tests share: organisations and their staff written straight into the
//! database, a sale with every ending a booking can have, the report over GraphQL and CSV,
//! and the same figures counted directly from the booking tables.

use chrono::{DateTime, Duration, DurationRound, Utc};
use marquee_domain::clock::Clock;
use marquee_entity::{organisation_members, organisations};
use sea_orm::{ConnectionTrait, EntityTrait, Set, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

/// The figures a report row carries, in the CSV's column order (from `ticketsSold`).
pub const FIGURES: [&str; 17] = [
    "ticketsSold",
    "ticketsReturned",
    "grossCents",
    "refundCents",
    "netCents",
    "feeCents",
    "discountCents",
    "promotionUses",
    "holdsPlaced",
    "checkoutsStarted",
    "confirmations",
    "holdsLapsed",
    "paymentFailures",
    "cancellations",
    "waitingRoomAdmissions",
    "waitingRoomEntries",
    "sellableSeats",
];

pub const REPORT: &str =
    "query($o: ID!, $f: DateTime!, $t: DateTime!, $g: ReportGranularity!, $b: ReportGroupBy!) {
  salesReport(organisationId: $o, from: $f, to: $t, granularity: $g, groupBy: $b) {
    bucket groupId groupName ticketsSold ticketsReturned grossCents refundCents netCents feeCents
    discountCents promotionUses holdsPlaced checkoutsStarted confirmations holdsLapsed
    paymentFailures cancellations waitingRoomAdmissions waitingRoomEntries sellableSeats occupancy
    averagePriceCents
  } }";

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!, $pm: String!) { checkout(bookingId: $b, input: { paymentMethod: $pm }) { status } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";
const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }";

/// A new organisation owning `theatre`; returns its id.
pub async fn organisation_owning(app: &TestApp, name: &str, theatre: &str) -> String {
    let id = Uuid::new_v4();
    let now = Utc::now();
    organisations::Entity::insert(organisations::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        slug: Set(format!("org-{}", id.simple())),
        currency: Set("USD".into()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&app.services.db)
    .await
    .unwrap();
    let backend = app.services.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE theatres SET organisation_id = $1 WHERE id = $2",
        _ => "UPDATE theatres SET organisation_id = ? WHERE id = ?",
    };
    app.services
        .db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [id.into(), uuid(theatre)],
        ))
        .await
        .unwrap();
    id.to_string()
}

/// A new account that is `role` (`manager` or `support`) of `org`; returns its token.
pub async fn member(app: &TestApp, org: &str, email: &str, role: &str) -> String {
    let token = app.customer(email).await;
    let me = app.ok("{ me { id } }", json!({}), Some(&token)).await;
    organisation_members::Entity::insert(organisation_members::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(Uuid::parse_str(org).unwrap()),
        user_id: Set(Uuid::parse_str(me["me"]["id"].as_str().unwrap()).unwrap()),
        role: Set(role.to_owned()),
        refund_limit_cents: Set((role == "support").then_some(5_000)),
        created_at: Set(Utc::now()),
    })
    .exec(&app.services.db)
    .await
    .unwrap();
    token
}

pub async fn hold(app: &TestApp, buyer: &str, showtime: &str, seats: &[String]) -> String {
    let held = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(buyer))
        .await;
    held["holdSeats"]["id"].as_str().unwrap().to_owned()
}

pub async fn pay(app: &TestApp, buyer: &str, booking: &str, method: &str) -> Value {
    app.ok(CHECKOUT, json!({ "b": booking, "pm": method }), Some(buyer))
        .await["checkout"]["status"]
        .clone()
}

/// Sells seats of `showtimes` (each with at least 10 seats) in every way a booking can
/// end: confirmed and kept, confirmed then cancelled with a refund, declined, given up,
/// and (last, as it moves the clock) lapsed. Returns the bookings made.
pub async fn generated_sale(app: &TestApp, buyer: &str, showtimes: &[String]) -> usize {
    let mut made = 0;
    for (n, showtime) in showtimes.iter().enumerate() {
        let seats = seat_ids(app, showtime).await;
        for (i, group) in [&seats[0..2], &seats[2..3], &seats[3..6]]
            .iter()
            .enumerate()
        {
            let b = hold(app, buyer, showtime, group).await;
            assert_eq!(pay(app, buyer, &b, "pm_card_visa").await, "CONFIRMED");
            if (i + n) % 2 == 1 {
                let done = app.ok(CANCEL, json!({ "b": b }), Some(buyer)).await;
                assert_eq!(done["cancelBooking"]["status"], "CANCELLED");
            }
            made += 1;
        }
        let declined = hold(app, buyer, showtime, &seats[6..7]).await;
        assert_eq!(
            pay(app, buyer, &declined, "pm_card_chargeDeclined").await,
            "PAYMENT_FAILED"
        );
        let given_up = hold(app, buyer, showtime, &seats[7..8]).await;
        app.ok(RELEASE, json!({ "b": given_up }), Some(buyer)).await;
        made += 2;
    }
    let lapsing = hold(
        app,
        buyer,
        &showtimes[0],
        &seat_ids(app, &showtimes[0]).await[8..10],
    )
    .await;
    app.clock.advance(Duration::minutes(11));
    wait_until(app, "the lapsed hold to expire", || async {
        sql_texts(
            app,
            &bind("SELECT status FROM bookings WHERE id = $1", app),
            [uuid(&lapsing)],
        )
        .await
            == ["expired"]
    })
    .await;
    made + 1
}

/// `sql` with `$n` placeholders as the app's backend spells them.
pub fn bind(sql: &str, app: &TestApp) -> String {
    match app.services.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => sql.to_owned(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// Polls `check` for up to 15 seconds.
pub async fn wait_until<F, Fut>(app: &TestApp, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let _ = app;
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until the rollup worker has taken in every outbox row.
pub async fn rolled_up(app: &TestApp) {
    wait_until(app, "the rollups to catch up", || async {
        sql_texts(
            app,
            "SELECT COUNT(*) FROM outbox WHERE rolled_up_at IS NULL",
            [],
        )
        .await
            == ["0"]
    })
    .await;
}

/// A period of whole days around now (the app's clock), as RFC 3339.
pub fn around_now(app: &TestApp) -> (String, String) {
    let today = day_of(app.clock.now());
    (
        (today - Duration::days(1)).to_rfc3339(),
        (today + Duration::days(2)).to_rfc3339(),
    )
}

/// The report's rows over the days around now, asked by `token`.
pub async fn report(
    app: &TestApp,
    token: &str,
    org: &str,
    granularity: &str,
    group: &str,
) -> Vec<Value> {
    let (from, to) = around_now(app);
    report_between(app, token, org, (&from, &to), granularity, group).await
}

/// The report's rows over `period` (RFC 3339 ends), asked by `token`.
pub async fn report_between(
    app: &TestApp,
    token: &str,
    org: &str,
    (from, to): (&str, &str),
    granularity: &str,
    group: &str,
) -> Vec<Value> {
    let data = app
        .ok(
            REPORT,
            json!({ "o": org, "f": from, "t": to, "g": granularity, "b": group }),
            Some(token),
        )
        .await;
    data["salesReport"].as_array().unwrap().clone()
}

/// Sums a figure over rows.
pub fn total(rows: &[Value], figure: &str) -> i64 {
    rows.iter().map(|r| r[figure].as_i64().unwrap()).sum()
}

/// The figures counted directly from bookings, tickets, payments, refunds and seats of
/// `org`'s showtimes, keyed as the report names them.
pub async fn direct_counts(app: &TestApp, org: &str) -> Vec<(&'static str, i64)> {
    let mine = "SELECT b.id FROM bookings b JOIN showtimes s ON s.id = b.showtime_id \
                JOIN theatres t ON t.id = s.theatre_id WHERE t.organisation_id = $1";
    let sold = format!("SELECT booking_id FROM tickets WHERE booking_id IN ({mine})");
    let queries: Vec<(&'static str, String)> = vec![
        (
            "ticketsSold",
            format!("SELECT COUNT(*) FROM tickets WHERE booking_id IN ({mine})"),
        ),
        (
            "ticketsReturned",
            format!(
                "SELECT COUNT(*) FROM tickets WHERE status = 'void' AND booking_id IN ({mine})"
            ),
        ),
        (
            "grossCents",
            format!(
                "SELECT CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) FROM bookings WHERE id IN ({sold})"
            ),
        ),
        (
            "refundCents",
            format!(
                "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM refunds WHERE booking_id IN ({sold})"
            ),
        ),
        (
            "feeCents",
            format!(
                "SELECT CAST(COALESCE(SUM(fee_cents), 0) AS BIGINT) FROM bookings WHERE id IN ({sold})"
            ),
        ),
        (
            "discountCents",
            format!(
                "SELECT CAST(COALESCE(SUM(discount_cents), 0) AS BIGINT) FROM bookings WHERE id IN ({sold})"
            ),
        ),
        (
            "promotionUses",
            format!(
                "SELECT COUNT(*) FROM bookings WHERE promotion_id IS NOT NULL AND id IN ({sold})"
            ),
        ),
        ("holdsPlaced", format!("SELECT COUNT(*) FROM ({mine}) x")),
        (
            "checkoutsStarted",
            format!("SELECT COUNT(*) FROM payments WHERE booking_id IN ({mine})"),
        ),
        (
            "confirmations",
            format!("SELECT COUNT(DISTINCT booking_id) FROM tickets WHERE booking_id IN ({mine})"),
        ),
        (
            "holdsLapsed",
            format!("SELECT COUNT(*) FROM bookings WHERE status = 'expired' AND id IN ({mine})"),
        ),
        (
            "paymentFailures",
            format!(
                "SELECT COUNT(*) FROM bookings WHERE status = 'payment_failed' AND id IN ({mine})"
            ),
        ),
        (
            "cancellations",
            format!(
                "SELECT COUNT(*) FROM bookings WHERE status IN ('cancelled', 'refunded') AND id IN ({sold})"
            ),
        ),
        (
            "sellableSeats",
            format!(
                "SELECT COUNT(*) FROM show_seats WHERE status <> 'blocked' AND showtime_id IN (SELECT showtime_id FROM bookings WHERE id IN ({mine}))"
            ),
        ),
        (
            "soldSeats",
            format!(
                "SELECT COUNT(*) FROM show_seats WHERE status = 'sold' AND showtime_id IN (SELECT showtime_id FROM bookings WHERE id IN ({mine}))"
            ),
        ),
    ];
    let mut out = Vec::new();
    for (name, sql) in queries {
        let v = sql_texts(app, &bind(&sql, app), [uuid(org)]).await;
        out.push((name, v[0].parse::<i64>().unwrap()));
    }
    out
}

/// `GET /analytics` with `token`; returns the status and body.
pub async fn csv(app: &TestApp, token: Option<&str>, query: &[(&str, &str)]) -> (u16, String) {
    let mut req = app
        .client
        .get(format!("{}/analytics", app.address))
        .query(query);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// Start of the day `at` falls in.
pub fn day_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::days(1)).unwrap()
}
