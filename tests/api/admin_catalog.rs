//! Admin writes to the catalog: theatres, screens, movies, events and promotions.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::search::{names, search};

const THEATRE_BY_ID: &str = "query($id: ID!) { theatre(id: $id) { id name address city state zip latitude longitude timezone screens { name seatCount categories } } }";
const THEATRES_IN: &str = "query($c: String) { theatres(city: $c) { name } }";
const UPDATE_THEATRE: &str = "mutation($id: ID!, $i: UpdateTheatreInput!) { updateTheatre(id: $id, input: $i) { name address city state zip latitude longitude timezone } }";
const DELETE_THEATRE: &str = "mutation($id: ID!) { deleteTheatre(id: $id) }";
const CREATE_MOVIE: &str = "mutation($i: CreateMovieInput!) { createMovie(input: $i) { id title synopsis genres cast runtimeMinutes certificate language releaseDate posterUrl trailerUrl } }";
const UPDATE_MOVIE: &str = "mutation($id: ID!, $i: UpdateMovieInput!) { updateMovie(id: $id, input: $i) { title genres runtimeMinutes posterUrl trailerUrl } }";
const DELETE_MOVIE: &str = "mutation($id: ID!) { deleteMovie(id: $id) }";
const MOVIE_BY_ID: &str = "query($id: ID!) { movie(id: $id) { id title synopsis genres cast runtimeMinutes certificate language releaseDate posterUrl trailerUrl } }";
const MOVIE_TITLES: &str = "{ movies(first: 100) { nodes { title } } }";
const CREATE_EVENT: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { title description performer category genres language durationMinutes ageRating posterUrl } }";
const UPDATE_EVENT: &str = "mutation($id: ID!, $i: UpdateEventInput!) { updateEvent(id: $id, input: $i) { title description performer category genres language durationMinutes ageRating posterUrl } }";
const DELETE_EVENT: &str = "mutation($id: ID!) { deleteEvent(id: $id) }";
const EVENT_BY_ID: &str = "query($id: ID!) { event(id: $id) { title description performer category genres language durationMinutes ageRating posterUrl } }";
const CREATE_EVENT_ID: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }";
const EVENT_TITLES: &str = "{ events(first: 100) { nodes { title } } }";
const CREATE_PROMOTION: &str = "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { code description kind value currency startsAt endsAt maxUses maxUsesPerUser } }";
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

/// Every admin mutation, by name.
const ADMIN_MUTATIONS: [(&str, &str); 15] = [
    ("createTheatre", THEATRE),
    ("updateTheatre", UPDATE_THEATRE),
    ("deleteTheatre", DELETE_THEATRE),
    ("createScreen", SCREEN),
    ("createMovie", MOVIE),
    ("updateMovie", UPDATE_MOVIE),
    ("deleteMovie", DELETE_MOVIE),
    ("createEvent", CREATE_EVENT),
    ("updateEvent", UPDATE_EVENT),
    ("deleteEvent", DELETE_EVENT),
    ("createShowtime", SHOWTIME),
    ("updateShowtime", UPDATE_SHOWTIME),
    ("cancelShowtime", CANCEL_SHOWTIME),
    ("setPrices", SET_PRICES),
    ("createPromotion", CREATE_PROMOTION),
];

/// GraphQL calls made with one token (or none).
struct Caller<'a>(&'a TestApp, Option<String>);

