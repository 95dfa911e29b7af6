//! Best available in a section the buyer chose: only that section's seats are taken, a
//! full section is refused even while others have seats, and a section of another venue is
//! not found. In a general-admission section, the best available are that many places.

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

#[tokio::test]
async fn best_available_in_a_general_admission_section_holds_that_many_places() {
    use crate::general_admission::{concert, counters};
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(5)).await;
    let floor = crate::general_admission::section_id(&app, &showtime, "Floor").await;
    let buyer = app.customer("best-on-the-floor@marquee.test").await;
    let held = app
        .ok(
            BEST,
            json!({ "s": showtime, "n": 3, "sec": floor }),
            Some(&buyer),
        )
        .await;
    assert!(
        held["holdBestAvailable"]["seats"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(counters(&app, &showtime, &floor).await, (5, 0, 3));
    // Two places are left: three more are refused, and nothing more is held.
    let other = app.customer("best-on-the-floor-too@marquee.test").await;
    let refused = app
        .gql(
            BEST,
            json!({ "s": showtime, "n": 3, "sec": floor }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&refused), "SEAT_UNAVAILABLE");
    assert_eq!(counters(&app, &showtime, &floor).await, (5, 0, 3));
    // The floor of another show's venue is not found here.
    let (_, _, elsewhere) = venue(&app, concert(5)).await;
    let foreign = crate::general_admission::section_id(&app, &elsewhere, "Floor").await;
    let not_here = app
        .gql(
            BEST,
            json!({ "s": showtime, "n": 1, "sec": foreign }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&not_here), "NOT_FOUND");
}
