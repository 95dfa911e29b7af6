//! Best available in a section the buyer chose: only that section's seats are taken, a
//! full section is refused even while others have seats, and a section of another venue is
//! not found.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::analytics_support::bind;
use crate::helpers::*;
use crate::venue_sections::{arena, overview, venue};

const BEST: &str = "mutation($s: ID!, $n: Int!, $c: SeatCategory, $sec: ID) { holdBestAvailable(showtimeId: $s, count: $n, category: $c, sectionId: $sec) { id seats { id label } } }";

fn section_id(sections: &[Value], name: &str) -> String {
    sections
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_str())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn best_available_in_a_chosen_section_takes_only_its_seats() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, arena()).await;
    let sections = overview(&app, &showtime).await;
    let s102 = section_id(&sections, "102");
    let buyer = app.customer("best-in-102@marquee.test").await;

    // 101 comes first in the venue's order and has four standard seats side by side; asked
    // for 102, two of 102's three are taken.
    let held = app
        .ok(
            BEST,
            json!({ "s": showtime, "n": 2, "c": "STANDARD", "sec": s102 }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdBestAvailable"]["id"].as_str().unwrap().to_owned();
    let in_db = sql_texts(
        &app,
        &bind(
            "SELECT sec.name FROM show_seats ss JOIN seats s ON s.id = ss.seat_id \
             JOIN sections sec ON sec.id = s.section_id WHERE ss.booking_id = $1 AND ss.status = 'held'",
            &app,
        ),
        [Uuid::parse_str(&booking).unwrap().into()],
    )
    .await;
    assert_eq!(in_db, ["102", "102"], "{held}");

    // One standard seat is left in 102: two side by side are refused there, though 101 has four.
    let other = app.customer("best-in-102-too@marquee.test").await;
    let refused = app
        .gql(
            BEST,
            json!({ "s": showtime, "n": 2, "c": "STANDARD", "sec": s102 }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&refused), "SEAT_UNAVAILABLE");
    let free_in_101 = overview(&app, &showtime)
        .await
        .into_iter()
        .find(|s| s["name"] == "101")
        .unwrap()["available"]
        .clone();
    assert_eq!(free_in_101, 8);

    // A section of another venue, and one that is no id at all.
    let (_, _, elsewhere) = venue(&app, arena()).await;
    let foreign = section_id(&overview(&app, &elsewhere).await, "102");
    let not_here = app
        .gql(
            BEST,
            json!({ "s": showtime, "n": 1, "c": "STANDARD", "sec": foreign }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&not_here), "NOT_FOUND");
    let malformed = app
        .gql(
            BEST,
            json!({ "s": showtime, "n": 1, "c": "STANDARD", "sec": "section-102" }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&malformed), "BAD_USER_INPUT");
    let held_now = sql_texts(
        &app,
        &bind(
            "SELECT CAST(COUNT(*) AS TEXT) FROM show_seats WHERE showtime_id = $1 AND status = 'held'",
            &app,
        ),
        [Uuid::parse_str(&showtime).unwrap().into()],
    )
    .await;
    assert_eq!(held_now, ["2"], "a refused hold held something");
}