impl Caller<'_> {
    async fn ok(&self, query: &str, vars: &Value) -> Value {
        self.0.ok(query, vars.clone(), self.1.as_deref()).await
    }

    /// Runs `query` expecting the error `expected`; returns the response.
    async fn refused(&self, query: &str, vars: &Value, expected: &str) -> Value {
        let body = self.0.gql(query, vars.clone(), self.1.as_deref()).await;
        assert_eq!(code(&body), expected, "{vars}: {body}");
        body
    }

    /// Runs `query` expecting BAD_USER_INPUT naming `field`.
    async fn bad_input(&self, query: &str, vars: &Value, field: &str) {
        let body = self.refused(query, vars, "BAD_USER_INPUT").await;
        let named = &body["errors"][0]["extensions"]["field"];
        assert_eq!(named, field, "{vars}: {body}");
    }

    async fn new_theatre(&self, input: Value) -> String {
        let data = self.ok(THEATRE, &json!({ "i": input })).await;
        data["createTheatre"]["id"].as_str().unwrap().to_owned()
    }

    async fn theatre(&self, id: &str) -> Value {
        self.ok(THEATRE_BY_ID, &json!({ "id": id })).await["theatre"].take()
    }

    async fn theatre_names(&self, city: Option<&str>) -> Vec<String> {
        let data = self.ok(THEATRES_IN, &json!({ "c": city })).await;
        strings(&data["theatres"], "name")
    }

    async fn movie(&self, id: &str) -> Value {
        self.ok(MOVIE_BY_ID, &json!({ "id": id })).await["movie"].take()
    }

    async fn event(&self, id: &str) -> Value {
        self.ok(EVENT_BY_ID, &json!({ "id": id })).await["event"].take()
    }

    async fn event_titles(&self) -> Vec<String> {
        let data = self.ok(EVENT_TITLES, &json!({})).await;
        strings(&data["events"]["nodes"], "title")
    }

    /// Creates a live event from `input`; its id.
    async fn new_event(&self, input: Value) -> String {
        let data = self.ok(CREATE_EVENT_ID, &json!({ "i": input })).await;
        data["createEvent"]["id"].as_str().unwrap().to_owned()
    }

    /// Schedules the live event `event` on the fixture's screen `hours` from now.
    async fn event_showtime(&self, f: &Fixture, event: &str, hours: i64) -> String {
        let input = json!({ "screenId": f.screen_id, "eventId": event, "startsAt": in_hours(hours), "prices": all_prices() });
        let data = self.ok(SHOWTIME, &json!({ "i": input })).await;
        data["createShowtime"]["id"].as_str().unwrap().to_owned()
    }

    async fn movie_titles(&self) -> Vec<String> {
        let data = self.ok(MOVIE_TITLES, &json!({})).await;
        strings(&data["movies"]["nodes"], "title")
    }

    /// Everything an admin mutation could have changed, as the public reads show it.
    async fn everything(&self, theatre: &str) -> Value {
        self.ok(EVERYTHING, &json!({ "t": theatre })).await
    }
}

async fn as_admin(app: &TestApp) -> Caller<'_> {
    Caller(app, Some(app.admin().await))
}

/// The `key` of every object of an array.
fn strings(list: &Value, key: &str) -> Vec<String> {
    let items = list.as_array().unwrap().iter();
    items.map(|v| v[key].as_str().unwrap().to_owned()).collect()
}

/// `base` with the fields of `changes` set.
fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// The field and value of each one-field object of a list.
fn one_field_each(list: Value) -> Vec<(String, Value)> {
    let objects: Vec<serde_json::Map<String, Value>> = serde_json::from_value(list).unwrap();
    objects.into_iter().flatten().collect()
}

/// `{ field: value }`.
fn obj(field: &str, value: &Value) -> Value {
    json!({ field: value })
}

fn id_of(id: &str) -> Value {
    json!({ "id": id })
}

fn movie_input() -> Value {
    json!({ "title": "Night Train", "runtimeMinutes": 95, "releaseDate": "2026-03-01" })
}

fn event_input() -> Value {
    json!({ "title": "Stand-up Night", "performer": "Jo Kay", "category": "Comedy", "durationMinutes": 90 })
}

/// A month-long promotion input with the fields of `changes` set.
fn promotion(changes: Value) -> Value {
    let (starts, ends) = (in_hours(-1), in_hours(24 * 30));
    let base = json!({ "code": "TEN-OFF", "kind": "PERCENT", "value": 10, "startsAt": starts, "endsAt": ends });
    json!({ "i": with(base, changes) })
}

#[tokio::test]
async fn create_theatre_stores_every_field_and_lists_it_by_city() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let id = a.new_theatre(theatre_input("Marquee State")).await;
    let elsewhere = json!({ "city": "Evanston", "zip": "60201" });
    let lakeside = with(theatre_input("Lakeside"), elsewhere);
    a.new_theatre(lakeside).await;

    let expected = json!({ "id": id, "name": "Marquee State", "address": "1 State St", "city": "Chicago",
        "state": "IL", "zip": "60601", "latitude": 41.8853, "longitude": -87.6278,
        "timezone": "America/Chicago", "screens": [] });
    assert_eq!(a.theatre(&id).await, expected);

    assert_eq!(a.theatre_names(Some("chicago")).await, ["Marquee State"]);
    assert_eq!(a.theatre_names(Some("Evanston")).await, ["Lakeside"]);
    assert_eq!(a.theatre_names(None).await.len(), 2);
}

