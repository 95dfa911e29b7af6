//! Admin scheduling: showtimes on screens, their moves and cancellations, and prices.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::*;

const SHOWTIME_BY_ID: &str = "query($id: ID!) { showtime(id: $id) { id startsAt endsAt status currency onSaleAt waitingRoom movie { id } event { id } theatre { id } screen { id } prices { category priceCents } seatMap { currency availableCount seats { row number category status priceCents } } } }";
const LISTED: &str =
    "query($t: ID!, $c: Boolean!) { showtimes(theatreId: $t, includeCancelled: $c) { id status } }";
const UPDATE: &str = "mutation($id: ID!, $i: UpdateShowtimeInput!) { updateShowtime(id: $id, input: $i) { startsAt endsAt status onSaleAt waitingRoom screen { id } } }";
const CANCEL: &str = "mutation($id: ID!) { cancelShowtime(id: $id) { id status } }";
const SET_PRICES: &str = "mutation($s: ID!, $p: [PriceInput!]!) { setPrices(showtimeId: $s, prices: $p) { category priceCents } }";
const EVENT: &str = "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }";

/// The fixture catalog and calls made with its admin token.
struct Admin<'a> {
    app: &'a TestApp,
    f: Fixture,
}

impl<'a> Admin<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let f = app.fixture().await;
        Self { app, f }
    }

    async fn ok(&self, query: &str, vars: &Value) -> Value {
        self.app.ok(query, vars.clone(), Some(&self.f.admin)).await
    }

    /// Runs `query` expecting the error `expected`; returns the response.
    async fn refused(&self, query: &str, vars: &Value, expected: &str) -> Value {
        let body = self.app.gql(query, vars.clone(), Some(&self.f.admin)).await;
        assert_eq!(code(&body), expected, "{vars}: {body}");
        body
    }

    /// Runs `query` expecting BAD_USER_INPUT naming `field`; returns the message.
    async fn bad_input(&self, query: &str, vars: &Value, field: &str) -> String {
        let body = self.refused(query, vars, "BAD_USER_INPUT").await;
        let named = &body["errors"][0]["extensions"]["field"];
        assert_eq!(named, field, "{vars}: {body}");
        body["errors"][0]["message"].as_str().unwrap().to_owned()
    }

    /// A createShowtime input for the fixture movie on `screen`.
    fn show_on(&self, screen: &str, starts: DateTime<Utc>) -> Value {
        let (movie, at) = (&self.f.movie_id, starts.to_rfc3339());
        json!({ "screenId": screen, "movieId": movie, "startsAt": at, "prices": all_prices() })
    }

    fn show(&self, starts: DateTime<Utc>) -> Value {
        self.show_on(&self.f.screen_id, starts)
    }

    async fn create(&self, input: Value) -> String {
        let data = self.ok(SHOWTIME, &json!({ "i": input })).await;
        data["createShowtime"]["id"].as_str().unwrap().to_owned()
    }

    /// Moves a showtime; returns it as updateShowtime does.
    async fn update(&self, id: &str, changes: Value) -> Value {
        let vars = json!({ "id": id, "i": changes });
        self.ok(UPDATE, &vars).await["updateShowtime"].take()
    }

    /// The theatre's upcoming showtimes (cancelled ones too if asked): id and status.
    async fn listing(&self, include_cancelled: bool) -> Value {
        let vars = json!({ "t": self.f.theatre_id, "c": include_cancelled });
        self.ok(LISTED, &vars).await["showtimes"].take()
    }

    async fn listed(&self, include_cancelled: bool) -> Vec<String> {
        let list = self.listing(include_cancelled).await;
        let list = list.as_array().unwrap().iter();
        list.map(|s| s["id"].as_str().unwrap().to_owned()).collect()
    }

    async fn cancel(&self, id: &str) -> Value {
        self.ok(CANCEL, &json!({ "id": id })).await["cancelShowtime"].take()
    }

    async fn read(&self, id: &str) -> Value {
        self.ok(SHOWTIME_BY_ID, &json!({ "id": id })).await["showtime"].take()
    }

    async fn screen_in(&self, theatre: &str, layout: Value) -> String {
        let vars = json!({ "t": theatre, "n": "Screen 2", "l": layout });
        let data = self.ok(SCREEN, &vars).await;
        data["createScreen"]["id"].as_str().unwrap().to_owned()
    }
}

