//! `spawn_app()` and the calls every test makes.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use marquee::Application;
use marquee::config::{Rate, Settings};
use marquee_domain::Services;
use marquee_domain::accounts::{EmailAddress, Password};
use marquee_domain::clock::OffsetClock;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub services: Arc<Services>,
    pub clock: Arc<OffsetClock>,
    gateway: Option<Arc<marquee_domain::payments::FakeGateway>>,
    _data_dir: tempfile::TempDir,
}

/// The servers a run names: `TEST_BACKEND=postgres` needs both URLs and fails loudly
/// without them (it never quietly becomes a run on SQLite); `sqlite` needs neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// PostgreSQL (admin URL) and Redis.
    Postgres { database: String, redis: String },
}

/// Reads the backend from `var` (the environment, in tests of this function a map).
pub fn backend_from(var: impl Fn(&str) -> Option<String>) -> Result<Backend, String> {
    let (database, redis) = (var("TEST_DATABASE_URL"), var("TEST_REDIS_URL"));
    let named = var("TEST_BACKEND").unwrap_or_else(|| {
        if database.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
        .to_owned()
    });
    match (named.as_str(), database, redis) {
        ("postgres", Some(database), Some(redis)) => Ok(Backend::Postgres { database, redis }),
        ("postgres", database, _) => Err(format!(
            "TEST_BACKEND=postgres, but TEST_{} is not set: run through scripts/test.sh, which starts the servers",
            if database.is_none() {
                "DATABASE_URL"
            } else {
                "REDIS_URL"
            }
        )),
        ("sqlite", None, None) => Ok(Backend::Sqlite),
        ("sqlite", _, _) => {
            Err("TEST_BACKEND=sqlite, but TEST_DATABASE_URL or TEST_REDIS_URL is set".to_owned())
        }
        (other, _, _) => Err(format!("TEST_BACKEND={other}: use sqlite or postgres")),
    }
}

/// The backend of this run, said once on standard error.
pub fn backend() -> Backend {
    static SAID: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();
    SAID.get_or_init(|| {
        let backend = backend_from(|k| std::env::var(k).ok()).unwrap_or_else(|e| panic!("{e}"));
        // Written past the test harness's capture, so that every run shows its backend.
        let name = match &backend {
            Backend::Sqlite => "SQLite (embedded), in-process holds and bus",
            Backend::Postgres { .. } => "PostgreSQL + Redis",
        };
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("tests run on {name}\n").as_bytes(),
        );
        backend
    })
    .clone()
}

/// For a test that proves what only PostgreSQL can show (locks held across sessions):
/// true on a PostgreSQL run; on an embedded run it says, past the harness's capture, that
/// `test` was skipped, and is false.
pub fn postgresql_only(test: &str) -> bool {
    match backend() {
        Backend::Postgres { .. } => true,
        Backend::Sqlite => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("skipped on SQLite (PostgreSQL only): {test}\n").as_bytes(),
            );
            false
        }
    }
}

#[test]
fn a_named_backend_without_its_servers_fails_loudly() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    assert!(backend_from(env(&[("TEST_BACKEND", "postgres")])).is_err());
    assert!(
        backend_from(env(&[
            ("TEST_BACKEND", "postgres"),
            ("TEST_DATABASE_URL", "pg")
        ]))
        .is_err()
    );
    assert!(backend_from(env(&[("TEST_BACKEND", "sqlite"), ("TEST_REDIS_URL", "r")])).is_err());
    assert_eq!(backend_from(env(&[])), Ok(Backend::Sqlite));
    assert!(matches!(
        backend_from(env(&[("TEST_DATABASE_URL", "pg"), ("TEST_REDIS_URL", "r")])),
        Ok(Backend::Postgres { .. })
    ));
}

pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match backend() {
        Backend::Postgres {
            database: admin_url,
            ..
        } => {
            let name = format!("marquee_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to the PostgreSQL test server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

/// The settings every test starts from.
pub async fn test_settings(dir: &std::path::Path) -> Settings {
    Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        database_url: Some(SecretString::from(fresh_database_url(dir).await)),
        database_max_connections: 5,
        redis_url: match backend() {
            Backend::Postgres { redis, .. } => Some(SecretString::from(redis)),
            Backend::Sqlite => None,
        },
        redis_prefix: format!("test:{}:", uuid::Uuid::new_v4().simple()),
        jwt_secret: Some(SecretString::from(
            "test-secret-test-secret-test-secret!".to_owned(),
        )),
        seed_demo: false,
        // Tests move the app's clock by minutes and days; the skew check has its own test.
        max_clock_skew_ms: 0,
        ..generous_rate_limits(Settings::default())
    }
}

/// Rate limits that no honest test reaches (tests sign up and log in many buyers from one
/// address); the limits stay on, and the rate-limit tests set tight ones.
pub fn generous_rate_limits(settings: Settings) -> Settings {
    let plenty = Rate::per(1_000_000, 60);
    Settings {
        rate_limit_login: plenty,
        rate_limit_login_account: plenty,
        rate_limit_signup: plenty,
        rate_limit_hold: plenty,
        rate_limit_hold_account: plenty,
        rate_limit_checkout: plenty,
        rate_limit_checkout_account: plenty,
        rate_limit_review: plenty,
        rate_limit_review_account: plenty,
        rate_limit_waiting_room: plenty,
        rate_limit_waiting_room_account: plenty,
        rate_limit_search: plenty,
        rate_limit_search_account: plenty,
        rate_limit_gift_card: plenty,
        rate_limit_gift_card_account: plenty,
        rate_limit_anonymous: plenty,
        ..settings
    }
}

/// Lifts the per-buyer caps, for races whose few accounts stand for many buyers.
pub fn without_buyer_caps(s: &mut Settings) {
    s.max_seats_per_buyer_per_showtime = 1_000;
    s.max_active_holds_per_buyer = 1_000;
}

/// Starts the real application on a random port.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application with adjusted settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path()).await;
    adjust(&mut settings);
    let clock = Arc::new(OffsetClock::default());
    let app = Application::build_with_clock(settings, clock.clone())
        .await
        .expect("build app");
    let address = format!("http://{}", app.addr());
    let services = app.services();
    let gateway = app.fake_gateway();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address,
        client: reqwest::Client::new(),
        services,
        clock,
        gateway,
        _data_dir: dir,
    }
}

impl TestApp {
    /// The embedded payment gateway (absent when the app was configured for Stripe).
    pub fn fake(&self) -> &marquee_domain::payments::FakeGateway {
        self.gateway
            .as_deref()
            .expect("this app was configured with another payment gateway")
    }