#[tokio::test]
async fn update_theatre_changes_only_the_given_fields() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let id = a.new_theatre(theatre_input("Marquee State")).await;

    let input = json!({ "name": "  Marquee Loop  ", "latitude": 41.9, "zip": "60602", "timezone": "America/New_York" });
    let data = a.ok(UPDATE_THEATRE, &json!({ "id": id, "i": input })).await;
    let expected = json!({ "name": "Marquee Loop", "address": "1 State St", "city": "Chicago", "state": "IL",
        "zip": "60602", "latitude": 41.9, "longitude": -87.6278, "timezone": "America/New_York" });
    assert_eq!(data["updateTheatre"], expected);
    assert_eq!(a.theatre(&id).await["name"], "Marquee Loop");
}

#[tokio::test]
async fn theatre_writes_refuse_bad_fields_naming_them_and_change_nothing() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let id = a.new_theatre(theatre_input("Marquee State")).await;
    let before = a.theatre(&id).await;
    let cases = json!([
        { "latitude": 91.0 }, { "latitude": -91.0 }, { "longitude": -181.0 },
        { "timezone": "Mars/Olympus" }, { "name": "" }, { "name": "   " }, { "address": "" },
        { "zip": "6" }, { "zip": "606@1" }, { "zip": "60 60 160 601" }
    ]);
    for (field, value) in one_field_each(cases) {
        let input = with(theatre_input("Bad"), obj(&field, &value));
        a.bad_input(THEATRE, &json!({ "i": input }), &field).await;
        let vars = json!({ "id": id, "i": obj(&field, &value) });
        a.bad_input(UPDATE_THEATRE, &vars, &field).await;
    }
    assert_eq!(a.theatre_names(None).await, ["Marquee State"]);
    assert_eq!(a.theatre(&id).await, before);

    let unknown = json!({ "id": uuid::Uuid::new_v4().to_string(), "i": { "name": "X" } });
    a.refused(UPDATE_THEATRE, &unknown, "NOT_FOUND").await;
    let malformed = json!({ "id": "theatre-1", "i": { "name": "X" } });
    a.bad_input(UPDATE_THEATRE, &malformed, "id").await;
}

#[tokio::test]
async fn deleted_theatre_leaves_the_list_and_the_lookup_but_not_past_showtimes() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let gone = a.new_theatre(theatre_input("Old Palace")).await;
    a.new_theatre(theatre_input("New Palace")).await;
    let screen = json!({ "t": gone, "n": "Screen 1", "l": small_layout() });
    a.ok(SCREEN, &screen).await;

    let data = a.ok(DELETE_THEATRE, &id_of(&gone)).await;
    assert_eq!(data["deleteTheatre"], true);
    assert_eq!(a.theatre_names(None).await, ["New Palace"]);
    assert_eq!(a.theatre_names(Some("Chicago")).await, ["New Palace"]);

    // The public lookup forgets it too; relations of older records still resolve it.
    assert!(a.theatre(&gone).await.is_null());
    let venue = app
        .services
        .catalog
        .theatres_by_ids(&[marquee_domain::ids::TheatreId::parse(&gone).unwrap()])
        .await
        .unwrap();
    assert_eq!(venue.len(), 1);

    a.refused(DELETE_THEATRE, &id_of(&gone), "NOT_FOUND").await;
    let rename = json!({ "id": gone, "i": { "name": "Revived" } });
    a.refused(UPDATE_THEATRE, &rename, "NOT_FOUND").await;
    a.refused(SCREEN, &screen, "NOT_FOUND").await;
}

#[tokio::test]
async fn delete_theatre_is_refused_until_its_showtimes_are_cancelled_or_over() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    app.showtime_at(&f, 2).await;
    let later = app.showtime_at(&f, 48).await;
    let theatre = id_of(&f.theatre_id);

    a.refused(DELETE_THEATRE, &theatre, "CONFLICT").await;
    a.ok(CANCEL_SHOWTIME, &id_of(&later)).await;
    a.refused(DELETE_THEATRE, &theatre, "CONFLICT").await;
    // Three hours on, the 100-minute show is still running.
    app.clock.advance(chrono::Duration::hours(3));
    a.refused(DELETE_THEATRE, &theatre, "CONFLICT").await;
    assert_eq!(a.theatre_names(None).await, ["Marquee State"]);

    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(a.ok(DELETE_THEATRE, &theatre).await["deleteTheatre"], true);
    assert!(a.theatre_names(None).await.is_empty());
}