/// A whole hour `hours` from now, so that minute arithmetic on it is exact.
fn hour_from_now(hours: i64) -> DateTime<Utc> {
    DateTime::from_timestamp((Utc::now().timestamp() / 3600 + hours) * 3600, 0).unwrap()
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

fn at(t: DateTime<Utc>) -> Value {
    json!(t.to_rfc3339())
}

/// `startsAt` and `endsAt` of a showtime.
fn span(showtime: &Value) -> (DateTime<Utc>, DateTime<Utc>) {
    (time(&showtime["startsAt"]), time(&showtime["endsAt"]))
}

/// `base` with the fields of `changes` set.
fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn price(category: &str, cents: i64) -> Value {
    json!({ "category": category, "priceCents": cents })
}

fn prices(standard: i64, premium: i64, accessible: i64, companion: i64) -> Value {
    json!([
        price("STANDARD", standard),
        price("PREMIUM", premium),
        price("ACCESSIBLE", accessible),
        price("COMPANION", companion)
    ])
}

/// Prices as a `{ category: cents }` object.
fn price_object(list: &Value) -> Value {
    let mut out = json!({});
    for p in list.as_array().unwrap() {
        out[p["category"].as_str().unwrap()] = p["priceCents"].clone();
    }
    out
}

/// Price of each category as the seat map shows it, checking that seats of a category agree.
fn seat_map_prices(showtime: &Value) -> Value {
    let mut out = json!({});
    for s in showtime["seatMap"]["seats"].as_array().unwrap() {
        let category = &mut out[s["category"].as_str().unwrap()];
        assert!(category.is_null() || *category == s["priceCents"], "{s}");
        *category = s["priceCents"].clone();
    }
    out
}

/// Each row's seat categories, checking that seats are numbered 1.. from the left.
fn rows_of(showtime: &Value) -> Value {
    let mut rows = json!({});
    for s in showtime["seatMap"]["seats"].as_array().unwrap() {
        let row = &mut rows[s["row"].as_str().unwrap()];
        if row.is_null() {
            *row = json!([]);
        }
        let row = row.as_array_mut().unwrap();
        assert_eq!(s["number"], row.len() + 1, "{s}");
        row.push(s["category"].clone());
    }
    rows
}

#[tokio::test]
async fn create_showtime_ends_after_the_running_time_and_opens_every_seat_at_its_price() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let starts = hour_from_now(48);
    let priced = json!({ "prices": prices(1100, 1900, 900, 950) });
    let input = json!({ "i": with(a.show(starts), priced) });
    let data = a.ok(SHOWTIME, &input).await;
    let created = &data["createShowtime"];
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(span(created), (starts, starts + minutes(100)));
    assert_eq!(created["status"], "SCHEDULED");

    let s = a.read(&id).await;
    assert_eq!(span(&s), (starts, starts + minutes(100)));
    let f = &a.f;
    let links = json!({ "movie": { "id": f.movie_id }, "event": null, "theatre": { "id": f.theatre_id },
        "screen": { "id": f.screen_id }, "currency": "USD", "waitingRoom": false });
    for (key, value) in links.as_object().unwrap() {
        assert_eq!(s[key], *value, "{key}: {s}");
    }
    assert!(time(&s["onSaleAt"]) <= Utc::now(), "on sale at once: {s}");
    let expected =
        json!({ "STANDARD": 1100, "PREMIUM": 1900, "ACCESSIBLE": 900, "COMPANION": 950 });
    assert_eq!(price_object(&s["prices"]), expected);

    let seats = s["seatMap"]["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 14);
    assert_eq!(s["seatMap"]["availableCount"], 14);
    assert!(seats.iter().all(|x| x["status"] == "AVAILABLE"));
    assert_eq!(seat_map_prices(&s), expected);
    assert_eq!(a.listed(false).await, [id]);
}

#[tokio::test]
async fn create_showtime_for_an_event_ends_after_its_duration() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let event = json!({ "title": "Stand-up Night", "performer": "Jo Kay", "category": "comedy", "durationMinutes": 90 });
    let data = a.ok(EVENT, &json!({ "i": event })).await;
    let event_id = &data["createEvent"]["id"];
    let starts = hour_from_now(30);
    let input = json!({ "screenId": a.f.screen_id, "eventId": event_id, "startsAt": at(starts),
        "prices": all_prices(), "currency": "eur", "waitingRoom": true });
    let s = a.read(&a.create(input).await).await;
    assert_eq!(span(&s), (starts, starts + minutes(90)));
    let got = json!({ "event": s["event"]["id"], "movie": s["movie"], "currency": s["currency"],
        "mapCurrency": s["seatMap"]["currency"], "waitingRoom": s["waitingRoom"] });
    let expected = json!({ "event": event_id, "movie": null, "currency": "EUR", "mapCurrency": "EUR",
        "waitingRoom": true });
    assert_eq!(got, expected);
}

