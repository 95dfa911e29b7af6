//! Catalog reads: connections, filters, lookups, seat maps, and no N+1 queries.

use chrono::TimeZone;
use serde_json::{Value, json};

use crate::helpers::*;

async fn movie(app: &TestApp, admin: &str, title: &str, genres: Value, language: &str) -> String {
    let data = app
        .ok(
            MOVIE,
            json!({ "i": { "title": title, "runtimeMinutes": 95, "releaseDate": "2026-02-01", "genres": genres, "language": language } }),
            Some(admin),
        )
        .await;
    data["createMovie"]["id"].as_str().unwrap().to_owned()
}

/// The titles of a `movies` connection, in order.
pub(crate) fn titles(data: &Value) -> Vec<String> {
    data["movies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn movies_page_through_by_title_with_opaque_cursors() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for t in ["Echo", "Alpha", "Delta", "Bravo", "Charlie"] {
        movie(&app, &admin, t, json!(["drama"]), "English").await;
    }
    const Q: &str = "query($after: String) { movies(first: 2, after: $after) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.ok(Q, json!({ "after": after }), None).await;
        seen.extend(titles(&data));
        if !data["movies"]["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = data["movies"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, vec!["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
    let bad = app
        .gql(Q, json!({ "after": "definitely-not-a-cursor" }), None)
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");
    let too_many = app
        .gql(
            "{ movies(first: 1000) { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(code(&too_many), "BAD_USER_INPUT");
}

#[tokio::test]
async fn movies_filter_by_genre_language_city_and_local_date() {
    let app = spawn_app().await;
    let f = app.fixture().await; // "The Last Horizon": sci-fi, drama, English
    movie(
        &app,
        &f.admin,
        "Noche Larga",
        json!(["thriller"]),
        "Spanish",
    )
    .await;
    let other_city = app
        .ok(THEATRE, json!({ "i": { "name": "Far Away", "address": "2 Main St", "city": "Denver", "state": "CO", "zip": "80202",
                                      "latitude": 39.74, "longitude": -104.99, "timezone": "America/Denver" } }), Some(&f.admin))
        .await;
    assert!(other_city["createTheatre"]["id"].is_string());
    let showtime = app.showtime_at(&f, 30).await;
    let st = app
        .ok(
            "query($id: ID!) { showtime(id: $id) { startsAt } }",
            json!({ "id": showtime }),
            None,
        )
        .await;
    let local_date = time(&st["showtime"]["startsAt"])
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();

    const Q: &str = "query($f: TitleFilterInput) { movies(filter: $f, first: 50) { edges { node { title } } } }";
    let run = |filter: Value| {
        let app = &app;
        async move { titles(&app.ok(Q, json!({ "f": filter }), None).await) }
    };
    assert_eq!(
        run(json!({ "genre": "SCI-FI" })).await,
        vec!["The Last Horizon"]
    );
    assert_eq!(
        run(json!({ "language": "spanish" })).await,
        vec!["Noche Larga"]
    );
    assert_eq!(
        run(json!({ "city": "chicago" })).await,
        vec!["The Last Horizon"]
    );
    assert!(run(json!({ "city": "Denver" })).await.is_empty());
    assert_eq!(
        run(json!({ "city": "Chicago", "date": local_date.to_string() })).await,
        vec!["The Last Horizon"]
    );
    let other_day = local_date.succ_opt().unwrap().succ_opt().unwrap();
    assert!(
        run(json!({ "date": other_day.to_string() }))
            .await
            .is_empty()
    );
    assert!(
        run(json!({ "genre": "thriller", "city": "Chicago" }))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_date_filter_uses_the_theatres_own_time_zone() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    // 23:30 in Chicago is already the next day in UTC: the local date must win.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();
    let starts = chrono_tz::America::Chicago
        .from_local_datetime(&tomorrow.and_hms_opt(23, 30, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&chrono::Utc);
    app.ok(
        SHOWTIME,
        json!({ "i": { "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": starts.to_rfc3339(), "prices": all_prices() } }),
        Some(&f.admin),
    )
    .await;
    const Q: &str =
        "query($d: NaiveDate) { movies(filter: { date: $d }) { edges { node { title } } } }";
    let same_local_day = app.ok(Q, json!({ "d": tomorrow.to_string() }), None).await;
    assert_eq!(titles(&same_local_day), vec!["The Last Horizon"]);
    let utc_day = app
        .ok(Q, json!({ "d": starts.date_naive().to_string() }), None)
        .await;
    assert!(titles(&utc_day).is_empty());
}

#[tokio::test]
async fn events_list_and_lookup() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let data = app
        .ok(
            "mutation { createEvent(input: { title: \"Jazz at Midnight\", performer: \"The Blue Notes\", category: \"concert\", durationMinutes: 120, genres: [\"jazz\"] }) { id } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let id = data["createEvent"]["id"].as_str().unwrap();
    let list = app.ok("{ events(filter: { genre: \"concert\" }) { edges { node { title performer category genres } } } }", json!({}), None).await;
    assert_eq!(
        list["events"]["edges"][0]["node"]["performer"],
        "The Blue Notes"
    );
    let one = app
        .ok(
            "query($id: ID!) { event(id: $id) { title durationMinutes } }",
            json!({ "id": id }),
            None,
        )
        .await;
    assert_eq!(one["event"]["durationMinutes"], 120);
    let missing = app
        .ok(
            "query($id: ID!) { event(id: $id) { title } }",
            json!({ "id": uuid::Uuid::new_v4().to_string() }),
            None,
        )
        .await;
    assert!(missing["event"].is_null());
}

#[tokio::test]
async fn theatres_filter_by_city_zip_and_radius_nearest_first() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Chicago Loop, ~5 km north (Lincoln Park), and Evanston ~20 km north.
    for (name, zip, lat, lon) in [
        ("Loop", "60601", 41.8853, -87.6278),
        ("Lincoln Park", "60614", 41.9214, -87.6513),
        ("Evanston", "60201", 42.0451, -87.6877),
    ] {
        let mut input = theatre_input(name);
        input["zip"] = json!(zip);
        input["latitude"] = json!(lat);
        input["longitude"] = json!(lon);
        app.ok(THEATRE, json!({ "i": input }), Some(&admin)).await;
    }
    let names = |v: &Value| {
        v["theatres"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let by_zip = app
        .ok("{ theatres(zip: \"60614\") { name } }", json!({}), None)
        .await;
    assert_eq!(names(&by_zip), vec!["Lincoln Park"]);
    let by_city = app
        .ok("{ theatres(city: \"CHICAGO\") { name } }", json!({}), None)
        .await;
    assert_eq!(names(&by_city).len(), 3);
    let near = app
        .ok(
            "{ theatres(near: { lat: 41.8853, lon: -87.6278, radiusKm: 10 }) { name distanceKm } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(names(&near), vec!["Loop", "Lincoln Park"]);
    let d = near["theatres"][1]["distanceKm"].as_f64().unwrap();
    assert!((3.0..6.0).contains(&d), "{d}");
    let bad = app
        .gql(
            "{ theatres(near: { lat: 95, lon: 0, radiusKm: 10 }) { name } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");
    let bad = app
        .gql(
            "{ theatres(near: { lat: 41, lon: -87, radiusKm: -1 }) { name } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");
}

#[tokio::test]
async fn theatre_shows_its_screens_and_showtimes_show_their_relations() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = app.showtime_at(&f, 5).await;
    let t = app.ok("query($id: ID!) { theatre(id: $id) { name timezone screens { name seatCount categories } } }", json!({ "id": f.theatre_id }), None).await;
    assert_eq!(t["theatre"]["screens"][0]["seatCount"], 14);
    let s = app
        .ok(
            "query($id: ID!) { showtime(id: $id) { status currency movie { title } event { title } theatre { name } screen { name } prices { category priceCents } } }",
            json!({ "id": id }),
            None,
        )
        .await;
    assert_eq!(s["showtime"]["movie"]["title"], "The Last Horizon");
    assert!(s["showtime"]["event"].is_null());
    assert_eq!(s["showtime"]["theatre"]["name"], "Marquee State");
    assert_eq!(s["showtime"]["prices"].as_array().unwrap().len(), 4);
    let list = app
        .ok(
            "query($m: ID!) { showtimes(movieId: $m, city: \"Chicago\") { id } }",
            json!({ "m": f.movie_id }),
            None,
        )
        .await;
    assert_eq!(list["showtimes"][0]["id"], json!(id));
    let elsewhere = app
        .ok("{ showtimes(city: \"Denver\") { id } }", json!({}), None)
        .await;
    assert!(elsewhere["showtimes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn seat_map_lists_every_seat_with_status_and_price() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = app.showtime_at(&f, 5).await;
    let data = app
        .ok(
            "query($id: ID!) { showtime(id: $id) { seatMap { availableCount currency seats { id row number category status priceCents x y } } } }",
            json!({ "id": id }),
            None,
        )
        .await;
    let map = &data["showtime"]["seatMap"];
    let seats = map["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 14);
    assert_eq!(map["availableCount"], 14);
    assert_eq!(seats[0]["row"], "A");
    assert_eq!(seats[0]["category"], "ACCESSIBLE");
    assert_eq!(seats[1]["category"], "COMPANION");
    // Row A is "AC__SSSS": the third seat stands after the aisle.
    assert_eq!(seats[2]["number"], 3);
    assert_eq!(seats[2]["x"], 4);
    let premium = seats.iter().find(|s| s["category"] == "PREMIUM").unwrap();
    assert_eq!(premium["priceCents"], 1800);
    assert!(seats.iter().all(|s| s["status"] == "AVAILABLE"));
}

#[tokio::test]
async fn nested_showtime_lists_cost_the_same_number_of_queries_whatever_their_length() {
    // Background workers share the statement counter; only the requests are measured here.
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let f = app.fixture().await;
    const Q: &str = "{ showtimes(first: 100) { id movie { title } event { title } theatre { name screens { name } } screen { name theatre { name } } prices { priceCents } } }";
    app.showtime_at(&f, 3).await;
    app.showtime_at(&f, 6).await;
    let before = app.db_statements().await;
    let two = app.ok(Q, json!({}), None).await;
    let cost_two = app.db_statements().await - before;
    for h in [9, 12, 15, 18, 21, 24, 27, 30] {
        app.showtime_at(&f, h).await;
    }
    let before = app.db_statements().await;
    let ten = app.ok(Q, json!({}), None).await;
    let cost_ten = app.db_statements().await - before;
    assert_eq!(two["showtimes"].as_array().unwrap().len(), 2);
    assert_eq!(ten["showtimes"].as_array().unwrap().len(), 10);
    // A DataLoader gathers keys for 1 ms, then loads them in one batch. When the thread
    // resolving the list is preempted in that window (tests share two cores), the batch is
    // cut in two and costs one statement more, in either request: allow a few such cuts.
    // Eight more showtimes read one by one would cost eight more statements.
    assert!(
        cost_ten <= cost_two + 3.0,
        "queries grew with the number of showtimes: {cost_two} for two, {cost_ten} for ten"
    );
    assert!(cost_ten <= 8.0, "{cost_ten} statements for one nested list");
}

#[tokio::test]
async fn a_burst_of_identical_city_listings_is_read_once_and_a_change_shows_at_once() {
    // One database connection, which the test holds while the burst comes in: nothing is
    // cached yet, so only the burst sharing one read can answer it with one read. Every
    // request of the burst runs at once (no turns to wait for).
    let app = std::sync::Arc::new(
        spawn_app_with(|s| {
            s.database_max_connections = 1;
            s.max_concurrent_operations = 0;
        })
        .await,
    );
    let f = app.fixture().await;
    app.ok(
        SHOWTIME,
        json!({ "i": { "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": in_hours(30), "prices": all_prices() } }),
        Some(&f.admin),
    )
    .await;
    const Q: &str =
        "{ movies(filter: { city: \"chicago\" }, first: 10) { edges { node { title } } } }";
    const BURST: u64 = 300;
    let listings = &app.services.listings;
    let (computed, waited) = (listings.computed(), listings.waited());
    let held = sea_orm::TransactionTrait::begin(&app.services.db)
        .await
        .unwrap();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(BURST as usize));
    let tasks: Vec<_> = (0..BURST)
        .map(|_| {
            let (app, start) = (app.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                titles(&app.ok(Q, json!({}), None).await)
            })
        })
        .collect();
    // Every request but the first waits for the first one's read.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
    while listings.waited() - waited < BURST - 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of {} requests waited for the read in flight",
            listings.waited() - waited,
            BURST - 1
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    held.rollback().await.unwrap();
    for t in tasks {
        assert_eq!(t.await.unwrap(), vec!["The Last Horizon"]);
    }
    assert_eq!(listings.computed() - computed, 1, "one read for the burst");

    // The admin's own changes show in the very next listing, without waiting for the feed.
    let other = movie(&app, &f.admin, "Another Dawn", json!(["drama"]), "English").await;
    app.ok(
        SHOWTIME,
        json!({ "i": { "screenId": f.screen_id, "movieId": other, "startsAt": in_hours(60), "prices": all_prices() } }),
        Some(&f.admin),
    )
    .await;
    assert_eq!(
        titles(&app.ok(Q, json!({}), None).await),
        vec!["Another Dawn", "The Last Horizon"]
    );
    app.ok(
        "mutation($id: ID!) { updateMovie(id: $id, input: { title: \"Zero Dawn\" }) { id } }",
        json!({ "id": other }),
        Some(&f.admin),
    )
    .await;
    assert_eq!(
        titles(&app.ok(Q, json!({}), None).await),
        vec!["The Last Horizon", "Zero Dawn"]
    );
}