#[tokio::test]
async fn create_screen_counts_seats_and_categories_and_numbers_seats_skipping_aisles() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    let rows = json!([{ "label": "a", "seats": "ss__ss" }, { "label": "B", "seats": "_PP_" }]);
    let screen = json!({ "t": f.theatre_id, "n": "Screen 2", "l": { "rows": rows } });
    let data = a.ok(SCREEN, &screen).await;
    let created = json!({ "id": data["createScreen"]["id"], "seatCount": 6, "categories": ["STANDARD", "PREMIUM"] });
    assert_eq!(data["createScreen"], created);

    let expected = json!([
        { "name": "Screen 1", "seatCount": 14, "categories": ["STANDARD", "PREMIUM", "ACCESSIBLE", "COMPANION"] },
        { "name": "Screen 2", "seatCount": 6, "categories": ["STANDARD", "PREMIUM"] }
    ]);
    assert_eq!(a.theatre(&f.theatre_id).await["screens"], expected);

    // The fixture screen, "AC__SSSS" / "SSPP_PPSS": each row's seats as [number, category, x].
    let show = app.showtime_at(&f, 48).await;
    let data = a.ok(SEAT_MAP, &id_of(&show)).await;
    let mut rows: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for s in data["showtime"]["seatMap"]["seats"].as_array().unwrap() {
        let row = s["row"].as_str().unwrap();
        assert_eq!(s["status"], "AVAILABLE", "{s}");
        assert_eq!(s["y"], if row == "A" { 0 } else { 1 }, "{s}");
        let seat = json!([s["number"], s["category"], s["x"]]);
        rows.entry(row).or_default().push(seat);
    }
    let expected = json!({
        "A": [[1, "ACCESSIBLE", 0], [2, "COMPANION", 1], [3, "STANDARD", 4], [4, "STANDARD", 5], [5, "STANDARD", 6], [6, "STANDARD", 7]],
        "B": [[1, "STANDARD", 0], [2, "STANDARD", 1], [3, "PREMIUM", 2], [4, "PREMIUM", 3], [5, "PREMIUM", 5], [6, "PREMIUM", 6],
              [7, "STANDARD", 7], [8, "STANDARD", 8]]
    });
    assert_eq!(json!(rows), expected);
}

#[tokio::test]
async fn create_screen_refuses_bad_layouts_names_and_theatre_ids() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let theatre = a.new_theatre(theatre_input("Marquee State")).await;
    let row = |label: &str, seats: &str| json!({ "label": label, "seats": seats });
    for rows in [
        json!([]),
        json!([row("A", "___")]),
        json!([row("A", "SSX")]),
        json!([row("A", "SS"), row("a", "SS")]),
        json!([row("A", "SC_A")]),
        json!([row("A-1", "SS")]),
        json!([row(" ", "SS")]),
        json!([row("A", &"S".repeat(401))]),
    ] {
        let vars = json!({ "t": theatre, "n": "Screen 1", "l": { "rows": rows } });
        a.bad_input(SCREEN, &vars, "layout").await;
    }
    let unnamed = json!({ "t": theatre, "n": "  ", "l": small_layout() });
    a.bad_input(SCREEN, &unnamed, "name").await;
    assert_eq!(a.theatre(&theatre).await["screens"], json!([]));

    let unknown = uuid::Uuid::new_v4().to_string();
    let vars = json!({ "t": unknown, "n": "Screen 1", "l": small_layout() });
    a.refused(SCREEN, &vars, "NOT_FOUND").await;
    let vars = json!({ "t": "theatre-1", "n": "Screen 1", "l": small_layout() });
    a.bad_input(SCREEN, &vars, "theatreId").await;
}

