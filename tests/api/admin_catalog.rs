//! Admin writes to the catalog: theatres, screens, movies, events and promotions.

use serde_json::{Value, json};

use crate::helpers::*;

const THEATRE_BY_ID: &str = "query($id: ID!) { theatre(id: $id) { id name address city state zip latitude longitude timezone screens { id name seatCount categories } } }";
const THEATRES_IN: &str = "query($c: String) { theatres(city: $c) { id name } }";
const UPDATE_THEATRE: &str = "mutation($id: ID!, $i: UpdateTheatreInput!) { updateTheatre(id: $id, input: $i) { id name address city state zip latitude longitude timezone } }";
const DELETE_THEATRE: &str = "mutation($id: ID!) { deleteTheatre(id: $id) }";
const CREATE_MOVIE: &str = "mutation($i: CreateMovieInput!) { createMovie(input: $i) { id title synopsis genres cast runtimeMinutes certificate language releaseDate posterUrl trailerUrl } }";
const UPDATE_MOVIE: &str = "mutation($id: ID!, $i: UpdateMovieInput!) { updateMovie(id: $id, input: $i) { id title genres runtimeMinutes posterUrl trailerUrl } }";
const DELETE_MOVIE: &str = "mutation($id: ID!) { deleteMovie(id: $id) }";
const MOVIE_BY_ID: &str = "query($id: ID!) { movie(id: $id) { id title synopsis genres cast runtimeMinutes certificate language releaseDate posterUrl trailerUrl } }";
const CREATE_EVENT: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id title description performer category genres language durationMinutes ageRating posterUrl } }";
const CREATE_PROMOTION: &str = "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id code description kind value currency startsAt endsAt maxUses maxUsesPerUser } }";
const UPDATE_SHOWTIME: &str =
    "mutation($id: ID!, $i: UpdateShowtimeInput!) { updateShowtime(id: $id, input: $i) { id } }";
const CANCEL_SHOWTIME: &str = "mutation($id: ID!) { cancelShowtime(id: $id) { id status } }";
const SET_PRICES: &str = "mutation($s: ID!, $p: [PriceInput!]!) { setPrices(showtimeId: $s, prices: $p) { category priceCents } }";
const SEAT_MAP: &str = "query($id: ID!) { showtime(id: $id) { seatMap { seats { row number category status x y } } } }";
const EVERYTHING: &str = "query($t: ID!) {
  theatres { id name address city zip latitude timezone screens { id name seatCount } }
  movies(first: 100) { nodes { id title runtimeMinutes } }
  events(first: 100) { nodes { id title } }
  showtimes(theatreId: $t, includeCancelled: true) { id status startsAt endsAt screen { id } prices { category priceCents } }
}";

/// The `extensions.field` of the first error.
fn field(body: &Value) -> &str {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or("<none>")
}

fn assert_bad_input(body: &Value, expected_field: &str, case: &str) {
    assert_eq!(code(body), "BAD_USER_INPUT", "{case}: {body}");
    assert_eq!(field(body), expected_field, "{case}: {body}");
}

/// `base` with `key` set to `value`.
fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

async fn create_theatre(app: &TestApp, admin: &str, input: Value) -> String {
    let data = app.ok(THEATRE, json!({ "i": input }), Some(admin)).await;
    data["createTheatre"]["id"].as_str().unwrap().to_owned()
}