#[tokio::test]
async fn create_showtime_refuses_bad_input_and_leaves_the_schedule_unchanged() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let gala = json!({ "title": "Gala", "performer": "Orchestra", "category": "concert", "durationMinutes": 60 });
    let event_id = a.ok(EVENT, &json!({ "i": gala })).await["createEvent"]["id"].take();
    app.showtime_at(&a.f, 24).await;
    let before = a.listed(true).await;

    let starts = hour_from_now(72);
    let ok = a.show(starts);
    let unknown = || json!(uuid::Uuid::new_v4().to_string());
    let bad = "BAD_USER_INPUT";
    let cases = json!([
        [bad, "startsAt", { "startsAt": in_hours(-1) }],
        [bad, "startsAt", { "startsAt": in_hours(24 * 800) }],
        [bad, "movieId", { "eventId": event_id }],
        [bad, "movieId", { "movieId": null }],
        [bad, "prices", { "prices": prices(-1, 1800, 1200, 1200) }],
        [bad, "prices", { "prices": [price("STANDARD", 1), price("PREMIUM", 1), price("ACCESSIBLE", 1)] }],
        [bad, "prices", { "prices": [price("STANDARD", 1), price("STANDARD", 2)] }],
        [bad, "onSaleAt", { "onSaleAt": at(starts + minutes(1)) }],
        [bad, "currency", { "currency": "US" }],
        [bad, "screenId", { "screenId": "screen-1" }],
        ["NOT_FOUND", null, { "screenId": unknown() }],
        ["NOT_FOUND", null, { "movieId": unknown() }],
        ["NOT_FOUND", null, { "movieId": null, "eventId": unknown() }]
    ]);
    for case in cases.as_array().unwrap() {
        let vars = json!({ "i": with(ok.clone(), case[2].clone()) });
        let body = a.refused(SHOWTIME, &vars, case[0].as_str().unwrap()).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], case[1], "{body}");
        assert_eq!(a.listed(true).await, before, "{case} changed the schedule");
    }
    a.create(ok).await;
    assert_eq!(a.listed(true).await.len(), 2);
}

#[tokio::test]
async fn create_showtime_is_refused_when_it_overlaps_another_show_or_its_cleaning_buffer() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let t = hour_from_now(48);
    let existing = a.create(a.show(t)).await;
    // The show runs t..t+100 and the screen is cleaned until t+115.
    for starts in [0, 30, 110, 114, -60, -110].map(|m| t + minutes(m)) {
        let vars = json!({ "i": a.show(starts) });
        let message = a.bad_input(SHOWTIME, &vars, "startsAt").await;
        assert!(message.contains(&existing), "{message}");
        assert_eq!(a.listed(true).await, [existing.as_str()], "{starts}");
    }
}