#[tokio::test]
async fn create_movie_stores_every_field_and_update_movie_changes_the_given_ones() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let input = json!({ "title": " Night Train ", "synopsis": "A long ride.", "genres": ["Sci Fi", "action", "ACTION"],
        "cast": ["Ada Stone", "Lee Park"], "runtimeMinutes": 120, "certificate": "PG-13", "language": "French",
        "releaseDate": "2026-03-01", "posterUrl": "https://img.test/p.jpg", "trailerUrl": "https://video.test/t" });
    let created = a.ok(CREATE_MOVIE, &json!({ "i": input })).await["createMovie"].take();
    let id = created["id"].as_str().unwrap().to_owned();
    let expected = json!({ "id": id, "title": "Night Train", "synopsis": "A long ride.",
        "genres": ["sci-fi", "action"], "cast": ["Ada Stone", "Lee Park"], "runtimeMinutes": 120,
        "certificate": "PG-13", "language": "French", "releaseDate": "2026-03-01",
        "posterUrl": "https://img.test/p.jpg", "trailerUrl": "https://video.test/t" });
    assert_eq!(created, expected);
    assert_eq!(a.movie(&id).await, expected);

    let changes = json!({ "title": "Night Train II", "runtimeMinutes": 95, "posterUrl": "" });
    let data = a.ok(UPDATE_MOVIE, &json!({ "id": id, "i": changes })).await;
    let expected = json!({ "title": "Night Train II", "genres": ["sci-fi", "action"], "runtimeMinutes": 95,
        "posterUrl": null, "trailerUrl": "https://video.test/t" });
    assert_eq!(data["updateMovie"], expected);

    let minimal = a.ok(CREATE_MOVIE, &json!({ "i": movie_input() })).await;
    let defaults = json!({ "id": minimal["createMovie"]["id"], "title": "Night Train", "synopsis": "",
        "genres": [], "cast": [], "runtimeMinutes": 95, "certificate": "NR", "language": "English",
        "releaseDate": "2026-03-01", "posterUrl": null, "trailerUrl": null });
    assert_eq!(minimal["createMovie"], defaults);
    assert_eq!(a.movie_titles().await, ["Night Train", "Night Train II"]);
}

#[tokio::test]
async fn create_movie_refuses_bad_fields_naming_them_and_writes_nothing() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let cases = json!([
        { "runtimeMinutes": 0 }, { "runtimeMinutes": 601 }, { "genres": ["rock|roll"] },
        { "genres": [""] }, { "posterUrl": "ftp://img.test/p.jpg" },
        { "posterUrl": "https://img.test/a b.jpg" }, { "trailerUrl": "javascript:alert(1)" },
        { "title": "" }
    ]);
    for (field, value) in one_field_each(cases) {
        let vars = json!({ "i": with(movie_input(), obj(&field, &value)) });
        a.bad_input(CREATE_MOVIE, &vars, &field).await;
    }
    assert!(a.movie_titles().await.is_empty());

    // The longest accepted running time; then the same checks on update.
    let longest = with(movie_input(), json!({ "runtimeMinutes": 600 }));
    let data = a.ok(CREATE_MOVIE, &json!({ "i": longest })).await;
    let id = data["createMovie"]["id"].as_str().unwrap().to_owned();
    let cases = json!([
        { "runtimeMinutes": 0 }, { "genres": ["rock|roll"] }, { "trailerUrl": "www.video.test" }
    ]);
    for (field, value) in one_field_each(cases) {
        let vars = json!({ "id": id, "i": obj(&field, &value) });
        a.bad_input(UPDATE_MOVIE, &vars, &field).await;
    }
    assert_eq!(a.movie(&id).await, data["createMovie"]);
}

#[tokio::test]
async fn update_movie_refuses_a_new_running_time_while_showtimes_are_scheduled() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    let show = app.showtime_at(&f, 48).await;

    let longer = json!({ "id": f.movie_id, "i": { "runtimeMinutes": 120 } });
    a.refused(UPDATE_MOVIE, &longer, "CONFLICT").await;
    assert_eq!(a.movie(&f.movie_id).await["runtimeMinutes"], 100);

    // The same running time and other fields may change.
    let title = "The Last Horizon (Director's Cut)";
    let same = json!({ "id": f.movie_id, "i": { "runtimeMinutes": 100, "title": title } });
    let data = a.ok(UPDATE_MOVIE, &same).await;
    assert_eq!(data["updateMovie"]["title"], title);

    a.ok(CANCEL_SHOWTIME, &id_of(&show)).await;
    let data = a.ok(UPDATE_MOVIE, &longer).await;
    assert_eq!(data["updateMovie"]["runtimeMinutes"], 120);
}