async fn theatre_names(app: &TestApp, city: Option<&str>) -> Vec<String> {
    let data = app.ok(THEATRES_IN, json!({ "c": city }), None).await;
    data["theatres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn movie_titles(app: &TestApp) -> Vec<String> {
    let data = app
        .ok(
            "{ movies(first: 100) { nodes { title } } }",
            json!({}),
            None,
        )
        .await;
    data["movies"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Everything an admin mutation could have changed, as the public reads show it.
async fn everything(app: &TestApp, theatre: &str) -> Value {
    app.ok(EVERYTHING, json!({ "t": theatre }), None).await
}

fn movie_input() -> Value {
    json!({ "title": "Night Train", "runtimeMinutes": 95, "releaseDate": "2026-03-01" })
}

fn event_input() -> Value {
    json!({ "title": "Stand-up Night", "performer": "Jo Kay", "category": "Comedy", "durationMinutes": 90 })
}

fn promotion(code: &str, kind: &str, value: i64) -> Value {
    json!({ "code": code, "kind": kind, "value": value, "startsAt": in_hours(-1), "endsAt": in_hours(24 * 30) })
}

#[tokio::test]
async fn create_theatre_stores_every_field_and_lists_it_by_city() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = create_theatre(&app, &admin, theatre_input("Marquee State")).await;
    let evanston = with(
        with(theatre_input("Lakeside"), "city", json!("Evanston")),
        "zip",
        json!("60201"),
    );
    create_theatre(&app, &admin, evanston).await;

    let t = app.ok(THEATRE_BY_ID, json!({ "id": id }), None).await["theatre"].clone();
    assert_eq!(t["id"], id.as_str());
    assert_eq!(t["name"], "Marquee State");
    assert_eq!(t["address"], "1 State St");
    assert_eq!(
        (t["city"].as_str(), t["state"].as_str(), t["zip"].as_str()),
        (Some("Chicago"), Some("IL"), Some("60601"))
    );
    assert_eq!(
        (t["latitude"].as_f64(), t["longitude"].as_f64()),
        (Some(41.8853), Some(-87.6278))
    );
    assert_eq!(t["timezone"], "America/Chicago");
    assert_eq!(t["screens"], json!([]));

    assert_eq!(
        theatre_names(&app, Some("chicago")).await,
        ["Marquee State"]
    );
    assert_eq!(theatre_names(&app, Some("Evanston")).await, ["Lakeside"]);
    assert_eq!(theatre_names(&app, None).await.len(), 2);
}

#[tokio::test]
async fn update_theatre_changes_only_the_given_fields() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = create_theatre(&app, &admin, theatre_input("Marquee State")).await;

    let input = json!({ "name": "  Marquee Loop  ", "latitude": 41.9, "zip": "60602", "timezone": "America/New_York" });
    let t = app
        .ok(
            UPDATE_THEATRE,
            json!({ "id": id, "i": input }),
            Some(&admin),
        )
        .await["updateTheatre"]
        .clone();
    assert_eq!(t["name"], "Marquee Loop");
    assert_eq!(t["latitude"].as_f64(), Some(41.9));
    assert_eq!(t["zip"], "60602");
    assert_eq!(t["timezone"], "America/New_York");
    assert_eq!(t["longitude"].as_f64(), Some(-87.6278));
    assert_eq!(
        (
            t["address"].as_str(),
            t["city"].as_str(),
            t["state"].as_str()
        ),
        (Some("1 State St"), Some("Chicago"), Some("IL"))
    );

    let read = app.ok(THEATRE_BY_ID, json!({ "id": id }), None).await["theatre"].clone();
    assert_eq!(read["name"], "Marquee Loop");
    assert_eq!(read["timezone"], "America/New_York");
}

#[tokio::test]
async fn update_theatre_refuses_bad_fields_and_unknown_ids() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = create_theatre(&app, &admin, theatre_input("Marquee State")).await;
    for (input, expected) in [
        (json!({ "latitude": -91.0 }), "latitude"),
        (json!({ "longitude": 180.5 }), "longitude"),
        (json!({ "timezone": "Mars/Olympus" }), "timezone"),
        (json!({ "name": " " }), "name"),
        (json!({ "zip": "60 60 160 601" }), "zip"),
    ] {
        let body = app
            .gql(
                UPDATE_THEATRE,
                json!({ "id": id, "i": input }),
                Some(&admin),
            )
            .await;
        assert_bad_input(&body, expected, &input.to_string());
    }
    let read = app.ok(THEATRE_BY_ID, json!({ "id": id }), None).await["theatre"].clone();
    assert_eq!(
        (read["name"].as_str(), read["zip"].as_str()),
        (Some("Marquee State"), Some("60601"))
    );
    assert_eq!(read["latitude"].as_f64(), Some(41.8853));

    let unknown = uuid::Uuid::new_v4().to_string();
    let body = app
        .gql(
            UPDATE_THEATRE,
            json!({ "id": unknown, "i": { "name": "X" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let body = app
        .gql(
            UPDATE_THEATRE,
            json!({ "id": "theatre-1", "i": { "name": "X" } }),
            Some(&admin),
        )
        .await;
    assert_bad_input(&body, "id", "malformed id");
}

#[tokio::test]
async fn create_theatre_refuses_bad_fields_naming_them_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (key, value, expected) in [
        ("latitude", json!(91.0), "latitude"),
        ("longitude", json!(-181.0), "longitude"),
        ("timezone", json!("Mars/Olympus"), "timezone"),
        ("name", json!(""), "name"),
        ("name", json!("   "), "name"),
        ("address", json!(""), "address"),
        ("zip", json!("6"), "zip"),
        ("zip", json!("606@1"), "zip"),
    ] {
        let body = app
            .gql(
                THEATRE,
                json!({ "i": with(theatre_input("Bad"), key, value.clone()) }),
                Some(&admin),
            )
            .await;
        assert_bad_input(&body, expected, &format!("{key} = {value}"));
    }
    assert!(theatre_names(&app, None).await.is_empty());
}

#[tokio::test]
async fn deleted_theatre_leaves_the_list_but_stays_readable_by_id() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let gone = create_theatre(&app, &admin, theatre_input("Old Palace")).await;
    create_theatre(&app, &admin, theatre_input("New Palace")).await;
    app.ok(
        SCREEN,
        json!({ "t": gone, "n": "Screen 1", "l": small_layout() }),
        Some(&admin),
    )
    .await;

    let data = app
        .ok(DELETE_THEATRE, json!({ "id": gone }), Some(&admin))
        .await;
    assert_eq!(data["deleteTheatre"], true);
    assert_eq!(theatre_names(&app, None).await, ["New Palace"]);
    assert_eq!(theatre_names(&app, Some("Chicago")).await, ["New Palace"]);

    // The by-id lookup keeps retired theatres (old showtimes and bookings name their
    // venue), with no screens left.
    let t = app.ok(THEATRE_BY_ID, json!({ "id": gone }), None).await["theatre"].clone();
    assert_eq!(t["name"], "Old Palace");
    assert_eq!(t["screens"], json!([]));

    let again = app
        .gql(DELETE_THEATRE, json!({ "id": gone }), Some(&admin))
        .await;
    assert_eq!(code(&again), "NOT_FOUND", "{again}");
    let update = app
        .gql(
            UPDATE_THEATRE,
            json!({ "id": gone, "i": { "name": "Revived" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&update), "NOT_FOUND", "{update}");
    let screen = app
        .gql(
            SCREEN,
            json!({ "t": gone, "n": "Screen 2", "l": small_layout() }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&screen), "NOT_FOUND", "{screen}");
}

#[tokio::test]
async fn delete_theatre_is_refused_while_it_has_an_upcoming_showtime_and_allowed_after_cancelling()
{
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 48).await;

    let body = app
        .gql(
            DELETE_THEATRE,
            json!({ "id": f.theatre_id }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_eq!(theatre_names(&app, None).await, ["Marquee State"]);

    app.ok(CANCEL_SHOWTIME, json!({ "id": show }), Some(&f.admin))
        .await;
    let data = app
        .ok(
            DELETE_THEATRE,
            json!({ "id": f.theatre_id }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(data["deleteTheatre"], true);
    assert!(theatre_names(&app, None).await.is_empty());
}

#[tokio::test]
async fn delete_theatre_is_allowed_once_its_last_showtime_has_ended() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    app.showtime_at(&f, 2).await;

    // Three hours on, the 100-minute show is still running.
    app.clock.advance(chrono::Duration::hours(3));
    let body = app
        .gql(
            DELETE_THEATRE,
            json!({ "id": f.theatre_id }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");

    app.clock.advance(chrono::Duration::hours(1));
    let data = app
        .ok(
            DELETE_THEATRE,
            json!({ "id": f.theatre_id }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(data["deleteTheatre"], true);
}

#[tokio::test]
async fn create_screen_counts_seats_and_categories_and_numbers_seats_skipping_aisles() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let layout = json!({ "rows": [ { "label": "a", "seats": "ss__ss" }, { "label": "B", "seats": "_PP_" } ] });
    let s = app
        .ok(
            SCREEN,
            json!({ "t": f.theatre_id, "n": "Screen 2", "l": layout }),
            Some(&f.admin),
        )
        .await["createScreen"]
        .clone();
    assert_eq!(s["seatCount"], 6);
    assert_eq!(s["categories"], json!(["STANDARD", "PREMIUM"]));

    let t = app
        .ok(THEATRE_BY_ID, json!({ "id": f.theatre_id }), None)
        .await["theatre"]
        .clone();
    let screens: Vec<(&str, i64)> = t["screens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["seatCount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(screens, [("Screen 1", 14), ("Screen 2", 6)]);
    assert_eq!(
        t["screens"][0]["categories"],
        json!(["STANDARD", "PREMIUM", "ACCESSIBLE", "COMPANION"])
    );

    // The fixture screen: "AC__SSSS" / "SSPP_PPSS".
    let show = app.showtime_at(&f, 48).await;
    let data = app.ok(SEAT_MAP, json!({ "id": show }), None).await;
    let seats: Vec<(String, i64, String, i64, i64)> = data["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["status"], "AVAILABLE");
            let n = |k: &str| s[k].as_i64().unwrap();
            (
                s["row"].as_str().unwrap().to_owned(),
                n("number"),
                s["category"].as_str().unwrap().to_owned(),
                n("x"),
                n("y"),
            )
        })
        .collect();
    let expected: Vec<(String, i64, String, i64, i64)> = [
        ("A", 1, "ACCESSIBLE", 0, 0),
        ("A", 2, "COMPANION", 1, 0),
        ("A", 3, "STANDARD", 4, 0),
        ("A", 4, "STANDARD", 5, 0),
        ("A", 5, "STANDARD", 6, 0),
        ("A", 6, "STANDARD", 7, 0),
        ("B", 1, "STANDARD", 0, 1),
        ("B", 2, "STANDARD", 1, 1),
        ("B", 3, "PREMIUM", 2, 1),
        ("B", 4, "PREMIUM", 3, 1),
        ("B", 5, "PREMIUM", 5, 1),
        ("B", 6, "PREMIUM", 6, 1),
        ("B", 7, "STANDARD", 7, 1),
        ("B", 8, "STANDARD", 8, 1),
    ]
    .iter()
    .map(|(r, n, c, x, y)| (r.to_string(), *n, c.to_string(), *x, *y))
    .collect();
    assert_eq!(seats, expected);
}

#[tokio::test]
async fn create_screen_refuses_bad_layouts_naming_the_layout() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let theatre = create_theatre(&app, &admin, theatre_input("Marquee State")).await;
    let row = |label: &str, seats: &str| json!({ "label": label, "seats": seats });
    for (case, rows) in [
        ("no rows", json!([])),
        ("a row of gaps only", json!([row("A", "___")])),
        ("an unknown character", json!([row("A", "SSX")])),
        (
            "a duplicate row label",
            json!([row("A", "SS"), row("a", "SS")]),
        ),
        (
            "a companion away from any accessible seat",
            json!([row("A", "SC_A")]),
        ),
        ("a bad row label", json!([row("A-1", "SS")])),
        ("an empty row label", json!([row(" ", "SS")])),
        ("a row wider than 80", json!([row("A", &"S".repeat(81))])),
    ] {
        let body = app
            .gql(
                SCREEN,
                json!({ "t": theatre, "n": "Screen 1", "l": { "rows": rows } }),
                Some(&admin),
            )
            .await;
        assert_bad_input(&body, "layout", case);
    }
    let body = app
        .gql(
            SCREEN,
            json!({ "t": theatre, "n": "  ", "l": small_layout() }),
            Some(&admin),
        )
        .await;
    assert_bad_input(&body, "name", "empty screen name");

    let t = app.ok(THEATRE_BY_ID, json!({ "id": theatre }), None).await;
    assert_eq!(t["theatre"]["screens"], json!([]));
}

#[tokio::test]
async fn create_screen_refuses_unknown_and_malformed_theatre_ids() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let body = app
        .gql(
            SCREEN,
            json!({ "t": unknown, "n": "Screen 1", "l": small_layout() }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let body = app
        .gql(
            SCREEN,
            json!({ "t": "theatre-1", "n": "Screen 1", "l": small_layout() }),
            Some(&admin),
        )
        .await;
    assert_bad_input(&body, "theatreId", "malformed theatre id");
}

#[tokio::test]
async fn create_movie_stores_every_field_and_update_movie_changes_the_given_ones() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let input = json!({ "title": " Night Train ", "synopsis": "A long ride.", "genres": ["Sci Fi", "action", "ACTION"],
        "cast": ["Ada Stone", "Lee Park"], "runtimeMinutes": 120, "certificate": "PG-13", "language": "French",
        "releaseDate": "2026-03-01", "posterUrl": "https://img.test/p.jpg", "trailerUrl": "https://video.test/t" });
    let m = app
        .ok(CREATE_MOVIE, json!({ "i": input }), Some(&admin))
        .await["createMovie"]
        .clone();
    let id = m["id"].as_str().unwrap().to_owned();
    let read = app.ok(MOVIE_BY_ID, json!({ "id": id }), None).await["movie"].clone();
    assert_eq!(read, m);
    assert_eq!(m["title"], "Night Train");
    assert_eq!(m["genres"], json!(["sci-fi", "action"]));
    assert_eq!(m["cast"], json!(["Ada Stone", "Lee Park"]));
    assert_eq!(
        (m["runtimeMinutes"].as_i64(), m["certificate"].as_str()),
        (Some(120), Some("PG-13"))
    );
    assert_eq!(
        (m["language"].as_str(), m["releaseDate"].as_str()),
        (Some("French"), Some("2026-03-01"))
    );
    assert_eq!(m["posterUrl"], "https://img.test/p.jpg");

    let changes = json!({ "title": "Night Train II", "runtimeMinutes": 95, "posterUrl": "" });
    let u = app
        .ok(
            UPDATE_MOVIE,
            json!({ "id": id, "i": changes }),
            Some(&admin),
        )
        .await["updateMovie"]
        .clone();
    assert_eq!(
        (u["title"].as_str(), u["runtimeMinutes"].as_i64()),
        (Some("Night Train II"), Some(95))
    );
    assert_eq!(u["posterUrl"], Value::Null);
    assert_eq!(u["trailerUrl"], "https://video.test/t");
    assert_eq!(u["genres"], json!(["sci-fi", "action"]));

    let minimal = app
        .ok(CREATE_MOVIE, json!({ "i": movie_input() }), Some(&admin))
        .await["createMovie"]
        .clone();
    assert_eq!(
        (
            minimal["certificate"].as_str(),
            minimal["language"].as_str()
        ),
        (Some("NR"), Some("English"))
    );
    assert_eq!(
        (
            minimal["synopsis"].as_str(),
            &minimal["genres"],
            &minimal["cast"]
        ),
        (Some(""), &json!([]), &json!([]))
    );
    assert_eq!(movie_titles(&app).await, ["Night Train", "Night Train II"]);
}

#[tokio::test]
async fn create_movie_refuses_bad_fields_naming_them_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (key, value, expected) in [
        ("runtimeMinutes", json!(0), "runtimeMinutes"),
        ("runtimeMinutes", json!(601), "runtimeMinutes"),
        ("genres", json!(["rock|roll"]), "genres"),
        ("genres", json!([""]), "genres"),
        ("posterUrl", json!("ftp://img.test/p.jpg"), "posterUrl"),
        ("posterUrl", json!("https://img.test/a b.jpg"), "posterUrl"),
        ("trailerUrl", json!("javascript:alert(1)"), "trailerUrl"),
        ("title", json!(""), "title"),
    ] {
        let body = app
            .gql(
                CREATE_MOVIE,
                json!({ "i": with(movie_input(), key, value.clone()) }),
                Some(&admin),
            )
            .await;
        assert_bad_input(&body, expected, &format!("{key} = {value}"));
    }
    assert!(movie_titles(&app).await.is_empty());

    // The longest accepted running time; then the same checks on update.
    let m = app
        .ok(
            CREATE_MOVIE,
            json!({ "i": with(movie_input(), "runtimeMinutes", json!(600)) }),
            Some(&admin),
        )
        .await;
    let id = m["createMovie"]["id"].as_str().unwrap().to_owned();
    for (input, expected) in [
        (json!({ "runtimeMinutes": 0 }), "runtimeMinutes"),
        (json!({ "genres": ["rock|roll"] }), "genres"),
        (json!({ "trailerUrl": "www.video.test" }), "trailerUrl"),
    ] {
        let body = app
            .gql(UPDATE_MOVIE, json!({ "id": id, "i": input }), Some(&admin))
            .await;
        assert_bad_input(&body, expected, &input.to_string());
    }
    let read = app.ok(MOVIE_BY_ID, json!({ "id": id }), None).await["movie"].clone();
    assert_eq!(
        (read["runtimeMinutes"].as_i64(), &read["genres"]),
        (Some(600), &json!([]))
    );
}

#[tokio::test]
async fn update_movie_refuses_a_new_running_time_while_showtimes_are_scheduled() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 48).await;

    let body = app
        .gql(
            UPDATE_MOVIE,
            json!({ "id": f.movie_id, "i": { "runtimeMinutes": 120 } }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    let read = app.ok(MOVIE_BY_ID, json!({ "id": f.movie_id }), None).await;
    assert_eq!(read["movie"]["runtimeMinutes"], 100);

    // The same running time and other fields may change.
    let same = json!({ "id": f.movie_id, "i": { "runtimeMinutes": 100, "title": "The Last Horizon (Director's Cut)" } });
    let u = app.ok(UPDATE_MOVIE, same, Some(&f.admin)).await;
    assert_eq!(
        u["updateMovie"]["title"],
        "The Last Horizon (Director's Cut)"
    );

    app.ok(CANCEL_SHOWTIME, json!({ "id": show }), Some(&f.admin))
        .await;
    let u = app
        .ok(
            UPDATE_MOVIE,
            json!({ "id": f.movie_id, "i": { "runtimeMinutes": 120 } }),
            Some(&f.admin),
        )
        .await;
    assert_eq!(u["updateMovie"]["runtimeMinutes"], 120);
}

#[tokio::test]
async fn delete_movie_is_refused_while_it_has_upcoming_showtimes() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 48).await;

    let body = app
        .gql(DELETE_MOVIE, json!({ "id": f.movie_id }), Some(&f.admin))
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_eq!(movie_titles(&app).await, ["The Last Horizon"]);

    app.ok(CANCEL_SHOWTIME, json!({ "id": show }), Some(&f.admin))
        .await;
    let data = app
        .ok(DELETE_MOVIE, json!({ "id": f.movie_id }), Some(&f.admin))
        .await;
    assert_eq!(data["deleteMovie"], true);
    assert!(movie_titles(&app).await.is_empty());

    let again = app
        .gql(DELETE_MOVIE, json!({ "id": f.movie_id }), Some(&f.admin))
        .await;
    assert_eq!(code(&again), "NOT_FOUND", "{again}");
    let input = json!({ "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": in_hours(72), "prices": all_prices() });
    let body = app
        .gql(SHOWTIME, json!({ "i": input }), Some(&f.admin))
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn create_event_stores_it_and_refuses_an_empty_performer() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let e = app
        .ok(
            CREATE_EVENT,
            json!({ "i": with(event_input(), "genres", json!(["Stand Up"])) }),
            Some(&admin),
        )
        .await;
    let e = &e["createEvent"];
    assert_eq!(
        (e["title"].as_str(), e["performer"].as_str()),
        (Some("Stand-up Night"), Some("Jo Kay"))
    );
    assert_eq!(
        (e["category"].as_str(), &e["genres"]),
        (Some("comedy"), &json!(["stand-up"]))
    );
    assert_eq!(
        (e["durationMinutes"].as_i64(), e["language"].as_str()),
        (Some(90), Some("English"))
    );
    assert_eq!(
        (e["ageRating"].as_str(), e["description"].as_str()),
        (Some("All ages"), Some(""))
    );

    for (key, value, expected) in [
        ("performer", json!(""), "performer"),
        ("performer", json!("   "), "performer"),
        ("category", json!("rock & roll"), "category"),
        ("durationMinutes", json!(0), "durationMinutes"),
        ("title", json!(""), "title"),
        ("posterUrl", json!("poster.jpg"), "posterUrl"),
    ] {
        let body = app
            .gql(
                CREATE_EVENT,
                json!({ "i": with(event_input(), key, value.clone()) }),
                Some(&admin),
            )
            .await;
        assert_bad_input(&body, expected, &format!("{key} = {value}"));
    }
    let events = app
        .ok(
            "{ events(first: 100) { nodes { title } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        events["events"]["nodes"],
        json!([{ "title": "Stand-up Night" }])
    );
}

#[tokio::test]
async fn create_promotion_accepts_percent_and_fixed_discounts() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let percent = with(
        with(
            promotion(" summer-10 ", "PERCENT", 10),
            "maxUses",
            json!(100),
        ),
        "maxUsesPerUser",
        json!(1),
    );
    let p = app
        .ok(
            CREATE_PROMOTION,
            json!({ "i": percent.clone() }),
            Some(&admin),
        )
        .await["createPromotion"]
        .clone();
    assert_eq!(
        (p["code"].as_str(), p["kind"].as_str(), p["value"].as_i64()),
        (Some("SUMMER-10"), Some("percent"), Some(10))
    );
    assert_eq!(
        (
            &p["currency"],
            p["maxUses"].as_i64(),
            p["maxUsesPerUser"].as_i64()
        ),
        (&Value::Null, Some(100), Some(1))
    );
    assert!(
        (time(&p["startsAt"]) - time(&percent["startsAt"]))
            .num_milliseconds()
            .abs()
            < 1,
        "{p}"
    );
    assert!(time(&p["endsAt"]) > time(&p["startsAt"]));

    let fixed = with(
        promotion("FIVE_OFF", "FIXED", 500),
        "currency",
        json!("usd"),
    );
    let p = app
        .ok(CREATE_PROMOTION, json!({ "i": fixed }), Some(&admin))
        .await["createPromotion"]
        .clone();
    assert_eq!(
        (p["code"].as_str(), p["kind"].as_str(), p["value"].as_i64()),
        (Some("FIVE_OFF"), Some("fixed"), Some(500))
    );
    assert_eq!(p["currency"], "USD");
    assert_eq!(
        (&p["maxUses"], &p["maxUsesPerUser"]),
        (&Value::Null, &Value::Null)
    );

    let all = app
        .ok(
            CREATE_PROMOTION,
            json!({ "i": promotion("FREE", "PERCENT", 100) }),
            Some(&admin),
        )
        .await;
    assert_eq!(all["createPromotion"]["value"], 100);
}

#[tokio::test]
async fn create_promotion_refuses_bad_input_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before_start = with(
        promotion("BACKWARDS", "PERCENT", 10),
        "endsAt",
        json!(in_hours(-2)),
    );
    let cases = [
        ("percent 0", promotion("ZERO", "PERCENT", 0), "value"),
        (
            "percent 101",
            promotion("TOO-MUCH", "PERCENT", 101),
            "value",
        ),
        (
            "fixed without currency",
            promotion("NO-CURRENCY", "FIXED", 500),
            "currency",
        ),
        (
            "fixed with a bad currency",
            with(
                promotion("BAD-CURRENCY", "FIXED", 500),
                "currency",
                json!("US"),
            ),
            "currency",
        ),
        (
            "fixed 0",
            with(promotion("NOTHING", "FIXED", 0), "currency", json!("USD")),
            "value",
        ),
        ("endsAt before startsAt", before_start, "endsAt"),
        ("a short code", promotion("AB", "PERCENT", 10), "code"),
        (
            "a code with spaces",
            promotion("TEN OFF", "PERCENT", 10),
            "code",
        ),
        (
            "maxUses 0",
            with(promotion("NO-USES", "PERCENT", 10), "maxUses", json!(0)),
            "maxUses",
        ),
    ];
    for (case, input, expected) in cases {
        let body = app
            .gql(CREATE_PROMOTION, json!({ "i": input }), Some(&admin))
            .await;
        assert_bad_input(&body, expected, case);
    }

    app.ok(
        CREATE_PROMOTION,
        json!({ "i": promotion("DUP10", "PERCENT", 10) }),
        Some(&admin),
    )
    .await;
    let body = app
        .gql(
            CREATE_PROMOTION,
            json!({ "i": promotion("dup10", "FIXED", 100) }),
            Some(&admin),
        )
        .await;
    assert_bad_input(&body, "code", "duplicate code");
}

#[tokio::test]
async fn admin_mutations_are_refused_for_customers_and_anonymous_callers_and_write_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 48).await;
    let customer = app.customer("fan@marquee.test").await;
    let before = everything(&app, &f.theatre_id).await;

    let new_show = json!({ "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": in_hours(72), "prices": all_prices() });
    let cases: Vec<(&str, &str, Value)> = vec![
        (
            "createTheatre",
            THEATRE,
            json!({ "i": theatre_input("Intruder") }),
        ),
        (
            "updateTheatre",
            UPDATE_THEATRE,
            json!({ "id": f.theatre_id, "i": { "name": "Hijacked" } }),
        ),
        (
            "deleteTheatre",
            DELETE_THEATRE,
            json!({ "id": f.theatre_id }),
        ),
        (
            "createScreen",
            SCREEN,
            json!({ "t": f.theatre_id, "n": "Screen X", "l": small_layout() }),
        ),
        ("createMovie", MOVIE, json!({ "i": movie_input() })),
        (
            "updateMovie",
            UPDATE_MOVIE,
            json!({ "id": f.movie_id, "i": { "title": "Hijacked" } }),
        ),
        ("deleteMovie", DELETE_MOVIE, json!({ "id": f.movie_id })),
        ("createEvent", CREATE_EVENT, json!({ "i": event_input() })),
        ("createShowtime", SHOWTIME, json!({ "i": new_show })),
        (
            "updateShowtime",
            UPDATE_SHOWTIME,
            json!({ "id": show, "i": { "startsAt": in_hours(96) } }),
        ),
        ("cancelShowtime", CANCEL_SHOWTIME, json!({ "id": show })),
        (
            "setPrices",
            SET_PRICES,
            json!({ "s": show, "p": [{ "category": "STANDARD", "priceCents": 1 }] }),
        ),
        (
            "createPromotion",
            CREATE_PROMOTION,
            json!({ "i": promotion("LEAKED", "PERCENT", 50) }),
        ),
    ];
    for (name, query, vars) in &cases {
        for (token, expected) in [
            (Some(customer.as_str()), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ] {
            let body = app.gql(query, vars.clone(), token).await;
            assert_eq!(code(&body), expected, "{name} as {expected}: {body}");
            assert_eq!(body["errors"][0]["path"][0], *name, "{body}");
            assert!(body["data"].is_null(), "{name} returned data: {body}");
        }
    }

    assert_eq!(everything(&app, &f.theatre_id).await, before);
    // The code was not taken either.
    app.ok(
        CREATE_PROMOTION,
        json!({ "i": promotion("LEAKED", "PERCENT", 50) }),
        Some(&f.admin),
    )
    .await;
}