#[tokio::test]
async fn create_showtime_is_accepted_exactly_when_the_cleaning_buffer_ends() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let t = hour_from_now(48);
    a.create(a.show(t)).await;
    // Right after: the end (t+100) plus 15 minutes of cleaning.
    a.create(a.show(t + minutes(115))).await;
    // Right before: ends at t-15, cleaned by t.
    a.create(a.show(t - minutes(115))).await;
    assert_eq!(a.listed(false).await.len(), 3);
}

#[tokio::test]
async fn the_same_slot_is_free_on_another_screen_and_after_a_cancellation() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let screen2 = a.screen_in(&a.f.theatre_id, small_layout()).await;
    let t = hour_from_now(48);
    let first = a.create(a.show(t)).await;
    a.create(a.show_on(&screen2, t)).await;

    let retry = json!({ "i": a.show(t + minutes(10)) });
    a.bad_input(SHOWTIME, &retry, "startsAt").await;
    a.cancel(&first).await;
    a.ok(SHOWTIME, &retry).await;
    assert_eq!(a.listed(false).await.len(), 2);
    assert_eq!(a.listed(true).await.len(), 3);
}

/// Fires ten createShowtime calls at once; checks that exactly one wins.
async fn assert_one_of_ten_concurrent_creates_wins(starts: impl Fn(i64) -> DateTime<Utc>) {
    let app = Arc::new(spawn_app().await);
    let a = Admin::new(&app).await;
    let tasks = (0..10).map(|i| {
        let vars = json!({ "i": a.show(starts(i)) });
        let (app, token) = (app.clone(), a.f.admin.clone());
        tokio::spawn(async move { app.gql(SHOWTIME, vars, Some(&token)).await })
    });
    let results = futures_util::future::join_all(tasks).await;
    let results: Vec<Value> = results.into_iter().map(Result::unwrap).collect();

    let (won, lost): (Vec<_>, Vec<_>) = results.iter().partition(|b| b["errors"].is_null());
    assert_eq!(won.len(), 1, "exactly one create wins: {results:?}");
    for body in lost {
        assert_eq!(code(body), "BAD_USER_INPUT", "{body}");
        let field = &body["errors"][0]["extensions"]["field"];
        assert_eq!(field, "startsAt", "{body}");
    }
    let winner = won[0]["data"]["createShowtime"]["id"].as_str().unwrap();
    assert_eq!(a.listed(true).await, [winner]);
    assert_eq!(a.read(winner).await["seatMap"]["availableCount"], 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_the_same_slot_schedule_exactly_one_show() {
    let t = hour_from_now(48);
    assert_one_of_ten_concurrent_creates_wins(|_| t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_overlapping_slots_schedule_exactly_one_show() {
    let t = hour_from_now(48);
    assert_one_of_ten_concurrent_creates_wins(|i| t + minutes(7 * i)).await;
}

#[tokio::test]
async fn update_showtime_moves_the_start_and_the_end_follows() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let t = hour_from_now(48);
    let id = a.create(a.show(t)).await;

    let later = t + Duration::hours(24);
    let changes = json!({ "startsAt": at(later), "onSaleAt": at(t), "waitingRoom": true });
    let u = a.update(&id, changes).await;
    assert_eq!(span(&u), (later, later + minutes(100)));
    assert_eq!((time(&u["onSaleAt"]), &u["waitingRoom"]), (t, &json!(true)));
    assert_eq!(span(&a.read(&id).await), (later, later + minutes(100)));

    // Overlapping its own old slot is fine: a show does not clash with itself.
    let nudged = later + minutes(30);
    let u = a.update(&id, json!({ "startsAt": at(nudged) })).await;
    assert_eq!(span(&u), (nudged, nudged + minutes(100)));

    let cases = [
        ("startsAt", json!(in_hours(-1))),
        ("onSaleAt", at(nudged + minutes(1))),
    ];
    for (field, value) in cases {
        let vars = json!({ "id": id, "i": { field: value } });
        a.bad_input(UPDATE, &vars, field).await;
    }
    assert_eq!(span(&a.read(&id).await).0, nudged);
}

#[tokio::test]
async fn update_showtime_is_refused_when_the_new_slot_overlaps_another_show() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let t = hour_from_now(48);
    let first = a.create(a.show(t)).await;
    let second = a.create(a.show(t + minutes(240))).await;

    for starts in [60, 110, -110].map(|m| t + minutes(m)) {
        let vars = json!({ "id": second, "i": { "startsAt": at(starts) } });
        let message = a.bad_input(UPDATE, &vars, "startsAt").await;
        assert!(message.contains(&first), "{message}");
    }
    assert_eq!(span(&a.read(&second).await).0, t + minutes(240));
    // Exactly at the end of the buffer is fine.
    let edge = t + minutes(115);
    let u = a.update(&second, json!({ "startsAt": at(edge) })).await;
    assert_eq!(span(&u), (edge, edge + minutes(100)));
}

#[tokio::test]
async fn update_showtime_moves_to_another_screen_of_the_same_theatre_with_its_seats() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let rows = json!([{ "label": "A", "seats": "SSSS" }, { "label": "B", "seats": "PP_PP" }]);
    let screen2 = a.screen_in(&a.f.theatre_id, json!({ "rows": rows })).await;
    let t = hour_from_now(48);
    let id = a.create(a.show(t)).await;

    let u = a.update(&id, json!({ "screenId": screen2 })).await;
    assert_eq!(u["screen"]["id"], screen2.as_str());
    assert_eq!(span(&u), (t, t + minutes(100)));

    let s = a.read(&id).await;
    assert_eq!(s["screen"]["id"], screen2.as_str());
    let expected = json!({ "A": ["STANDARD", "STANDARD", "STANDARD", "STANDARD"],
        "B": ["PREMIUM", "PREMIUM", "PREMIUM", "PREMIUM"] });
    assert_eq!(rows_of(&s), expected);
    assert_eq!(s["seatMap"]["availableCount"], 8);
    let expected = json!({ "STANDARD": 1200, "PREMIUM": 1800 });
    assert_eq!(seat_map_prices(&s), expected);

    // The old screen's slot is free again.
    a.create(a.show(t)).await;
}

#[tokio::test]
async fn update_showtime_refuses_a_screen_of_another_theatre_or_with_unpriced_seats() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let vars = json!({ "i": theatre_input("Across Town") });
    let data = a.ok(THEATRE, &vars).await;
    let elsewhere = data["createTheatre"]["id"].as_str().unwrap();
    let foreign = a.screen_in(elsewhere, small_layout()).await;
    let rows = json!([{ "label": "A", "seats": "SSS" }]);
    let standard = a.screen_in(&a.f.theatre_id, json!({ "rows": rows })).await;
    let t = hour_from_now(48);
    let id = a.create(a.show(t)).await;
    let cheap = json!({ "prices": [price("STANDARD", 800)] });
    let cheap = a.create(with(a.show_on(&standard, t), cheap)).await;

    let vars = json!({ "id": id, "i": { "screenId": foreign } });
    a.bad_input(UPDATE, &vars, "screenId").await;
    let s = a.read(&id).await;
    assert_eq!(s["screen"]["id"], a.f.screen_id.as_str());
    assert_eq!(s["seatMap"]["availableCount"], 14);

    // The fixture screen has premium, accessible and companion seats, unpriced here.
    let vars = json!({ "id": cheap, "i": { "screenId": a.f.screen_id } });
    a.bad_input(UPDATE, &vars, "screenId").await;
    assert_eq!(a.read(&cheap).await["seatMap"]["availableCount"], 3);

    let vars = json!({ "id": id, "i": { "screenId": uuid::Uuid::new_v4().to_string() } });
    a.refused(UPDATE, &vars, "NOT_FOUND").await;
}

