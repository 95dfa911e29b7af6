//! The index keeps up with what changes without a catalog change of its own: a title's
//! steady sales, the theatres it plays at, and the passing of time through its two-week
//! window.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::search::{movie, names, search, until_first};

/// A theatre in `city`; its id and its one screen's.
async fn theatre_with_screen(
    app: &TestApp,
    admin: &str,
    name: &str,
    (city, state, zip): (&str, &str, &str),
    (lat, lon): (f64, f64),
) -> (String, String) {
    let t = app
        .ok(THEATRE, json!({ "i": { "name": name, "address": "1 Main St", "city": city, "state": state, "zip": zip,
                                    "latitude": lat, "longitude": lon, "timezone": "America/Chicago" } }), Some(admin))
        .await["createTheatre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = app
        .ok(
            SCREEN,
            json!({ "t": t, "n": "One", "l": small_layout() }),
            Some(admin),
        )
        .await["createScreen"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (t, s)
}

async fn showtime(app: &TestApp, admin: &str, screen: &str, movie: &str, starts: String) -> String {
    app.ok(SHOWTIME, json!({ "i": { "screenId": screen, "movieId": movie, "startsAt": starts, "prices": all_prices() } }), Some(admin))
        .await["createShowtime"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Searches until `done` holds of the hits' names, for at most `within`.
async fn until(app: &TestApp, vars: Value, within: Duration, done: impl Fn(&[String]) -> bool) {
    let started = Instant::now();
    loop {
        let found = names(&search(app, vars.clone()).await);
        if done(&found) {
            return;
        }
        assert!(
            started.elapsed() < within,
            "{vars}: still {found:?} after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

const SCORES: &str = "query($q: String) { search(query: $q, kinds: [MOVIE]) { nodes { score item { ... on Movie { title } } } } }";

async fn scores(app: &TestApp, q: &str) -> HashMap<String, f64> {
    app.ok(SCORES, json!({ "q": q }), None).await["search"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["item"]["title"].as_str().unwrap().to_owned(),
                n["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// How much `sold` tickets lift a title (the index's popularity factor).
fn lift(sold: u32) -> f64 {
    1.0 + 0.04 * f64::from(1 + sold).ln()
}

/// Waits until the index ranks `seller` as having sold `sold` tickets, against `idle`
/// (alike in every other way, none sold).
async fn until_indexed_as_sold(app: &TestApp, seller: &str, idle: &str, sold: u32) {
    let started = Instant::now();
    loop {
        let s = scores(app, "lantern").await;
        let ratio = s.get(seller).zip(s.get(idle)).map(|(a, b)| a / b);
        if ratio.is_some_and(|r| (r - lift(sold)).abs() < 0.003) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "not ranked as {sold} sold: ratio {ratio:?}, want {}",
            lift(sold)
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn buy_one(app: &TestApp, buyer: &str, show: &str, seat: &str) {
    let held = app
        .ok("mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }", json!({ "s": show, "seats": [seat] }), Some(buyer))
        .await;
    let paid = app
        .ok("mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }", json!({ "b": held["holdSeats"]["id"] }), Some(buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
}

#[tokio::test]
async fn a_title_selling_steadily_has_its_sales_reindexed_every_minute_and_its_last_sale_too() {
    let app = spawn_app_with(without_buyer_caps).await;
    let admin = app.admin().await;
    let (_, screen) = theatre_with_screen(
        &app,
        &admin,
        "Pier Cinema",
        ("Chicago", "IL", "60601"),
        (41.8853, -87.6278),
    )
    .await;
    let mut shows = Vec::new();
    for (title, hours) in [("Lantern Alpha", 30), ("Lantern Beta", 60)] {
        let id = movie(&app, &admin, title, &["drama"]).await;
        shows.push(showtime(&app, &admin, &screen, &id, in_hours(hours)).await);
    }
    until_indexed_as_sold(&app, "Lantern Beta", "Lantern Alpha", 0).await;
    let seats = seat_ids(&app, &shows[1]).await;
    let buyer = app.customer("steady@example.com").await;

    // Beta sells a ticket every 20 seconds: the first is reindexed at once, the next two
    // wait for the title's turn a minute after the first, which takes both in.
    buy_one(&app, &buyer, &shows[1], &seats[0]).await;
    until_indexed_as_sold(&app, "Lantern Beta", "Lantern Alpha", 1).await;
    for seat in &seats[1..3] {
        app.clock.advance(Span::seconds(20));
        buy_one(&app, &buyer, &shows[1], seat).await;
    }
    app.clock.advance(Span::seconds(25));
    until_indexed_as_sold(&app, "Lantern Beta", "Lantern Alpha", 3).await;

    // It keeps selling, then stops: the sales since the last turn count at the next.
    for seat in &seats[3..5] {
        app.clock.advance(Span::seconds(20));
        buy_one(&app, &buyer, &shows[1], seat).await;
    }
    app.clock.advance(Span::seconds(25));
    until_indexed_as_sold(&app, "Lantern Beta", "Lantern Alpha", 5).await;
}

#[tokio::test]
async fn titles_are_found_by_their_theatres_new_name_and_place_after_it_is_renamed_and_moved() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (theatre, screen) = theatre_with_screen(
        &app,
        &admin,
        "Lakeside Odeon",
        ("Chicago", "IL", "60601"),
        (41.8853, -87.6278),
    )
    .await;
    let film = movie(&app, &admin, "Northern Lights", &["drama"]).await;
    showtime(&app, &admin, &screen, &film, in_hours(30)).await;
    let at = |vars: Value| {
        let mut vars = vars;
        vars["k"] = json!(["MOVIE"]);
        vars
    };
    let within = Duration::from_secs(2);
    until_first(
        &app,
        at(json!({ "q": "lakeside" })),
        "Northern Lights",
        within,
    )
    .await;
    until_first(
        &app,
        at(json!({ "city": "Chicago" })),
        "Northern Lights",
        within,
    )
    .await;

    app.ok(
        "mutation($id: ID!, $i: UpdateTheatreInput!) { updateTheatre(id: $id, input: $i) { id } }",
        json!({ "id": theatre, "i": { "name": "Harbour Playhouse", "city": "Milwaukee", "state": "WI",
                                      "zip": "53202", "latitude": 43.0389, "longitude": -87.9065 } }),
        Some(&admin),
    )
    .await;
    until_first(
        &app,
        at(json!({ "q": "harbour playhouse" })),
        "Northern Lights",
        within,
    )
    .await;
    until_first(
        &app,
        at(json!({ "city": "Milwaukee" })),
        "Northern Lights",
        within,
    )
    .await;
    let near_milwaukee = json!({ "near": { "lat": 43.0389, "lon": -87.9065, "radiusKm": 10.0 } });
    assert_eq!(
        names(&search(&app, at(near_milwaukee)).await),
        ["Northern Lights"]
    );
    assert_eq!(
        names(&search(&app, at(json!({ "zip": "53202" }))).await),
        ["Northern Lights"]
    );
    for gone in [
        json!({ "city": "Chicago" }),
        json!({ "zip": "60601" }),
        json!({ "q": "lakeside" }),
        json!({ "near": { "lat": 41.8853, "lon": -87.6278, "radiusKm": 10.0 } }),
    ] {
        let found = names(&search(&app, at(gone.clone())).await);
        assert!(found.is_empty(), "{gone}: {found:?}");
    }
}

#[tokio::test]
async fn a_showtime_enters_and_leaves_the_two_week_window_as_time_passes_with_nothing_else_changed()
{
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, loop_screen) = theatre_with_screen(
        &app,
        &admin,
        "Loop Grand",
        ("Chicago", "IL", "60601"),
        (41.8853, -87.6278),
    )
    .await;
    let (_, austin_screen) = theatre_with_screen(
        &app,
        &admin,
        "Austin Palace",
        ("Austin", "TX", "78701"),
        (30.2672, -97.7431),
    )
    .await;
    let film = movie(&app, &admin, "Distant Thunder", &["drama"]).await;
    // Fifteen days ahead in Chicago: a day beyond the window.
    let chicago_starts = in_hours(15 * 24);
    showtime(&app, &admin, &loop_screen, &film, chicago_starts.clone()).await;
    // Tomorrow in Austin: once the title is found there, the Chicago showtime (added
    // before) has been indexed too, so its absence below is the window's doing.
    showtime(&app, &admin, &austin_screen, &film, in_hours(24)).await;
    let movies_in = |city: &str| json!({ "k": ["MOVIE"], "city": city });
    let within = Duration::from_secs(3);
    until_first(&app, movies_in("Austin"), "Distant Thunder", within).await;
    assert!(names(&search(&app, movies_in("Chicago")).await).is_empty());
    let day = time(&json!(chicago_starts))
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive()
        .to_string();
    let on_day = json!({ "k": ["MOVIE"], "d": day });
    assert!(names(&search(&app, on_day.clone()).await).is_empty());

    // Two days on, the Chicago showtime is thirteen days ahead: the title plays there now,
    // and no longer in Austin, whose showtime has begun.
    app.clock.advance(Span::days(2));
    until_first(&app, movies_in("Chicago"), "Distant Thunder", within).await;
    assert_eq!(
        names(&search(&app, on_day.clone()).await),
        ["Distant Thunder"]
    );
    until(&app, movies_in("Austin"), within, <[String]>::is_empty).await;

    // A fortnight later it has begun too: the title plays nowhere.
    app.clock.advance(Span::days(14));
    until(&app, movies_in("Chicago"), within, <[String]>::is_empty).await;
    assert!(names(&search(&app, on_day).await).is_empty());
}
