//! A crash between the charge and the confirmation: the server is killed (SIGKILL) while
//! the gateway has taken the money; after a restart the booking ends confirmed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Server {
    child: Child,
    url: String,
}

fn start(data_dir: &std::path::Path, fault: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("MARQUEE_SEED_DEMO", "false")
        .env("MARQUEE_FAKE_GATEWAY_FAULT", fault)
        .env("MARQUEE_RECONCILE_AFTER_SECONDS", "1")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(data_dir.join(format!("server-{fault}.log"))).unwrap())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    Server { child, url }
}

async fn gql(url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

async fn ok(url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let body = gql(url, token, query, variables).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_the_charge_ends_in_a_confirmed_booking_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["create-admin", "--email", "ops@example.com", "--data-dir"])
        .arg(dir.path())
        .env("MARQUEE_SEED_DEMO", "false")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(b"an admin password\n")
        .unwrap();
    assert!(admin.wait().unwrap().success());

    let mut server = start(dir.path(), "hang_after_charge");
    let url = server.url.clone();
    let admin = ok(
        &url,
        None,
        "mutation { logIn(email: \"ops@example.com\", password: \"an admin password\") { token } }",
        json!({}),
    )
    .await["logIn"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = ok(&url, Some(&admin), "mutation { createTheatre(input: { name: \"Crash Hall\", address: \"1 A St\", city: \"Austin\", state: \"TX\", zip: \"78701\", latitude: 30.27, longitude: -97.74, timezone: \"America/Chicago\" }) { id } }", json!({})).await;
    let sc = ok(&url, Some(&admin), "mutation($t: ID!) { createScreen(theatreId: $t, name: \"One\", layout: { rows: [{ label: \"A\", seats: \"SSSSSS\" }] }) { id } }", json!({ "t": t["createTheatre"]["id"] })).await;
    let m = ok(&url, Some(&admin), "mutation { createMovie(input: { title: \"Blackout\", runtimeMinutes: 90, releaseDate: \"2026-01-01\" }) { id } }", json!({})).await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let st = ok(&url, Some(&admin), "mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id seatMap { seats { id } } } }", json!({ "i": { "screenId": sc["createScreen"]["id"], "movieId": m["createMovie"]["id"], "startsAt": starts, "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } })).await;
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let seats: Vec<Value> = st["createShowtime"]["seatMap"]["seats"].as_array().unwrap()[..2]
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    let buyer = ok(&url, None, "mutation { signUp(input: { email: \"buyer@example.com\", password: \"correct horse\", name: \"B\" }) { token } }", json!({})).await["signUp"]["token"].as_str().unwrap().to_owned();
    let held = ok(
        &url,
        Some(&buyer),
        "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
        json!({ "s": showtime, "seats": seats }),
    )
    .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();

    // The checkout hangs after the gateway took the money; kill the server right then.
    let (u, b, k) = (url.clone(), buyer.clone(), booking.clone());
    let pending = tokio::spawn(async move {
        let _ = gql(&u, Some(&b), "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }", json!({ "b": k })).await;
    });
    let ledger = dir.path().join("fake-gateway.jsonl");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !std::fs::read_to_string(&ledger)
        .unwrap_or_default()
        .contains("\"charge\"")
    {
        assert!(Instant::now() < deadline, "the charge never happened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    pending.abort();

    // Restart: reconciliation asks the gateway and confirms.
    let mut server = start(dir.path(), "none");
    let url = server.url.clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    let done = loop {
        let b = ok(
            &url,
            Some(&buyer),
            "query($b: ID!) { booking(id: $b) { status tickets { code } } }",
            json!({ "b": booking }),
        )
        .await;
        if b["booking"]["status"] == "CONFIRMED" {
            break b;
        }
        if Instant::now() >= deadline {
            let log =
                std::fs::read_to_string(dir.path().join("server-none.log")).unwrap_or_default();
            panic!("not settled after restart: {b}\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(done["booking"]["tickets"].as_array().unwrap().len(), 2);
    let map = ok(
        &url,
        None,
        "query($s: ID!) { showtime(id: $s) { seatMap { seats { status } } } }",
        json!({ "s": showtime }),
    )
    .await;
    let sold = map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "SOLD")
        .count();
    assert_eq!(sold, 2);
    // One charge in the ledger: nothing was charged twice by the restart.
    let charges = std::fs::read_to_string(&ledger)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"charge\""))
        .count();
    assert_eq!(charges, 1);
    server.child.kill().unwrap();
    let _ = server.child.wait();
}
