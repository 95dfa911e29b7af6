//! Reports over whole days read each showtime's totals when its sales lie inside the
//! period and its day rows when they straddle an end: a showtime sold on two days counts
//! each day's figures in that day's period, both in the two days', and its seats once.

use marquee_domain::clock::Clock;
use serde_json::{Value, json};

use crate::analytics_support::*;
use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";

/// A waiting-room entry the rollups take in late, dated `at`.
async fn late_entry(app: &TestApp, showtime: &str, at: chrono::DateTime<chrono::Utc>) {
    use marquee_entity::outbox;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let row = outbox::ActiveModel {
        topic: Set(marquee_domain::analytics::WAITING_ROOM_ENTERED.to_owned()),
        key: Set(showtime.to_owned()),
        payload: Set(json!({ "showtimeId": showtime, "entries": 1 })),
        created_at: Set(at),
        published_at: Set(None),
        derived_at: Set(Some(at)),
        exported_at: Set(None),
        rolled_up_at: Set(None),
        attempts: Set(0),
        trace_parent: Set(None),
        ..Default::default()
    };
    outbox::Entity::insert(row)
        .exec(&app.services.db)
        .await
        .unwrap();
}

async fn sell(app: &TestApp, buyer: &str, showtime: &str, seats: &[String]) {
    let held = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(buyer))
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap();
    let paid = app.ok(CHECKOUT, json!({ "b": booking }), Some(buyer)).await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
}

#[tokio::test]
async fn a_period_counts_the_days_of_a_showtimes_sales_it_covers_and_its_seats_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let org = organisation_owning(&app, "Span Cinemas", &f.theatre_id).await;
    let manager = member(&app, &org, "manager@span.example", "manager").await;
    // Sold on two days; another showtime only on the first.
    let spanning = app.showtime_at(&f, 72).await;
    let first_day_only = app.showtime_at(&f, 80).await;
    let buyer = app.customer("span-buyer@example.com").await;
    let seats = seat_ids(&app, &spanning).await;
    sell(&app, &buyer, &spanning, &seats[0..2]).await;
    sell(
        &app,
        &buyer,
        &first_day_only,
        &seat_ids(&app, &first_day_only).await[0..1],
    )
    .await;
    let day_one = day_of(app.clock.now());
    app.clock.advance(chrono::Duration::days(1));
    sell(&app, &buyer, &spanning, &seats[2..5]).await;
    rolled_up(&app).await;

    let day = |d: i64| (day_one + chrono::Duration::days(d)).to_rfc3339();
    let seats_of = |rows: &[Value]| total(rows, "sellableSeats");
    let per_show = |rows: &[Value], id: &str| -> Value {
        rows.iter()
            .find(|r| r["groupId"] == json!(id))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (one, two, both) = ((day(0), day(1)), (day(1), day(2)), (day(0), day(2)));
    let sellable = {
        let whole = report_between(
            &app,
            &manager,
            &org,
            (&both.0, &both.1),
            "PERIOD",
            "SHOWTIME",
        )
        .await;
        per_show(&whole, &spanning)["sellableSeats"]
            .as_i64()
            .unwrap()
    };
    assert!(sellable >= 10);
    // (period, tickets sold, confirmations, showtimes active)
    for (period, sold, confirmed, shows) in [(&one, 3, 2, 2), (&two, 3, 1, 1), (&both, 6, 3, 2)] {
        let p = (period.0.as_str(), period.1.as_str());
        for group in ["ORGANISATION", "THEATRE", "SCREEN", "MOVIE", "SHOWTIME"] {
            let rows = report_between(&app, &manager, &org, p, "PERIOD", group).await;
            assert_eq!(total(&rows, "ticketsSold"), sold, "{group} {p:?}: {rows:?}");
            assert_eq!(total(&rows, "confirmations"), confirmed, "{group}");
            assert_eq!(
                seats_of(&rows),
                sellable * shows,
                "each showtime active in {p:?} counts its seats once ({group})"
            );
        }
        let by_show = report_between(&app, &manager, &org, p, "PERIOD", "SHOWTIME").await;
        assert_eq!(by_show.len() as i64, shows);
    }
    // Day by day, the spanning showtime's seats count on each day it sold.
    let days = report_between(&app, &manager, &org, (&both.0, &both.1), "DAY", "SCREEN").await;
    assert_eq!(days.len(), 2);
    assert_eq!(seats_of(&days), sellable * 3);
    // A period after the sales has nothing.
    let later = (day(2), day(4));
    let empty = report_between(
        &app,
        &manager,
        &org,
        (&later.0, &later.1),
        "PERIOD",
        "MOVIE",
    )
    .await;
    assert!(empty.is_empty(), "{empty:?}");
    // Nor does any grouping over it fail: with no showtime active, no seats to sum.
    for granularity in ["PERIOD", "DAY", "HOUR"] {
        for group in ["ORGANISATION", "THEATRE", "SCREEN", "SHOWTIME"] {
            let rows = report_between(
                &app,
                &manager,
                &org,
                (&later.0, &later.1),
                granularity,
                group,
            )
            .await;
            assert!(rows.is_empty(), "{granularity} {group}: {rows:?}");
        }
    }
    // A change that reaches the rollups late, dated the day before the first sale, moves
    // the day the showtime's activity began: its seats still count once in every period.
    late_entry(&app, &spanning, day_one - chrono::Duration::hours(12)).await;
    rolled_up(&app).await;
    for (period, shows) in [
        ((day(-1), day(0)), 1),
        ((day(-1), day(2)), 2),
        ((day(0), day(2)), 2),
        ((day(1), day(2)), 1),
    ] {
        let p = (period.0.as_str(), period.1.as_str());
        for group in ["ORGANISATION", "THEATRE", "SCREEN", "MOVIE", "SHOWTIME"] {
            let rows = report_between(&app, &manager, &org, p, "PERIOD", group).await;
            assert_eq!(
                seats_of(&rows),
                sellable * shows,
                "after a late change, each showtime active in {p:?} counts its seats once ({group})"
            );
        }
    }
    let entries = report_between(
        &app,
        &manager,
        &org,
        (&day(-1), &day(2)),
        "PERIOD",
        "ORGANISATION",
    )
    .await;
    assert_eq!(total(&entries, "waitingRoomEntries"), 1);
}
