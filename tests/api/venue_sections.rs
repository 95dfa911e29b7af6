//! Venues made of sections: an arena built over GraphQL section by section, its overview,
//! one section's seats on demand, holds across sections, and layouts that are refused.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::live::{open, subscribe};
use crate::subscriptions::next_json;

const OVERVIEW: &str = "query($s: ID!) { showtime(id: $s) { sections { id name kind capacity available priceMin priceMax map { x y width height } } } }";
const SECTION_MAP: &str = "query($s: ID!, $sec: ID) { showtime(id: $s) { seatMap(sectionId: $sec) { seats { id sectionId section row number category status priceCents } } } }";
const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id status seats { id section label row number } } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { seats { section label } } }";

/// Three sections; row `A` exists in each.
pub(crate) fn arena() -> Value {
    json!({ "sections": [
        { "name": "101", "rows": [ { "label": "A", "seats": "SSSS" }, { "label": "B", "seats": "PPPP" } ],
          "map": { "x": 0, "y": 0, "width": 10, "height": 4 } },
        { "name": "102", "rows": [ { "label": "A", "seats": "SSS" } ],
          "map": { "x": 10, "y": 0, "width": 10, "height": 4 } },
        { "name": "Floor", "rows": [ { "label": "A", "seats": "AC_SS" } ] }
    ] })
}

/// A theatre with a venue of `layout` and a showtime on it; (admin, screen, showtime) ids.
pub(crate) async fn venue(app: &TestApp, layout: Value) -> (String, String, String) {
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Arena") }),
            Some(&admin),
        )
        .await;
    let s = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "Bowl", "l": layout }),
            Some(&admin),
        )
        .await;
    let screen = s["createScreen"]["id"].as_str().unwrap().to_owned();
    let m = app
        .ok(MOVIE, json!({ "i": { "title": "Live at the Arena", "runtimeMinutes": 120, "releaseDate": "2026-01-01" } }), Some(&admin))
        .await;
    let st = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": screen, "movieId": m["createMovie"]["id"], "startsAt": in_hours(48), "prices": all_prices() } }),
            Some(&admin),
        )
        .await;
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    (admin, screen, showtime)
}

pub(crate) async fn overview(app: &TestApp, showtime: &str) -> Vec<Value> {
    app.ok(OVERVIEW, json!({ "s": showtime }), None).await["showtime"]["sections"]
        .as_array()
        .unwrap()
        .clone()
}

pub(crate) async fn section_seats(app: &TestApp, showtime: &str, section: &str) -> Vec<Value> {
    app.ok(SECTION_MAP, json!({ "s": showtime, "sec": section }), None)
        .await["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_arena_is_built_from_sections_and_read_one_section_at_a_time() {
    let app = spawn_app().await;
    let (_, screen, showtime) = venue(&app, arena()).await;
    let sections = overview(&app, &showtime).await;
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["101", "102", "Floor"]);
    assert_eq!(
        sections
            .iter()
            .map(|s| s["capacity"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [8, 3, 4]
    );
    assert!(sections.iter().all(|s| s["kind"] == "RESERVED"));
    assert_eq!(sections[0]["available"], 8);
    assert_eq!(
        (
            sections[0]["priceMin"].as_i64(),
            sections[0]["priceMax"].as_i64()
        ),
        (Some(1200), Some(1800))
    );
    assert_eq!(
        sections[1]["map"],
        json!({ "x": 10, "y": 0, "width": 10, "height": 4 })
    );

    // The truth: every seat row is in its section, and the sections are the screen's.
    let stored = sql_texts(
        &app,
        "SELECT s.name FROM seats t JOIN sections s ON s.id = t.section_id WHERE t.screen_id = $1 AND t.row_label = 'A' ORDER BY s.position, t.number",
        [uuid(&screen)],
    )
    .await;
    assert_eq!(stored.len(), 4 + 3 + 4);
    assert_eq!(stored.iter().filter(|n| *n == "102").count(), 3);

    let id_102 = sections[1]["id"].as_str().unwrap();
    let seats = section_seats(&app, &showtime, id_102).await;
    assert_eq!(seats.len(), 3);
    assert!(
        seats
            .iter()
            .all(|s| s["section"] == "102" && s["sectionId"] == id_102 && s["row"] == "A")
    );
    assert_eq!(
        seats
            .iter()
            .map(|s| s["number"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // The whole map still has every seat, each naming its section.
    let all = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { section } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    assert_eq!(
        all["showtime"]["seatMap"]["seats"]
            .as_array()
            .unwrap()
            .len(),
        15
    );
}

#[tokio::test]
async fn a_hold_across_two_sections_takes_both_and_shows_in_each_overview() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, arena()).await;
    let sections = overview(&app, &showtime).await;
    let in_101 = section_seats(&app, &showtime, sections[0]["id"].as_str().unwrap()).await;
    let in_102 = section_seats(&app, &showtime, sections[1]["id"].as_str().unwrap()).await;
    let buyer = app.customer("fan@marquee.test").await;
    let picked = [in_101[0]["id"].clone(), in_102[2]["id"].clone()];
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": picked }),
            Some(&buyer),
        )
        .await;
    assert_eq!(held["holdSeats"]["status"], "HELD");
    let labels = |seats: &Value| -> Vec<String> {
        seats
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let expected = ["Section 101, Row A, Seat 1", "Section 102, Row A, Seat 3"];
    assert_eq!(labels(&held["holdSeats"]["seats"]), expected);
    let read = app
        .ok(
            BOOKING,
            json!({ "b": held["holdSeats"]["id"] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(labels(&read["booking"]["seats"]), expected);

    let stored = db_seat_statuses(&app, &showtime).await;
    for id in &picked {
        assert_eq!(stored[id.as_str().unwrap()], "HELD");
    }
    let after = overview(&app, &showtime).await;
    assert_eq!(
        after
            .iter()
            .map(|s| s["available"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [7, 2, 4]
    );
    let seats = section_seats(&app, &showtime, sections[1]["id"].as_str().unwrap()).await;
    assert_eq!(seats[2]["status"], "HELD");
    assert_eq!(seats[0]["status"], "AVAILABLE");
}

#[tokio::test]
async fn a_cinema_screen_is_one_section_and_its_seats_name_none() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 24).await;
    let sections = overview(&app, &showtime).await;
    assert_eq!(sections.len(), 1);
    assert_eq!(
        (
            sections[0]["name"].as_str(),
            sections[0]["capacity"].as_i64()
        ),
        (Some("Main"), Some(14))
    );
    let seats = section_seats(&app, &showtime, sections[0]["id"].as_str().unwrap()).await;
    assert_eq!(seats.len(), 14);
    let buyer = app.customer("cinema@marquee.test").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]["id"]] }),
            Some(&buyer),
        )
        .await;
    let seat = &held["holdSeats"]["seats"][0];
    assert!(seat["section"].is_null(), "{seat}");
    assert_eq!(seat["label"], "Row A, Seat 1");
}

#[tokio::test]
async fn a_section_subscriber_is_sent_only_its_sections_changes() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, arena()).await;
    let sections = overview(&app, &showtime).await;
    let id_102 = sections[1]["id"].as_str().unwrap();
    let in_101 = section_seats(&app, &showtime, sections[0]["id"].as_str().unwrap()).await;
    let in_102 = section_seats(&app, &showtime, id_102).await;
    let mut socket = open(&app, None).await;
    subscribe(
        &mut socket,
        "subscription($s: ID!, $sec: ID) { seatMapUpdates(showtimeId: $s, sectionId: $sec) { snapshot { seats { id } } changes { seatId status } } }",
        json!({ "s": showtime, "sec": id_102 }),
    )
    .await;
    let first = next_json(&mut socket).await.expect("the section's map");
    let snapshot = first["payload"]["data"]["seatMapUpdates"]["snapshot"]["seats"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(snapshot.len(), 3, "{first}");
    let buyer = app.customer("watcher@marquee.test").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [in_101[1]["id"]] }),
        Some(&buyer),
    )
    .await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [in_102[0]["id"]] }),
        Some(&buyer),
    )
    .await;
    // The change in 101 was committed first; the subscriber of 102 must not see it.
    let next = next_json(&mut socket).await.expect("a change in 102");
    let changes = next["payload"]["data"]["seatMapUpdates"]["changes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        changes
            .iter()
            .map(|c| c["seatId"].clone())
            .collect::<Vec<_>>(),
        [in_102[0]["id"].clone()],
        "{next}"
    );
}