#[tokio::test]
async fn cancel_showtime_hides_it_from_listings_and_is_harmless_twice() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let id = app.showtime_at(&a.f, 48).await;
    let kept = app.showtime_at(&a.f, 72).await;

    let cancelled = json!({ "id": id, "status": "CANCELLED" });
    assert_eq!(a.cancel(&id).await, cancelled);
    assert_eq!(a.read(&id).await["status"], "CANCELLED");
    assert_eq!(a.listed(false).await, [kept.as_str()]);
    let expected = json!([cancelled, { "id": kept, "status": "SCHEDULED" }]);
    assert_eq!(a.listing(true).await, expected);
    // Again: no error, no change.
    assert_eq!(a.cancel(&id).await, cancelled);

    let moved = json!({ "id": id, "i": { "startsAt": in_hours(96) } });
    a.refused(UPDATE, &moved, "CONFLICT").await;
    let repriced = json!({ "s": id, "p": [price("STANDARD", 1)] });
    a.refused(SET_PRICES, &repriced, "CONFLICT").await;
    let unknown = json!({ "id": uuid::Uuid::new_v4().to_string() });
    a.refused(CANCEL, &unknown, "NOT_FOUND").await;
}

#[tokio::test]
async fn set_prices_changes_only_the_given_categories_and_the_seat_map_follows() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let id = app.showtime_at(&a.f, 48).await;

    let changes = json!([price("PREMIUM", 2500), price("COMPANION", 0)]);
    let data = a.ok(SET_PRICES, &json!({ "s": id, "p": changes })).await;
    let expected = json!({ "STANDARD": 1200, "PREMIUM": 2500, "ACCESSIBLE": 1200, "COMPANION": 0 });
    assert_eq!(data["setPrices"].as_array().unwrap().len(), 4);
    assert_eq!(price_object(&data["setPrices"]), expected);
    let s = a.read(&id).await;
    assert_eq!(price_object(&s["prices"]), expected);
    assert_eq!(seat_map_prices(&s), expected);

    let bad = json!([
        [price("STANDARD", 1000), price("PREMIUM", -5)],
        [],
        [price("STANDARD", 1000), price("STANDARD", 900)]
    ]);
    for prices in bad.as_array().unwrap() {
        let vars = json!({ "s": id, "p": prices });
        a.bad_input(SET_PRICES, &vars, "prices").await;
    }
    assert_eq!(price_object(&a.read(&id).await["prices"]), expected);
}

