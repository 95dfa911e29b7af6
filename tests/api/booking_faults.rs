//! The booking path under faults: the Redis front line dies in the middle of a race, and
//! comes back empty.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!, $k: String) { holdSeats(showtimeId: $s, seatIds: $seats, idempotencyKey: $k) { id seats { id } } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";

/// A Redis server of this test's own, so that it can be killed.
pub struct OwnRedis {
    child: Child,
    pub url: String,
    port: u16,
    _dir: tempfile::TempDir,
}

impl OwnRedis {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = serve(port, dir.path()).await;
        Self {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
            port,
            _dir: dir,
        }
    }

    /// The run's Redis (`TEST_REDIS_URL`), or on an embedded run a private one, kept alive
    /// by the first value: what two instances share.
    pub async fn or_the_runs() -> (Option<Self>, String) {
        match std::env::var("TEST_REDIS_URL") {
            Ok(url) => (None, url),
            Err(_) => {
                let own = Self::start().await;
                let url = own.url.clone();
                (Some(own), url)
            }
        }
    }

    /// Starts the killed server again on the same port (empty: it keeps nothing on disk).
    pub async fn restart(&mut self) {
        self.child = serve(self.port, self._dir.path()).await;
    }
}

async fn serve(port: u16, dir: &std::path::Path) -> Child {
    let child = Command::new("redis-server")
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on PATH (scripts/test.sh installs it)");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child
}

impl OwnRedis {
    /// Kills the server and waits until it is gone.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn holds_and_payments_keep_working_without_double_sales_when_redis_dies_mid_race_and_comes_back_empty()
 {
    let mut redis = OwnRedis::start().await;
    let url = redis.url.clone();
    let app = Arc::new(
        spawn_app_with(move |s| {
            s.redis_url = Some(url.into());
            without_buyer_caps(s);
        })
        .await,
    );
    let (showtime, all) = opening_night(&app).await;
    let buyers: Vec<String> = futures_util::future::join_all((0..8).map(|i| {
        let app = app.clone();
        async move { app.customer(&format!("fault{i}@example.com")).await }
    }))
    .await;

    // Each wave asks for 100 pairs of neighbouring seats in its own third of the hall,
    // overlapping each other, so every wave has both winners and losers.
    let race = |round: usize| {
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let base = round * 66 + (i * 13) % 64;
                let seats = vec![
                    all[base % all.len()].clone(),
                    all[(base + 1) % all.len()].clone(),
                ];
                let seats: Vec<String> = seats
                    .into_iter()
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .collect();
                let (app, token, showtime) = (
                    app.clone(),
                    buyers[i % buyers.len()].clone(),
                    showtime.clone(),
                );
                tokio::spawn(async move {
                    let body =
                        hold(&app, &token, &showtime, &seats, &format!("r{round}-{i}")).await;
                    (seats, token, body)
                })
            })
            .collect();
        tasks
    };
    let mut results = Vec::new();
    for t in race(0) {
        results.push(t.await.unwrap());
    }
    // Kill the front line while the second wave is in flight.
    let wave = race(1);
    redis.kill();
    for t in wave {
        results.push(t.await.unwrap());
    }
    for t in race(2) {
        results.push(t.await.unwrap());
    }

    let mut claimed = HashSet::new();
    let mut after_kill_wins = 0;
    for (n, (seats, _, body)) in results.iter().enumerate() {
        match body["data"]["holdSeats"]["id"].as_str() {
            Some(_) => {
                for s in seats {
                    assert!(claimed.insert(s.clone()), "seat {s} held twice");
                }
                if n >= 200 {
                    after_kill_wins += 1;
                }
            }
            None => assert_eq!(code(body), "SEAT_UNAVAILABLE", "{body}"),
        }
    }
    let held: HashSet<String> = seat_statuses(&app, &showtime)
        .await
        .into_iter()
        .filter(|(_, status)| status == "HELD")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(held, claimed);
    // With Redis gone the database alone decided, and still let buyers in.
    assert!(after_kill_wins > 0, "no hold succeeded after Redis died");
    assert_eq!(ready(&app).await, reqwest::StatusCode::SERVICE_UNAVAILABLE);

    // Redis comes back with none of the claims: the database still has them, and the
    // seat map and every answer follow the database.
    redis.restart().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while ready(&app).await != reqwest::StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "/readyz never recovered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        seat_statuses(&app, &showtime).await,
        db_seat_statuses(&app, &showtime).await
    );
    let latecomer = app.customer("latecomer@example.com").await;
    for (i, seat) in claimed.iter().enumerate() {
        let body = hold(
            &app,
            &latecomer,
            &showtime,
            std::slice::from_ref(seat),
            &format!("late-{i}"),
        )
        .await;
        assert_eq!(
            code(&body),
            "SEAT_UNAVAILABLE",
            "{seat} was held again: {body}"
        );
    }
    let free: Vec<String> = all
        .iter()
        .filter(|s| !claimed.contains(*s))
        .take(2)
        .cloned()
        .collect();
    let body = hold(&app, &latecomer, &showtime, &free, "late-free").await;
    let late_booking = body["data"]["holdSeats"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    // A second claim on those seats is now turned away by the restarted front line or the
    // database, either way not held twice.
    let body = hold(&app, &buyers[0], &showtime, &free, "late-free-again").await;
    assert_eq!(code(&body), "SEAT_UNAVAILABLE", "{body}");

    // Every winner pays: one charge each, the sold seats are exactly the winners'.
    let winners: Vec<(String, String)> = results
        .iter()
        .filter_map(|(_, token, body)| {
            body["data"]["holdSeats"]["id"]
                .as_str()
                .map(|id| (id.to_owned(), token.clone()))
        })
        .collect();
    let payments: Vec<_> = winners
        .iter()
        .cloned()
        .map(|(booking, token)| {
            let app = app.clone();
            tokio::spawn(async move {
                app.gql(CHECKOUT, json!({ "b": booking }), Some(&token))
                    .await
            })
        })
        .collect();
    for p in payments {
        let body = p.await.unwrap();
        assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
    }
    assert_eq!(app.fake().charge_count(), winners.len());
    let truth = db_seat_statuses(&app, &showtime).await;
    let sold: HashSet<String> = truth
        .iter()
        .filter(|(_, status)| *status == "SOLD")
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(sold, claimed);
    let tickets = sql_texts(
        &app,
        "SELECT COUNT(*) FROM tickets WHERE showtime_id = $1",
        [uuid(&showtime)],
    )
    .await;
    assert_eq!(tickets, [claimed.len().to_string()]);
    assert_eq!(truth.values().filter(|s| *s == "HELD").count(), free.len());
    assert_eq!(
        sql_texts(
            &app,
            "SELECT status FROM bookings WHERE id = $1",
            [uuid(&late_booking)]
        )
        .await,
        ["held"]
    );
    assert_eq!(seat_statuses(&app, &showtime).await, truth);
}

async fn ready(app: &TestApp) -> reqwest::StatusCode {
    app.client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap()
        .status()
}

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String], key: &str) -> Value {
    app.gql(
        HOLD,
        json!({ "s": showtime, "seats": seats, "k": key }),
        Some(token),
    )
    .await
}