    /// The app's data folder (embedded database, mail files, secrets).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// POSTs a GraphQL operation; returns the whole JSON response.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        assert!(
            resp.status().is_success(),
            "HTTP {} for {query}",
            resp.status()
        );
        resp.json().await.unwrap()
    }

    /// Like [`gql`] but fails the test on any GraphQL error; returns `data`.
    pub async fn ok(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self.gql(query, variables, token).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// `n` anonymous requests of `query` sent at once; the `data` of each, in order.
    pub async fn at_once(&self, n: usize, query: &'static str, variables: Value) -> Vec<Value> {
        let requests: Vec<_> = (0..n)
            .map(|_| {
                let (client, url) = (self.client.clone(), self.address.clone());
                let body = json!({ "query": query, "variables": variables });
                tokio::spawn(async move {
                    let body: Value = client
                        .post(format!("{url}/graphql"))
                        .json(&body)
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    body["data"].clone()
                })
            })
            .collect();
        let mut data = Vec::with_capacity(n);
        for r in requests {
            data.push(r.await.unwrap());
        }
        data
    }

    /// Signs up a customer; returns its token.
    pub async fn customer(&self, email: &str) -> String {
        let data = self
            .ok(
                "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                json!({ "i": { "email": email, "password": "correct horse", "name": "Test Buyer" } }),
                None,
            )
            .await;
        data["signUp"]["token"].as_str().unwrap().to_owned()
    }

    /// Creates an admin the way `marquee create-admin` does, then logs in over GraphQL.
    pub async fn admin(&self) -> String {
        self.services
            .accounts
            .ensure_admin(
                EmailAddress::parse("boss@marquee.test").unwrap(),
                "Boss",
                Some(Password::parse("admin password").unwrap()),
            )
            .await
            .unwrap();
        let data = self
            .ok(
                "mutation { logIn(email: \"boss@marquee.test\", password: \"admin password\") { token } }",
                json!({}),
                None,
            )
            .await;
        data["logIn"]["token"].as_str().unwrap().to_owned()
    }

    /// The whole `/metrics` text.
    pub async fn metrics_text(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The value of a counter in `/metrics`.
    pub async fn metric(&self, line_prefix: &str) -> f64 {
        let text = self.metrics_text().await;
        text.lines()
            .find(|l| l.starts_with(line_prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }

    /// Database statements executed so far.
    pub async fn db_statements(&self) -> f64 {
        self.metric("marquee_db_statements_total{outcome=\"ok\"}")
            .await
    }
}

/// Ids of a small catalog made through the admin API.
pub struct Fixture {
    pub admin: String,
    pub theatre_id: String,
    pub screen_id: String,
    pub movie_id: String,
}

pub const THEATRE: &str =
    "mutation($i: CreateTheatreInput!) { createTheatre(input: $i) { id name } }";
pub const SCREEN: &str = "mutation($t: ID!, $n: String!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: $n, layout: $l) { id seatCount categories } }";
pub const MOVIE: &str = "mutation($i: CreateMovieInput!) { createMovie(input: $i) { id title } }";
pub const SHOWTIME: &str = "mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id startsAt endsAt status } }";

/// A theatre input in Chicago.
pub fn theatre_input(name: &str) -> Value {
    json!({ "name": name, "address": "1 State St", "city": "Chicago", "state": "IL", "zip": "60601",
            "latitude": 41.8853, "longitude": -87.6278, "timezone": "America/Chicago" })
}

/// A small screen: 2 rows, 14 seats, all four categories.
pub fn small_layout() -> Value {
    json!({ "rows": [ { "label": "A", "seats": "AC__SSSS" }, { "label": "B", "seats": "SSPP_PPSS" } ] })
}

/// Prices for every category.
pub fn all_prices() -> Value {
    json!([
        { "category": "STANDARD", "priceCents": 1200 },
        { "category": "PREMIUM", "priceCents": 1800 },
        { "category": "ACCESSIBLE", "priceCents": 1200 },
        { "category": "COMPANION", "priceCents": 1200 }
    ])
}

/// An RFC 3339 time `hours` from now.
pub fn in_hours(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339()
}

/// Parses an RFC 3339 time from a response.
pub fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

impl TestApp {
    /// Theatre, screen and a 100-minute movie, made by an admin.
    pub async fn fixture(&self) -> Fixture {
        let admin = self.admin().await;
        let t = self
            .ok(
                THEATRE,
                json!({ "i": theatre_input("Marquee State") }),
                Some(&admin),
            )
            .await;
        let theatre_id = t["createTheatre"]["id"].as_str().unwrap().to_owned();
        let s = self
            .ok(
                SCREEN,
                json!({ "t": theatre_id, "n": "Screen 1", "l": small_layout() }),
                Some(&admin),
            )
            .await;
        let screen_id = s["createScreen"]["id"].as_str().unwrap().to_owned();
        let m = self
            .ok(
                MOVIE,
                json!({ "i": { "title": "The Last Horizon", "runtimeMinutes": 100, "releaseDate": "2026-01-01",
                                "genres": ["sci-fi", "drama"], "cast": ["Ada Stone", "Lee Park"], "language": "English" } }),
                Some(&admin),
            )
            .await;
        let movie_id = m["createMovie"]["id"].as_str().unwrap().to_owned();
        Fixture {
            admin,
            theatre_id,
            screen_id,
            movie_id,
        }
    }

    /// Schedules the fixture movie `hours` from now; returns the showtime id.
    pub async fn showtime_at(&self, f: &Fixture, hours: i64) -> String {
        let data = self
            .ok(
                SHOWTIME,
                json!({ "i": { "screenId": f.screen_id, "movieId": f.movie_id, "startsAt": in_hours(hours), "prices": all_prices() } }),
                Some(&f.admin),
            )
            .await;
        data["createShowtime"]["id"].as_str().unwrap().to_owned()
    }
}

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// A 200-seat showtime (10 rows of 20 standard seats) tomorrow, with its seat ids.
pub async fn opening_night(app: &TestApp) -> (String, Vec<String>) {
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Opening Night") }),
            Some(&admin),
        )
        .await;
    let rows: Vec<Value> = (0..10u8)
        .map(|r| json!({ "label": ((b'A' + r) as char).to_string(), "seats": "SSSSSSSSSS__SSSSSSSSSS" }))
        .collect();
    let screen = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "Big", "l": { "rows": rows } }),
            Some(&admin),
        )
        .await;
    let movie = app
        .ok(MOVIE, json!({ "i": { "title": "Blockbuster", "runtimeMinutes": 150, "releaseDate": "2026-01-01" } }), Some(&admin))
        .await;
    let st = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": screen["createScreen"]["id"], "movieId": movie["createMovie"]["id"], "startsAt": in_hours(24),
                            "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } }),
            Some(&admin),
        )
        .await;
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let seats = seat_ids(app, &showtime).await;
    (showtime, seats)
}

