//! Seat-map group members whose own map cannot be read (every database connection busy,
//! as in an on-sale): a member never takes its group's changes without a fresh map under
//! them; it gets that map, or the error and the end of its subscription.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::*;
use crate::live::{HOLD, SEAT_UPDATES, apply, open, subscribe};
use crate::subscriptions::next_json;

/// The app's pool: small, and quick to give up on a connection.
const POOL: u32 = 3;

fn small_pool(s: &mut marquee::config::Settings) {
    s.database_max_connections = POOL;
    s.database_acquire_timeout_ms = 500;
    without_buyer_caps(s);
}

/// Every connection of the app's pool, each in an open transaction: until they are
/// dropped, whatever else needs one waits, then fails.
async fn take_pool(app: &TestApp) -> Vec<DatabaseTransaction> {
    let mut held = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while held.len() < POOL as usize {
        assert!(Instant::now() < deadline, "the pool stayed busy");
        // The app's own work may have a connection for a moment: try again.
        if let Ok(tx) = app.services.db.begin().await {
            held.push(tx);
        }
    }
    held
}

/// Gives the pool back and waits until the app reads from the database again (each
/// connection given back first rolls its transaction back).
async fn give_back(app: &TestApp, pool: Vec<DatabaseTransaction>, showtime: &str) {
    drop(pool);
    let deadline = Instant::now() + Duration::from_secs(10);
    let read = "query($s: ID!) { showtime(id: $s) { seatMap { seats { id } } } }";
    let showtime = json!({ "s": showtime });
    while app
        .gql(read, showtime.clone(), None)
        .await
        .get("errors")
        .is_some()
    {
        assert!(Instant::now() < deadline, "the app never read again");
    }
}

/// Whether a message says the operation failed: an `error`, or a result with errors (and
/// so with no map to apply).
fn errors_in(msg: &Value) -> bool {
    msg["type"] == "error"
        || msg["payload"]["errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
}

const RESYNC_FAILURES: &str = "marquee_live_resync_failures_total ";

/// What a client's subscription came to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Its map is the truth.
    TrueMap,
    /// It ended with an error.
    Ended,
}

