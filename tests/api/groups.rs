//! Subscription groups: identical seat-map subscriptions share one execution, and every
//! member still ends with the true map, however it joined or fell behind.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::live::{HOLD, RELEASE, SEAT_UPDATES, apply, open, subscribe};
use crate::subscriptions::{Socket, next_json};

const GROUPS: &str = "marquee_live_groups ";
const SHARED: &str = "marquee_live_messages_total{rendering=\"shared\"}";

/// Reads seat-map messages into `map` until it equals `truth` (10 s at most).
async fn follow_until(
    socket: &mut Socket,
    map: &mut HashMap<String, String>,
    truth: &HashMap<String, String>,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while map != truth {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the map never caught up"
        );
        let msg = next_json(socket).await.expect("a message within 10 s");
        assert_eq!(msg["type"], "next", "{msg}");
        apply(map, &msg["payload"]["data"]["seatMapUpdates"]);
    }
}

/// Waits until the metric line starting with `prefix` reads `value` (5 s at most).
async fn metric_becomes(app: &TestApp, prefix: &str, value: f64) {
    for _ in 0..100 {
        if app.metric(prefix).await == value {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{prefix} is {}, not {value}", app.metric(prefix).await);
}

#[tokio::test]
async fn subscribers_joining_while_seats_change_share_one_execution_and_all_end_with_the_true_map()
{
    let app = Arc::new(spawn_app().await);
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyers = [
        app.customer("group-a@example.com").await,
        app.customer("group-b@example.com").await,
    ];

    // Two buyers hold and release seats without pause while subscribers keep joining.
    let mutators: Vec<_> = buyers
        .iter()
        .enumerate()
        .map(|(b, token)| {
            let (app, token, showtime) = (app.clone(), token.clone(), showtime.clone());
            let mine: Vec<String> = seats.iter().skip(b).step_by(2).take(12).cloned().collect();
            tokio::spawn(async move {
                for (i, seat) in mine.iter().enumerate() {
                    let held = app
                        .ok(
                            HOLD,
                            json!({ "s": showtime, "seats": [seat] }),
                            Some(&token),
                        )
                        .await;
                    // Some holds stay, so that the final map differs from the first.
                    if i % 2 == 0 {
                        app.ok(
                            RELEASE,
                            json!({ "b": held["holdSeats"]["id"] }),
                            Some(&token),
                        )
                        .await;
                    }
                }
            })
        })
        .collect();
    let subscribers: Vec<_> = (0..24u64)
        .map(|i| {
            let (app, showtime) = (app.clone(), showtime.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i * 10)).await;
                let mut socket = open(&app, None).await;
                subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
                let first = next_json(&mut socket).await.expect("the whole map");
                let mut map = HashMap::new();
                apply(&mut map, &first["payload"]["data"]["seatMapUpdates"]);
                assert!(
                    !map.is_empty(),
                    "the first message is the whole map: {first}"
                );
                (socket, map)
            })
        })
        .collect();
    let mut joined = Vec::new();
    for s in subscribers {
        joined.push(s.await.unwrap());
    }
    for m in mutators {
        m.await.unwrap();
    }
    // Twenty-four identical requests, one execution.
    assert_eq!(app.metric(GROUPS).await, 1.0);

    let truth = seat_statuses(&app, &showtime).await;
    assert!(truth.values().any(|s| s == "HELD"), "{truth:?}");
    for (socket, map) in &mut joined {
        follow_until(socket, map, &truth).await;
    }
    assert!(app.metric(SHARED).await >= 24.0);

    // The last member to leave ends the group.
    drop(joined);
    metric_becomes(&app, GROUPS, 0.0).await;
}

#[tokio::test]
async fn a_member_that_falls_behind_its_group_gets_a_whole_map_again() {
    // A group keeps one message for a slow member.
    let app = spawn_app_with(|s| {
        s.ws_group_backlog = 1;
        without_buyer_caps(s);
    })
    .await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("group-slow@example.com").await;
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
    // Apart enough for each to be a message of its own (a group folds the changes that
    // come while its members write into one message).
    for seat in &seats[..6] {
        app.ok(
            HOLD,
            json!({ "s": showtime, "seats": [seat] }),
            Some(&buyer),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Reading again: past the pongs, a whole map that has the holds.
    let mut resynced = false;
    let truth = seat_statuses(&app, &showtime).await;
    while map != truth {
        let msg = tokio::time::timeout(Duration::from_secs(10), reader.next())
            .await
            .expect("a message within 10 s")
            .unwrap()
            .unwrap();
        let Message::Text(text) = msg else { continue };
        let msg: Value = serde_json::from_str(&text).unwrap();
        if msg["type"] == "pong" {
            continue;
        }
        assert_eq!(msg["type"], "next", "{msg}");
        let update = &msg["payload"]["data"]["seatMapUpdates"];
        resynced |= update["snapshot"].is_object();
        apply(&mut map, update);
    }
    assert!(resynced, "a member that fell behind gets a whole map");
    flood.abort();
}

#[tokio::test]
async fn a_grouped_subscription_with_bad_input_gets_a_coded_error_and_leaves_no_group() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let mut socket = open(&app, None).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for (showtime_id, code) in [
        ("not-an-id", "BAD_USER_INPUT"),
        (unknown.as_str(), "NOT_FOUND"),
    ] {
        subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime_id })).await;
        let msg = next_json(&mut socket).await.expect("an answer");
        assert_eq!(msg["type"], "error", "{msg}");
        assert_eq!(msg["payload"][0]["extensions"]["code"], code, "{msg}");
    }
    metric_becomes(&app, GROUPS, 0.0).await;
    // The connection, and the showtime's seats, are as they were.
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let first = next_json(&mut socket).await.unwrap();
    let mut map = HashMap::new();
    apply(&mut map, &first["payload"]["data"]["seatMapUpdates"]);
    assert_eq!(map, seat_statuses(&app, &showtime).await);
    assert_eq!(app.metric(GROUPS).await, 1.0);
}
