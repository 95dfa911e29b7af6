//! A large venue: a 50,000-seat stadium built and scheduled at once, and best available
//! choosing a price level section by section.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::venue_sections::{arena, overview, section_seats, venue};

#[tokio::test]
async fn a_stadium_of_50000_seats_is_created_and_scheduled_at_once() {
    let app = spawn_app().await;
    let row = "S".repeat(250);
    // 20 sections of 10 rows of 250: 50,000 seats.
    let sections: Vec<Value> = (0..20)
        .map(|n| json!({ "name": format!("{}", 101 + n), "rows": (0..10).map(|r| json!({ "label": format!("R{r}"), "seats": row })).collect::<Vec<_>>() }))
        .collect();
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Stadium") }),
            Some(&admin),
        )
        .await;
    let started = std::time::Instant::now();
    let s = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "Field", "l": { "sections": sections } }),
            Some(&admin),
        )
        .await;
    let built = started.elapsed();
    assert_eq!(s["createScreen"]["seatCount"], 50_000);
    let m = app
        .ok(MOVIE, json!({ "i": { "title": "Final", "runtimeMinutes": 120, "releaseDate": "2026-01-01" } }), Some(&admin))
        .await;
    let started = std::time::Instant::now();
    let st = app
        .ok(SHOWTIME, json!({ "i": { "screenId": s["createScreen"]["id"], "movieId": m["createMovie"]["id"], "startsAt": in_hours(24), "prices": all_prices() } }), Some(&admin))
        .await;
    let scheduled = started.elapsed();
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let stored = sql_texts(
        &app,
        "SELECT COUNT(*) FROM show_seats WHERE showtime_id = $1",
        [uuid(&showtime)],
    )
    .await;
    assert_eq!(stored, ["50000"]);
    let started = std::time::Instant::now();
    let overview = overview(&app, &showtime).await;
    let first_read = started.elapsed();
    assert_eq!(overview.len(), 20);
    assert_eq!(
        overview
            .iter()
            .map(|s| s["available"].as_i64().unwrap())
            .sum::<i64>(),
        50_000
    );
    let started = std::time::Instant::now();
    let seats = section_seats(&app, &showtime, overview[7]["id"].as_str().unwrap()).await;
    let section_read = started.elapsed();
    assert_eq!(seats.len(), 2_500);
    assert!(seats.iter().all(|s| s["section"] == "108"));
    eprintln!(
        "50,000-seat venue: createScreen {built:?}, createShowtime {scheduled:?}, first overview {first_read:?}, one section's map {section_read:?}"
    );
}

#[tokio::test]
async fn best_available_takes_a_price_level_from_one_section_in_the_venues_order() {
    let app = spawn_app().await;
    // Premium exists only in 101 row B; standard in 101 row A, 102 and the floor.
    let (_, _, showtime) = venue(&app, arena()).await;
    let buyer = app.customer("best@marquee.test").await;
    let best = "mutation($s: ID!, $n: Int!, $c: SeatCategory) { holdBestAvailable(showtimeId: $s, count: $n, category: $c) { seats { label category } } }";
    let labels = |data: &Value| -> Vec<String> {
        data["holdBestAvailable"]["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let premium = app
        .ok(
            best,
            json!({ "s": showtime, "n": 2, "c": "PREMIUM" }),
            Some(&buyer),
        )
        .await;
    assert!(
        labels(&premium)
            .iter()
            .all(|l| l.starts_with("Section 101, Row B")),
        "{premium}"
    );
    // Four standard seats side by side exist only in 101 row A; row A of 102 has three
    // and its columns must not be joined to 101's.
    let four = app
        .ok(
            best,
            json!({ "s": showtime, "n": 4, "c": "STANDARD" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        labels(&four),
        [
            "Section 101, Row A, Seat 1",
            "Section 101, Row A, Seat 2",
            "Section 101, Row A, Seat 3",
            "Section 101, Row A, Seat 4"
        ]
    );
    // 101 is now out of standard seats: the next section in the venue's order has them.
    let three = app
        .ok(
            best,
            json!({ "s": showtime, "n": 3, "c": "STANDARD" }),
            Some(&buyer),
        )
        .await;
    assert!(
        labels(&three)
            .iter()
            .all(|l| l.starts_with("Section 102, Row A")),
        "{three}"
    );
    let none = app
        .gql(
            best,
            json!({ "s": showtime, "n": 3, "c": "STANDARD" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&none), "SEAT_UNAVAILABLE", "{none}");
}
