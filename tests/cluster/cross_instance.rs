//! Proof 2: the instances are one system: a hold made through one reaches a seat-map
//! subscriber of another within a second, a title added through one is found by search
//! on every instance within a second, and the waiting room is one line across instances.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{
    HOLD, Who, admin, buyers, gql, next_addr, next_json, ok, showtime, subscribe_seat_map, ws,
};
use crate::fleet::Fleet;

const WITHIN: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_hold_through_one_instance_reaches_a_subscriber_of_another_within_a_second() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, seats) = showtime(&fleet, &admin, 20, false).await;
    let buyer = buyers(&fleet, 1).await.remove(0);
    let n = fleet.instances();
    for (from, seat) in (1..=n).zip(&seats) {
        let to = from % n + 1;
        let watcher = Who {
            token: None,
            addr: next_addr(),
        };
        let mut socket = ws(&fleet.instance(to), &watcher).await.unwrap();
        subscribe_seat_map(&mut socket, &st).await.unwrap();
        let sent = Instant::now();
        ok(
            &fleet,
            &fleet.instance(from),
            &buyer,
            HOLD,
            json!({ "s": st, "seats": [seat], "k": null }),
        )
        .await;
        let seen = loop {
            let msg = next_json(&mut socket, Duration::from_secs(5))
                .await
                .unwrap_or_else(|| {
                    panic!("instance {to} never told of the hold made through {from}")
                });
            let changes = msg["payload"]["data"]["seatMapUpdates"]["changes"]
                .as_array()
                .cloned();
            if changes
                .unwrap_or_default()
                .iter()
                .any(|c| c["seatId"] == *seat && c["status"] == "HELD")
            {
                break sent.elapsed();
            }
        };
        println!(
            "hold through instance {from} seen by a subscriber of instance {to} after {} ms",
            seen.as_millis()
        );
        assert!(seen < WITHIN, "instance {to} saw the hold after {seen:?}");
    }
}

const SEARCH: &str = "query($q: String!) { search(query: $q, kinds: [MOVIE], first: 5) { nodes { item { ... on Movie { id title } } } } }";

#[tokio::test]
async fn a_title_added_through_one_instance_is_found_on_every_instance_within_a_second() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    // A made-up word no other title has.
    let word = format!(
        "Quillfeather{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let added = Instant::now();
    let movie = ok(&fleet, &fleet.instance(1), &admin, "mutation($t: String!) { createMovie(input: { title: $t, runtimeMinutes: 100, releaseDate: \"2026-01-01\" }) { id } }", json!({ "t": format!("The {word}") })).await;
    let id = movie["createMovie"]["id"].as_str().unwrap().to_owned();
    let searches = (1..=fleet.instances()).map(|n| {
        let (fleet, word, id) = (&fleet, &word, &id);
        async move {
            let who = Who {
                token: None,
                addr: next_addr(),
            };
            loop {
                let body = gql(
                    fleet,
                    &fleet.instance(n),
                    &who,
                    SEARCH,
                    json!({ "q": word }),
                )
                .await
                .unwrap();
                let hits = body["data"]["search"]["nodes"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if hits.iter().any(|h| h["item"]["id"] == *id.as_str()) {
                    return (n, added.elapsed());
                }
                assert!(
                    added.elapsed() < Duration::from_secs(10),
                    "instance {n} never found the title: {body}"
                );
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
    });
    for (n, after) in futures_util::future::join_all(searches).await {
        println!(
            "instance {n} found the new title after {} ms",
            after.as_millis()
        );
        assert!(
            after < WITHIN,
            "instance {n} found the title after {after:?}"
        );
    }
}

const ENTER: &str = "mutation($s: ID!) { enterWaitingRoom(showtimeId: $s) { status position } }";
const PLACE: &str = "query($s: ID!) { waitingRoom(showtimeId: $s) { status position } }";

#[tokio::test]
async fn the_waiting_room_is_one_line_across_instances() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, _) = showtime(&fleet, &admin, 20, true).await;
    let n = fleet.instances();
    // More buyers than one admission lets in (waiting_room_capacity: 10), entering in turn
    // through every instance.
    let line = buyers(&fleet, 16).await;
    for (i, who) in line.iter().enumerate() {
        ok(
            &fleet,
            &fleet.instance(i % n + 1),
            who,
            ENTER,
            json!({ "s": st }),
        )
        .await;
    }
    // Each asks another instance than the one it entered through.
    let mut admitted = 0;
    let mut positions = Vec::new();
    for (i, who) in line.iter().enumerate() {
        let place = ok(
            &fleet,
            &fleet.instance((i + 1) % n + 1),
            who,
            PLACE,
            json!({ "s": st }),
        )
        .await;
        match place["waitingRoom"]["status"].as_str().unwrap() {
            "ADMITTED" => admitted += 1,
            "WAITING" => positions.push(place["waitingRoom"]["position"].as_i64().unwrap()),
            other => panic!("buyer {i} is {other} in line"),
        }
    }
    println!("{admitted} admitted, waiting at {positions:?}");
    // One line: at most one admission's worth let in across the fleet, and the others
    // in one order, 1, 2, 3, … in the order they entered.
    assert!(
        admitted <= 10,
        "{admitted} admitted: each instance keeps its own line"
    );
    let expected: Vec<i64> = (1..=positions.len() as i64).collect();
    assert_eq!(positions, expected, "places in line");
    assert_eq!(admitted + positions.len(), line.len());

    // The line's keys share the showtime's hash tag: its scripts touch one slot, as a
    // Redis Cluster needs.
    let client = redis::Client::open(fleet.var("REDIS_URL")).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("*room:*{st}*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        !keys.is_empty(),
        "no waiting-room key of the showtime in Redis"
    );
    for k in &keys {
        assert!(
            k.contains(&format!("{{{st}}}")),
            "{k} lacks the showtime's hash tag"
        );
    }
    println!("waiting-room keys, all under {{{st}}}: {keys:?}");
}