#[tokio::test]
async fn update_showtime_is_refused_once_the_show_has_started() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let id = app.showtime_at(&a.f, 2).await;

    app.clock.advance(Duration::hours(3));
    let vars = json!({ "id": id, "i": { "startsAt": in_hours(48) } });
    let body = a.refused(UPDATE, &vars, "CONFLICT").await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("already started"), "{body}");
    // It is no longer upcoming, and still scheduled.
    assert!(a.listed(true).await.is_empty());
    assert_eq!(a.read(&id).await["status"], "SCHEDULED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_moves_to_two_screens_leave_the_seats_of_the_final_screen_only() {
    let app = Arc::new(spawn_app().await);
    let a = Admin::new(&app).await;
    let layout = |seats: &str| json!({ "rows": [{ "label": "A", "seats": seats }] });
    let small = a.screen_in(&a.f.theatre_id, layout("SSS")).await;
    let large = a.screen_in(&a.f.theatre_id, layout("SSSSS")).await;
    for round in 0..5 {
        let id = a.create(a.show(hour_from_now(24 + 4 * round))).await;
        let moves = [&small, &large].map(|screen| {
            let vars = json!({ "id": id, "i": { "screenId": screen } });
            let (app, token) = (app.clone(), a.f.admin.clone());
            tokio::spawn(async move { app.gql(UPDATE, vars, Some(&token)).await })
        });
        futures_util::future::join_all(moves).await;
        let s = a.read(&id).await;
        let seats = if s["screen"]["id"] == *small { 3 } else { 5 };
        assert_eq!(s["seatMap"]["availableCount"], seats, "round {round}: {s}");
    }
}