#[tokio::test]
async fn delete_movie_is_refused_while_it_has_upcoming_showtimes() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    let show = app.showtime_at(&f, 48).await;
    let movie = id_of(&f.movie_id);

    a.refused(DELETE_MOVIE, &movie, "CONFLICT").await;
    assert_eq!(a.movie_titles().await, ["The Last Horizon"]);

    a.ok(CANCEL_SHOWTIME, &id_of(&show)).await;
    assert_eq!(a.ok(DELETE_MOVIE, &movie).await["deleteMovie"], true);
    assert!(a.movie_titles().await.is_empty());

    a.refused(DELETE_MOVIE, &movie, "NOT_FOUND").await;
    let input = json!({ "i": { "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": in_hours(72), "prices": all_prices() } });
    a.refused(SHOWTIME, &input, "NOT_FOUND").await;
}

#[tokio::test]
async fn create_event_stores_it_and_refuses_an_empty_performer() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let input = with(event_input(), json!({ "genres": ["Stand Up"] }));
    let data = a.ok(CREATE_EVENT, &json!({ "i": input })).await;
    let expected = json!({ "title": "Stand-up Night", "description": "", "performer": "Jo Kay",
        "category": "comedy", "genres": ["stand-up"], "language": "English", "durationMinutes": 90,
        "ageRating": "All ages", "posterUrl": null });
    assert_eq!(data["createEvent"], expected);

    let cases = json!([
        { "performer": "" }, { "performer": "   " }, { "category": "rock & roll" },
        { "durationMinutes": 0 }, { "title": "" }, { "posterUrl": "poster.jpg" }
    ]);
    for (field, value) in one_field_each(cases) {
        let vars = json!({ "i": with(event_input(), obj(&field, &value)) });
        a.bad_input(CREATE_EVENT, &vars, &field).await;
    }
    let events = a.ok(EVENT_TITLES, &json!({})).await["events"]["nodes"].take();
    assert_eq!(events, json!([{ "title": "Stand-up Night" }]));
}

/// Searches for `q` until the hits' titles are `want`, for at most two seconds: the index
/// follows the catalog from its change notifications.
async fn until_search_finds(app: &TestApp, q: &str, want: &[&str]) {
    let started = std::time::Instant::now();
    loop {
        let found = names(&search(app, json!({ "q": q })).await);
        if found == want {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "search {q:?}: {found:?}, wanted {want:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn update_event_changes_the_given_fields_in_event_and_search() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let input = json!({ "title": "Velvet Quartet Evening", "performer": "Jo Kay", "category": "concert",
        "durationMinutes": 90, "genres": ["jazz"], "posterUrl": "https://img.test/v.jpg" });
    let id = a.new_event(input).await;
    until_search_finds(&app, "velvet", &["Velvet Quartet Evening"]).await;

    let changes = json!({ "title": " Copper Horn Gala ", "performer": "The Brass Four", "category": "Brass Band",
        "genres": ["Big Band"], "ageRating": "12+", "posterUrl": "" });
    let data = a.ok(UPDATE_EVENT, &json!({ "id": id, "i": changes })).await;
    let expected = json!({ "title": "Copper Horn Gala", "description": "", "performer": "The Brass Four",
        "category": "brass-band", "genres": ["big-band"], "language": "English", "durationMinutes": 90,
        "ageRating": "12+", "posterUrl": null });
    assert_eq!(data["updateEvent"], expected);
    assert_eq!(a.event(&id).await, expected);
    assert_eq!(a.event_titles().await, ["Copper Horn Gala"]);

    until_search_finds(&app, "copper", &["Copper Horn Gala"]).await;
    until_search_finds(&app, "brass four", &["Copper Horn Gala"]).await;
    until_search_finds(&app, "velvet", &[]).await;
}