#[tokio::test]
async fn bad_venue_layouts_are_refused_with_codes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Refusals") }),
            Some(&admin),
        )
        .await;
    let theatre = t["createTheatre"]["id"].clone();
    let row = |l: &str, s: &str| json!({ "label": l, "seats": s });
    let wide = "S".repeat(300);
    let stadium: Vec<Value> = (0..200).map(|i| row(&i.to_string(), &wide)).collect();
    for (why, layout) in [
        (
            "duplicate names",
            json!({ "sections": [ { "name": "101", "rows": [row("A", "SS")] }, { "name": "101", "rows": [row("A", "SS")] } ] }),
        ),
        (
            "an empty section",
            json!({ "sections": [ { "name": "101", "rows": [row("A", "SS")] }, { "name": "Pit", "rows": [] } ] }),
        ),
        ("no sections", json!({ "sections": [] })),
        (
            "rows and sections",
            json!({ "rows": [row("A", "SS")], "sections": [ { "name": "101", "rows": [row("A", "SS")] } ] }),
        ),
        (
            "over 60,000 places",
            json!({ "sections": [ { "name": "Bowl", "rows": stadium }, { "name": "Extra", "rows": [row("A", "S")] } ] }),
        ),
        (
            "a row over 400 wide",
            json!({ "sections": [ { "name": "101", "rows": [row("A", &"S".repeat(401))] } ] }),
        ),
    ] {
        let body = app
            .gql(
                SCREEN,
                json!({ "t": theatre, "n": "Bad", "l": layout }),
                Some(&admin),
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{why}: {body}");
    }
    let screens = sql_texts(
        &app,
        "SELECT COUNT(*) FROM screens WHERE theatre_id = $1",
        [uuid(theatre.as_str().unwrap())],
    )
    .await;
    assert_eq!(screens, ["0"], "a refused layout left a screen behind");

    // Exactly 60,000 places is a stadium, not an error.
    let ok = app
        .ok(SCREEN, json!({ "t": theatre, "n": "Stadium", "l": { "sections": [ { "name": "Bowl", "rows": stadium } ] } }), Some(&admin))
        .await;
    assert_eq!(ok["createScreen"]["seatCount"], 60_000);

    // A section of another venue is not part of this showtime's map.
    let (_, _, showtime) = venue(&app, arena()).await;
    let (_, _, elsewhere) = venue(&app, arena()).await;
    let foreign = overview(&app, &elsewhere).await[0]["id"].clone();
    let body = app
        .gql(SECTION_MAP, json!({ "s": showtime, "sec": foreign }), None)
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let body = app
        .gql(SECTION_MAP, json!({ "s": showtime, "sec": "nope" }), None)
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
}
