//! The real `marquee` binary as a child process that tests can kill, and GraphQL calls to it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// A running server process.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    /// SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `marquee serve` on the embedded database in `data_dir`, with `env` added; its log
/// goes to `data_dir/server-{name}.log`.
pub fn start(data_dir: &Path, name: &str, env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marquee"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env_remove("SMTP_URL")
        .env("MARQUEE_SEED_DEMO", "false")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(data_dir.join(format!("server-{name}.log"))).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    Server { child, url }
}

/// Creates an admin with `marquee create-admin`; returns nothing, log in with [`log_in`].
pub fn create_admin(data_dir: &Path, email: &str, password: &str) {
    create_admin_with(data_dir, email, password, &[]);
}

/// [`create_admin`] with `env` added (a database of [`backend_env`]).
pub fn create_admin_with(data_dir: &Path, email: &str, password: &str, env: &[(&str, &str)]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marquee"));
    cmd.args(["create-admin", "--email", email, "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env("MARQUEE_SEED_DEMO", "false")
        .stdin(Stdio::piped())
        .stdout(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut admin = cmd.spawn().unwrap();
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    assert!(admin.wait().unwrap().success());
}

pub async fn gql(url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

pub async fn ok(url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let body = gql(url, token, query, variables).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

pub async fn log_in(url: &str, email: &str, password: &str) -> String {
    ok(
        url,
        None,
        "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
        json!({ "e": email, "p": password }),
    )
    .await["logIn"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn sign_up(url: &str, email: &str) -> String {
    ok(
        url,
        None,
        "mutation($e: String!) { signUp(input: { email: $e, password: \"correct horse\", name: \"B\" }) { token } }",
        json!({ "e": email }),
    )
    .await["signUp"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A showtime in two days in a theatre in Austin, one row of `seats` (layout notation);
/// returns its id and seat ids.
pub async fn small_show(url: &str, admin: &str, title: &str, seats: &str) -> (String, Vec<Value>) {
    let t = ok(url, Some(admin), "mutation { createTheatre(input: { name: \"Crash Hall\", address: \"1 A St\", city: \"Austin\", state: \"TX\", zip: \"78701\", latitude: 30.27, longitude: -97.74, timezone: \"America/Chicago\" }) { id } }", json!({})).await;
    let sc = ok(url, Some(admin), "mutation($t: ID!, $s: String!) { createScreen(theatreId: $t, name: \"One\", layout: { rows: [{ label: \"A\", seats: $s }] }) { id } }", json!({ "t": t["createTheatre"]["id"], "s": seats })).await;
    let m = ok(url, Some(admin), "mutation($t: String!) { createMovie(input: { title: $t, runtimeMinutes: 90, releaseDate: \"2026-01-01\" }) { id } }", json!({ "t": title })).await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let st = ok(url, Some(admin), "mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id seatMap { seats { id } } } }", json!({ "i": { "screenId": sc["createScreen"]["id"], "movieId": m["createMovie"]["id"], "startsAt": starts, "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } })).await;
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let ids = st["createShowtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .clone();
    (showtime, ids.into_iter().map(|s| s["id"].clone()).collect())
}

/// The servers a run names, as environment for the `marquee` processes: nothing on SQLite
/// (the embedded database in `data_dir`), or on PostgreSQL (`TEST_BACKEND=postgres`, as
/// `scripts/test.sh` sets) a fresh database and a Redis key prefix of this test's own. A run
/// that names PostgreSQL without its servers fails loudly rather than quietly using SQLite.
pub async fn backend_env() -> Vec<(String, String)> {
    let database = std::env::var("TEST_DATABASE_URL").ok();
    let redis = std::env::var("TEST_REDIS_URL").ok();
    let named = std::env::var("TEST_BACKEND").unwrap_or_else(|_| {
        if database.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
        .to_owned()
    });
    if named == "sqlite" {
        return Vec::new();
    }
    let (Some(admin_url), Some(redis)) = (database, redis) else {
        panic!(
            "TEST_BACKEND={named} needs TEST_DATABASE_URL and TEST_REDIS_URL: run through scripts/test.sh"
        );
    };
    use sea_orm::ConnectionTrait;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("marquee_test_{tag}");
    let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    vec![
        ("DATABASE_URL".to_owned(), format!("{base}/{name}")),
        ("REDIS_URL".to_owned(), redis),
        ("MARQUEE_REDIS_PREFIX".to_owned(), format!("test:{tag}:")),
    ]
}

/// `backend` and `extra` as the pairs [`start`] takes.
pub fn env_of<'a>(
    backend: &'a [(String, String)],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    backend
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(extra.iter().copied())
        .collect()
}

/// The database the servers of `data_dir` with `backend` use, opened to read the truth.
pub async fn database(
    data_dir: &Path,
    backend: &[(String, String)],
) -> sea_orm::DatabaseConnection {
    let url = backend
        .iter()
        .find(|(k, _)| k == "DATABASE_URL")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| format!("sqlite://{}?mode=rw", data_dir.join("marquee.db").display()));
    sea_orm::Database::connect(&url).await.unwrap()
}

/// The number in the first column of the first row of `sql` (`$1`, … bound to `values`).
pub async fn count<const N: usize>(
    db: &sea_orm::DatabaseConnection,
    sql: &str,
    values: [sea_orm::Value; N],
) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}