#[tokio::test]
async fn update_event_refuses_bad_fields_naming_them_and_changes_nothing() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let id = a.new_event(event_input()).await;
    let before = a.event(&id).await;
    let cases = json!([
        { "performer": "" }, { "performer": "   " }, { "category": "rock & roll" },
        { "durationMinutes": 0 }, { "durationMinutes": 601 }, { "title": "" },
        { "genres": ["rock|roll"] }, { "posterUrl": "poster.jpg" }
    ]);
    for (field, value) in one_field_each(cases) {
        let vars = json!({ "id": id, "i": obj(&field, &value) });
        a.bad_input(UPDATE_EVENT, &vars, &field).await;
    }
    assert_eq!(a.event(&id).await, before);

    let unknown = uuid::Uuid::new_v4().to_string();
    let rename = json!({ "title": "Renamed" });
    a.refused(
        UPDATE_EVENT,
        &json!({ "id": unknown, "i": rename }),
        "NOT_FOUND",
    )
    .await;
    a.bad_input(UPDATE_EVENT, &json!({ "id": "event-1", "i": rename }), "id")
        .await;
    a.bad_input(DELETE_EVENT, &id_of("event-1"), "id").await;
    a.refused(DELETE_EVENT, &id_of(&unknown), "NOT_FOUND").await;
    assert_eq!(a.event_titles().await, ["Stand-up Night"]);
}

#[tokio::test]
async fn update_event_refuses_a_new_duration_while_showtimes_are_scheduled() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    let id = a.new_event(event_input()).await;
    let show = a.event_showtime(&f, &id, 48).await;

    let longer = json!({ "id": id, "i": { "durationMinutes": 120 } });
    a.refused(UPDATE_EVENT, &longer, "CONFLICT").await;
    assert_eq!(a.event(&id).await["durationMinutes"], 90);

    // The same duration and other fields may change.
    let same = json!({ "id": id, "i": { "durationMinutes": 90, "performer": "Jo Kay & Friends" } });
    let data = a.ok(UPDATE_EVENT, &same).await;
    assert_eq!(data["updateEvent"]["performer"], "Jo Kay & Friends");

    a.ok(CANCEL_SHOWTIME, &id_of(&show)).await;
    let data = a.ok(UPDATE_EVENT, &longer).await;
    assert_eq!(data["updateEvent"]["durationMinutes"], 120);
}

#[tokio::test]
async fn delete_event_is_refused_while_it_has_upcoming_showtimes() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = Caller(&app, Some(f.admin.clone()));
    let input = with(event_input(), json!({ "title": "Marigold Comedy Hour" }));
    let id = a.new_event(input).await;
    let show = a.event_showtime(&f, &id, 48).await;
    let event = id_of(&id);
    until_search_finds(&app, "marigold", &["Marigold Comedy Hour"]).await;

    let body = a.refused(DELETE_EVENT, &event, "CONFLICT").await;
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(a.event_titles().await, ["Marigold Comedy Hour"]);
    assert_eq!(a.event(&id).await["title"], "Marigold Comedy Hour");

    a.ok(CANCEL_SHOWTIME, &id_of(&show)).await;
    assert_eq!(a.ok(DELETE_EVENT, &event).await["deleteEvent"], true);
    assert!(a.event_titles().await.is_empty());
    assert_eq!(a.event(&id).await, Value::Null);
    until_search_finds(&app, "marigold", &[]).await;

    a.refused(DELETE_EVENT, &event, "NOT_FOUND").await;
    a.refused(
        UPDATE_EVENT,
        &json!({ "id": id, "i": { "title": "Back" } }),
        "NOT_FOUND",
    )
    .await;
    let input = json!({ "i": { "screenId": f.screen_id, "eventId": id, "startsAt": in_hours(72), "prices": all_prices() } });
    a.refused(SHOWTIME, &input, "NOT_FOUND").await;
}

#[tokio::test]
async fn delete_event_without_showtimes_keeps_the_others() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let gone = a.new_event(event_input()).await;
    let kept = with(
        event_input(),
        json!({ "title": "Opera Under Stars", "category": "opera" }),
    );
    a.new_event(kept).await;

    assert_eq!(a.ok(DELETE_EVENT, &id_of(&gone)).await["deleteEvent"], true);
    assert_eq!(a.event_titles().await, ["Opera Under Stars"]);
}

/// Creates a promotion; checks its validity window and blanks it for comparison.
async fn created_promotion(a: &Caller<'_>, changes: Value) -> Value {
    let input = promotion(changes);
    let mut p = a.ok(CREATE_PROMOTION, &input).await["createPromotion"].take();
    for at in ["startsAt", "endsAt"] {
        let drift = time(&p[at]) - time(&input["i"][at]);
        assert!(drift.num_milliseconds().abs() < 1, "{at}: {p}");
        p[at] = Value::Null;
    }
    p
}