/// The seat ids of a showtime, front row first, left to right.
pub async fn seat_ids(app: &TestApp, showtime: &str) -> Vec<String> {
    let map = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every seat of a showtime with its status on the seat map.
pub async fn seat_statuses(
    app: &TestApp,
    showtime: &str,
) -> std::collections::HashMap<String, String> {
    let map = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id status } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A fresh showtime with one seat held by a new buyer.
pub struct OneHeld {
    pub buyer: String,
    pub booking: String,
}

pub async fn one_held_seat(app: &TestApp, email: &str) -> OneHeld {
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(app, &showtime).await;
    let buyer = app.customer(email).await;
    let held = app
        .ok(
            "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    OneHeld { buyer, booking }
}

/// The rows of one column of a raw SQL query against the app's database (both backends),
/// read as text: the truth, as stored.
/// Ids are bound as values (`$1`, …): each backend stores UUIDs its own way.
pub async fn sql_texts<const N: usize>(
    app: &TestApp,
    sql: &str,
    values: [sea_orm::Value; N],
) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.services.db.get_database_backend();
    app.services
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .or_else(|_| row.try_get_by_index::<i32>(0).map(|n| n.to_string()))
                .unwrap()
        })
        .collect()
}

/// Runs a raw SQL statement against the app's database (fault drills: triggers, locks).
pub async fn sql_exec(app: &TestApp, sql: &str) {
    use sea_orm::ConnectionTrait;
    app.services.db.execute_unprepared(sql).await.unwrap();
}

/// An id from a response, as a value to bind in [`sql_texts`].
pub fn uuid(id: &str) -> sea_orm::Value {
    uuid::Uuid::parse_str(id).unwrap().into()
}

/// Every seat of a showtime with its status as stored (upper case, as the seat map spells
/// it; a lapsed hold still reads `HELD` here): the truth to hold a served map against.
pub async fn db_seat_statuses(
    app: &TestApp,
    showtime: &str,
) -> std::collections::HashMap<String, String> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.services.db.get_database_backend();
    app.services
        .db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT seat_id, status FROM show_seats WHERE showtime_id = $1",
            [uuid(showtime)],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<uuid::Uuid>(0).unwrap().to_string(),
                row.try_get_by_index::<String>(1).unwrap().to_uppercase(),
            )
        })
        .collect()
}

/// The seats of `booking` (read by its owner `token`) are on sale again: available on the
/// seat map and in the database, held by no booking, and a new buyer can hold them.
pub async fn assert_seats_freed(app: &TestApp, token: &str, booking: &str) {
    let data = app
        .ok(
            "query($b: ID!) { booking(id: $b) { seats { id } showtime { id } } }",
            json!({ "b": booking }),
            Some(token),
        )
        .await;
    let showtime = data["booking"]["showtime"]["id"].as_str().unwrap();
    let seats: Vec<String> = data["booking"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!seats.is_empty());
    let map = seat_statuses(app, showtime).await;
    let stored = db_seat_statuses(app, showtime).await;
    for s in &seats {
        assert_eq!(map[s], "AVAILABLE", "seat {s} on the map");
        assert_eq!(stored[s], "AVAILABLE", "seat {s} in the database");
    }
    let holders = sql_texts(
        app,
        "SELECT COUNT(*) FROM show_seats WHERE booking_id = $1",
        [uuid(booking)],
    )
    .await;
    assert_eq!(holders, ["0"], "seats still naming {booking}");
    let next = app
        .customer(&format!(
            "next-{}@example.com",
            uuid::Uuid::new_v4().simple()
        ))
        .await;
    app.ok(
        "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
        json!({ "s": showtime, "seats": seats }),
        Some(&next),
    )
    .await;
}
