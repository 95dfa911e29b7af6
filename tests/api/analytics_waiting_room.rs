//! Waiting-room entries reach the sales figures: each buyer who takes a place in line
//! counts once (entering again keeps the place and counts nothing), in every grouping,
//! and the figure equals the entries the outbox carried.

use marquee_entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::analytics_support::*;
use crate::helpers::*;

const ENTER: &str = "mutation($s: ID!) { enterWaitingRoom(showtimeId: $s) { status } }";
const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";

/// The entries written to the outbox so far, and whether all are rolled up.
async fn entries_in_outbox(app: &TestApp) -> (i64, bool) {
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Topic.eq("waiting_room.entered"))
        .all(&app.services.db)
        .await
        .unwrap();
    let n = rows
        .iter()
        .map(|r| r.payload["entries"].as_i64().unwrap())
        .sum();
    (n, rows.iter().all(|r| r.rolled_up_at.is_some()))
}

#[tokio::test]
async fn waiting_room_entries_count_once_per_buyer_in_every_report() {
    let app = spawn_app_with(|s| s.waiting_room_capacity = 1).await;
    let f = app.fixture().await;
    let org = organisation_owning(&app, "Queue Cinemas", &f.theatre_id).await;
    let manager = member(&app, &org, "manager@queue.example", "manager").await;
    let showtime = app.showtime_at(&f, 30).await;
    app.ok(
        "mutation($id: ID!) { updateShowtime(id: $id, input: { waitingRoom: true }) { waitingRoom } }",
        json!({ "id": showtime }),
        Some(&f.admin),
    )
    .await;
    let mut buyers = Vec::new();
    for name in ["ann", "bob", "cat"] {
        buyers.push(app.customer(&format!("{name}@queue.example")).await);
    }
    for buyer in &buyers {
        app.ok(ENTER, json!({ "s": showtime }), Some(buyer)).await;
    }
    // Entering again keeps the place: not a new entry.
    for buyer in &buyers[1..] {
        app.ok(ENTER, json!({ "s": showtime }), Some(buyer)).await;
    }
    // Ann, admitted first, holds seats.
    let seats = seat_ids(&app, &showtime).await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": &seats[0..1] }),
        Some(&buyers[0]),
    )
    .await;
    wait_until(&app, "the entries to be written and rolled up", || async {
        entries_in_outbox(&app).await == (3, true)
    })
    .await;
    rolled_up(&app).await;
    // Nothing more comes of the entries already counted.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    rolled_up(&app).await;
    assert_eq!(entries_in_outbox(&app).await, (3, true));

    for (granularity, group) in [
        ("PERIOD", "ORGANISATION"),
        ("DAY", "ORGANISATION"),
        ("HOUR", "THEATRE"),
        ("DAY", "SCREEN"),
        ("PERIOD", "MOVIE"),
        ("DAY", "SHOWTIME"),
        ("PERIOD", "SHOWTIME"),
        ("HOUR", "SCREEN"),
    ] {
        let rows = report(&app, &manager, &org, granularity, group).await;
        assert_eq!(
            total(&rows, "waitingRoomEntries"),
            3,
            "{granularity} {group}: {rows:?}"
        );
        assert_eq!(
            total(&rows, "waitingRoomAdmissions"),
            1,
            "{granularity} {group}"
        );
    }
    // The CSV export carries the column.
    let (from, to) = around_now(&app);
    let (status, body) = csv(
        &app,
        Some(&manager),
        &[
            ("organisationId", &org),
            ("from", &from),
            ("to", &to),
            ("granularity", "period"),
            ("groupBy", "organisation"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut lines = body.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "waiting_room_entries")
        .unwrap();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[column], "3", "{body}");
}