#[tokio::test]
async fn create_promotion_accepts_percent_and_fixed_discounts() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let limits = json!({ "code": " summer-10 ", "maxUses": 100, "maxUsesPerUser": 1 });
    let expected = json!({ "code": "SUMMER-10", "description": "", "kind": "percent", "value": 10,
        "currency": null, "startsAt": null, "endsAt": null, "maxUses": 100, "maxUsesPerUser": 1 });
    assert_eq!(created_promotion(&a, limits).await, expected);

    let fixed = json!({ "code": "FIVE_OFF", "kind": "FIXED", "value": 500, "currency": "usd" });
    let expected = json!({ "code": "FIVE_OFF", "description": "", "kind": "fixed", "value": 500,
        "currency": "USD", "startsAt": null, "endsAt": null, "maxUses": null, "maxUsesPerUser": null });
    assert_eq!(created_promotion(&a, fixed).await, expected);

    let whole = created_promotion(&a, json!({ "code": "FREE", "value": 100 })).await;
    assert_eq!(whole["value"], 100);
}

#[tokio::test]
async fn create_promotion_refuses_bad_input_naming_the_field() {
    let app = spawn_app().await;
    let a = as_admin(&app).await;
    let cases = json!([
        ["value", { "value": 0 }],
        ["value", { "value": 101 }],
        ["currency", { "kind": "FIXED", "value": 500 }],
        ["currency", { "kind": "FIXED", "value": 500, "currency": "US" }],
        ["value", { "kind": "FIXED", "value": 0, "currency": "USD" }],
        ["endsAt", { "endsAt": in_hours(-2) }],
        ["code", { "code": "AB" }],
        ["code", { "code": "TEN OFF" }],
        ["maxUses", { "maxUses": 0 }]
    ]);
    for case in cases.as_array().unwrap() {
        let field = case[0].as_str().unwrap();
        let vars = promotion(case[1].clone());
        a.bad_input(CREATE_PROMOTION, &vars, field).await;
    }

    let first = promotion(json!({ "code": "DUP10" }));
    a.ok(CREATE_PROMOTION, &first).await;
    let again = promotion(json!({ "code": "dup10", "value": 20 }));
    a.bad_input(CREATE_PROMOTION, &again, "code").await;
}

#[tokio::test]
async fn admin_mutations_are_refused_for_customers_and_anonymous_callers_and_write_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let admin = Caller(&app, Some(f.admin.clone()));
    let show = app.showtime_at(&f, 48).await;
    let customer = Caller(&app, Some(app.customer("fan@marquee.test").await));
    let anonymous = Caller(&app, None);

    let e = admin.new_event(event_input()).await;
    let before = admin.everything(&f.theatre_id).await;
    let (t, m) = (&f.theatre_id, &f.movie_id);
    let new_show = json!({ "screenId": f.screen_id, "movieId": m, "startsAt": in_hours(72), "prices": all_prices() });
    let vars = json!({
        "createTheatre": { "i": theatre_input("Intruder") },
        "updateTheatre": { "id": t, "i": { "name": "Hijacked" } },
        "deleteTheatre": { "id": t },
        "createScreen": { "t": t, "n": "Screen X", "l": small_layout() },
        "createMovie": { "i": movie_input() },
        "updateMovie": { "id": m, "i": { "title": "Hijacked" } },
        "deleteMovie": { "id": m },
        "createEvent": { "i": event_input() },
        "updateEvent": { "id": e, "i": { "title": "Hijacked" } },
        "deleteEvent": { "id": e },
        "createShowtime": { "i": new_show },
        "updateShowtime": { "id": show, "i": { "startsAt": in_hours(96) } },
        "cancelShowtime": { "id": show },
        "setPrices": { "s": show, "p": [{ "category": "STANDARD", "priceCents": 1 }] },
        "createPromotion": promotion(json!({ "code": "LEAKED" }))
    });
    for (name, query) in ADMIN_MUTATIONS {
        for (caller, expected) in [(&customer, "FORBIDDEN"), (&anonymous, "UNAUTHENTICATED")] {
            let body = caller.refused(query, &vars[name], expected).await;
            assert_eq!(body["errors"][0]["path"], json!([name]), "{body}");
            assert!(body["data"].is_null(), "{name} returned data: {body}");
        }
    }

    assert_eq!(admin.everything(&f.theatre_id).await, before);
    // The code was not taken either.
    admin.ok(CREATE_PROMOTION, &vars["createPromotion"]).await;
}