#[tokio::test]
async fn update_showtime_refuses_a_start_beyond_two_years_as_create_does() {
    let app = spawn_app().await;
    let a = Admin::new(&app).await;
    let t = hour_from_now(48);
    let id = a.create(a.show(t)).await;
    let vars = json!({ "id": id, "i": { "startsAt": in_hours(24 * 800) } });
    a.bad_input(UPDATE, &vars, "startsAt").await;
    assert_eq!(span(&a.read(&id).await).0, t);
}

#[tokio::test]
async fn a_screen_move_racing_holds_never_leaves_a_hold_without_its_seats() {
    let app = spawn_app_with(without_buyer_caps).await;
    let a = Admin::new(&app).await;
    let rows: Vec<Value> = (0..4)
        .map(|r| json!({ "label": ((b'A' + r) as char).to_string(), "seats": "SSSSSSSSSS" }))
        .collect();
    let from = a.screen_in(&a.f.theatre_id, json!({ "rows": rows })).await;
    let to = a.screen_in(&a.f.theatre_id, json!({ "rows": rows })).await;
    let buyer = app.customer("mover-race@example.com").await;
    let hold =
        "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
    let mut moved = 0;
    for round in 0..8 {
        let t = hour_from_now(48 + 4 * round);
        let id = a.create(a.show_on(&from, t)).await;
        let mut seats = seat_ids(&app, &id).await;
        if round % 2 == 1 {
            // A hold committed before the move: the move must leave it its seat.
            let first = seats.remove(0);
            app.ok(hold, json!({ "s": id, "seats": [first] }), Some(&buyer))
                .await;
        }
        let barrier = Arc::new(tokio::sync::Barrier::new(seats.len() + 1));
        let holds = futures_util::future::join_all(seats.iter().map(|seat| {
            let (app, buyer, id, barrier) = (&app, &buyer, &id, barrier.clone());
            async move {
                barrier.wait().await;
                app.gql(hold, json!({ "s": id, "seats": [seat] }), Some(buyer))
                    .await
            }
        }));
        // The move starts a little later each round, so that it meets holds committing.
        let mover = async {
            barrier.wait().await;
            tokio::time::sleep(std::time::Duration::from_millis(
                u64::try_from(3 * round).unwrap(),
            ))
            .await;
            let vars = json!({ "id": id, "i": { "screenId": to } });
            app.gql(UPDATE, vars, Some(&a.f.admin)).await
        };
        let (_, move_answer) = tokio::join!(holds, mover);
        if move_answer["data"]["updateShowtime"].is_object() {
            moved += 1;
        } else {
            assert_eq!(code(&move_answer), "CONFLICT", "{move_answer}");
        }
        // The truth: every seat of a live hold is still that hold's seat of this showtime.
        let orphaned = sql_texts(
            &app,
            "SELECT COUNT(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id \
                 WHERE b.showtime_id = $1 AND b.status = 'held' AND bs.active AND NOT EXISTS \
                 (SELECT 1 FROM show_seats ss WHERE ss.showtime_id = bs.showtime_id \
                  AND ss.seat_id = bs.seat_id AND ss.booking_id = b.id AND ss.status = 'held')",
            [uuid(&id)],
        )
        .await;
        assert_eq!(orphaned, ["0"], "round {round}: {move_answer}");
    }
    eprintln!("the move won {moved} of 8 rounds");
}