/// A member that fell behind its group while every connection of the app's pool is
/// taken, its client reading again.
struct Behind {
    app: TestApp,
    showtime: String,
    seats: Vec<String>,
    buyer: String,
    /// The client's map, from before it fell behind.
    map: HashMap<String, String>,
    /// The app's pool, taken.
    pool: Vec<DatabaseTransaction>,
    /// Messages read but not yet followed.
    set_aside: VecDeque<Value>,
    /// Messages the client reads from now on (pongs aside).
    received: UnboundedReceiver<Value>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

async fn fall_behind_with_the_pool_taken(email: &str) -> Behind {
    // A group keeps one message for a slow member.
    let app = spawn_app_with(|s| {
        s.ws_group_backlog = 1;
        small_pool(s);
    })
    .await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer(email).await;
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let mut map = HashMap::new();
    apply(
        &mut map,
        &next_json(&mut socket).await.unwrap()["payload"]["data"]["seatMapUpdates"],
    );
    let (mut writer, mut reader) = socket.split();

    // The client stops reading and asks for large pongs until the server cannot write to
    // it: its connection then stops taking the group's messages.
    let pad = "x".repeat(200 * 1024);
    let flood = tokio::spawn(async move {
        for n in 0..100 {
            let ping = json!({ "type": "ping", "payload": { "n": n, "pad": pad } });
            if writer.send(Message::text(ping.to_string())).await.is_err() {
                return;
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Apart enough for each to be a message of its own: the member falls behind.
    for seat in &seats[..6] {
        app.ok(
            HOLD,
            json!({ "s": showtime, "seats": [seat] }),
            Some(&buyer),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Every connection busy: the fresh map the member needs cannot be read.
    let pool = take_pool(&app).await;
    let (to_client, received) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let client = tokio::spawn(async move {
        while let Some(Ok(msg)) = reader.next().await {
            let Message::Text(text) = msg else { continue };
            let msg: Value = serde_json::from_str(&text).unwrap();
            if msg["type"] != "pong" && to_client.send(msg).is_err() {
                return;
            }
        }
    });
    Behind {
        app,
        showtime,
        seats,
        buyer,
        map,
        pool,
        set_aside: VecDeque::new(),
        received,
        tasks: vec![flood, client],
    }
}

impl Behind {
    /// Waits (20 s at most) until the client read an error, or the server counts
    /// `failures` fresh maps that failed.
    async fn until_failed(&mut self, failures: f64) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            while let Ok(msg) = self.received.try_recv() {
                self.set_aside.push_back(msg);
            }
            if self.set_aside.iter().any(errors_in)
                || self.app.metric(RESYNC_FAILURES).await >= failures
            {
                return;
            }
            assert!(Instant::now() < deadline, "no fresh map failed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Gives the pool back, makes two more changes, and follows the subscription until
    /// the client's map is the truth or the subscription ended with an error; fails the
    /// test if the client is sent changes to apply to a map that is not fresh.
    async fn follow(mut self) -> Outcome {
        give_back(&self.app, std::mem::take(&mut self.pool), &self.showtime).await;
        for seat in &self.seats[6..8] {
            self.app
                .ok(
                    HOLD,
                    json!({ "s": self.showtime, "seats": [seat] }),
                    Some(&self.buyer),
                )
                .await;
        }
        let truth = seat_statuses(&self.app, &self.showtime).await;
        let mut errored = false;
        let deadline = Instant::now() + Duration::from_secs(10);
        let outcome = loop {
            if self.map == truth {
                break Outcome::TrueMap;
            }
            let next = match self.set_aside.pop_front() {
                Some(msg) => Some(msg),
                None => tokio::time::timeout_at(deadline, self.received.recv())
                    .await
                    .ok()
                    .flatten(),
            };
            let Some(msg) = next else {
                let stale = truth
                    .iter()
                    .filter(|(k, v)| self.map.get(*k) != Some(v))
                    .count();
                panic!("the member's map is stale: {stale} seats differ from the truth");
            };
            match msg["type"].as_str() {
                // `error` ends the subscription: the client knows it has no live map.
                Some("error") => break Outcome::Ended,
                Some("complete") => {
                    assert!(errored, "ended without saying why: {msg}");
                    break Outcome::Ended;
                }
                Some("next") if errors_in(&msg) => errored = true,
                Some("next") => {
                    let update = &msg["payload"]["data"]["seatMapUpdates"];
                    assert!(
                        !errored || update["snapshot"].is_object(),
                        "after its fresh map failed, the member got changes to apply to its old map: {msg}"
                    );
                    errored = false;
                    apply(&mut self.map, update);
                }
                _ => panic!("unexpected {msg}"),
            }
        };
        for task in &self.tasks {
            task.abort();
        }
        outcome
    }
}

#[tokio::test]
async fn a_member_whose_fresh_map_fails_for_a_moment_reads_it_again_and_ends_with_the_true_map() {
    let mut behind = fall_behind_with_the_pool_taken("resync-again@example.com").await;
    // The pool is given back once the first try failed.
    behind.until_failed(1.0).await;
    let failures = behind.app.metric(RESYNC_FAILURES).await;
    assert_eq!(behind.follow().await, Outcome::TrueMap);
    assert!(failures >= 1.0, "the fresh map never failed");
}

#[tokio::test]
async fn a_member_whose_fresh_map_keeps_failing_ends_with_the_error_never_with_a_stale_map() {
    let mut behind = fall_behind_with_the_pool_taken("resync-fails@example.com").await;
    // The pool stays taken until the client hears of the failure.
    behind.until_failed(f64::INFINITY).await;
    let failures = behind.app.metric(RESYNC_FAILURES).await;
    assert_eq!(behind.follow().await, Outcome::Ended);
    assert_eq!(failures, 4.0, "the first try and three more");
}

#[tokio::test]
async fn an_older_graphql_ws_member_whose_first_map_cannot_be_read_gets_the_error_and_no_changes() {
    let app = spawn_app_with(small_pool).await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("legacy-first-map@example.com").await;
    // A member whose map was read runs the group.
    let mut running = open(&app, None).await;
    subscribe(&mut running, SEAT_UPDATES, json!({ "s": showtime })).await;
    assert_eq!(next_json(&mut running).await.unwrap()["type"], "next");

    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
    let (mut legacy, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let send = |msg: Value| Message::text(msg.to_string());
    legacy
        .send(send(json!({ "type": "connection_init", "payload": {} })))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut legacy).await.unwrap()["type"],
        "connection_ack"
    );
    // Every connection busy: the joining member's first map cannot be read.
    let held = take_pool(&app).await;
    let start = json!({ "id": "1", "type": "start",
                        "payload": { "query": SEAT_UPDATES, "variables": { "s": showtime } } });
    legacy.send(send(start)).await.unwrap();
    let failed = next_json(&mut legacy).await.expect("an answer within 10 s");
    assert!(
        errors_in(&failed),
        "the first map cannot have been read: {failed}"
    );
    give_back(&app, held, &showtime).await;

    // A change the group goes on to show its members.
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[0]] }),
        Some(&buyer),
    )
    .await;
    let after = next_json(&mut running).await.unwrap();
    assert_eq!(
        after["payload"]["data"]["seatMapUpdates"]["changes"][0]["seatId"],
        seats[0].as_str(),
        "{after}"
    );
    // The member without a map ended instead of taking it.
    if failed["type"] != "error" {
        let end = next_json(&mut legacy).await.expect("a message within 10 s");
        assert_eq!(
            end["type"], "complete",
            "a change for a member without a map: {end}"
        );
    }
}
