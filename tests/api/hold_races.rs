//! Hold races the front line cannot decide, so that the database's conditional update is
//! the guard under test: two instances on one database, each with a front line of its own,
//! and one instance with its front line turned off. Every racer waits at one barrier, and
//! the verdict is read from the database, not from the answers.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!, $k: String) { holdSeats(showtimeId: $s, seatIds: $seats, idempotencyKey: $k) { id seats { id } } }";

/// Racers, and the seats they all fight over.
const RACERS: usize = 160;
const CONTESTED: usize = 12;

/// One to three neighbouring seats among the contested few, different for each racer.
fn wanted(all: &[String], i: usize) -> Vec<String> {
    let start = (i * 7) % CONTESTED;
    (0..1 + i % 3)
        .map(|k| all[(start + k) % CONTESTED].clone())
        .collect()
}

/// Races every racer at once, spread over `apps`; returns the winners' booking ids with
/// their seats, after checking that every loser was refused with `SEAT_UNAVAILABLE`.
async fn race(
    apps: &[Arc<TestApp>],
    showtime: &str,
    all: &[String],
) -> HashMap<String, Vec<String>> {
    let mut buyers = Vec::new();
    for i in 0..8 {
        buyers.push(apps[0].customer(&format!("racer{i}@example.com")).await);
    }
    let start = Arc::new(Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let app = apps[i % apps.len()].clone();
            let (token, showtime, seats) = (
                buyers[i % buyers.len()].clone(),
                showtime.to_owned(),
                wanted(all, i),
            );
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let body = app
                    .gql(
                        HOLD,
                        json!({ "s": showtime, "seats": seats, "k": format!("racer-{i}") }),
                        Some(&token),
                    )
                    .await;
                (seats, body)
            })
        })
        .collect();
    let mut winners = HashMap::new();
    for t in tasks {
        let (seats, body): (Vec<String>, Value) = t.await.unwrap();
        match body["data"]["holdSeats"]["id"].as_str() {
            Some(id) => {
                winners.insert(id.to_owned(), seats);
            }
            None => assert_eq!(code(&body), "SEAT_UNAVAILABLE", "{body}"),
        }
    }
    winners
}

/// The race was a race: some won, and some lost.
fn assert_contested(winners: &HashMap<String, Vec<String>>) {
    assert!(
        !winners.is_empty() && winners.len() < RACERS,
        "{} of {RACERS} racers won",
        winners.len()
    );
}

/// What the database says: no seat in two bookings, one booking row per winner, each
/// winner's seats held for it and nothing else taken.
pub async fn assert_each_seat_is_held_by_one_booking(
    app: &TestApp,
    showtime: &str,
    winners: &HashMap<String, Vec<String>>,
) {
    let shared = sql_texts(
        app,
        "SELECT COUNT(*) FROM (SELECT seat_id FROM booking_seats WHERE showtime_id = $1 \
         GROUP BY seat_id HAVING COUNT(*) > 1) AS shared",
        [uuid(showtime)],
    )
    .await;
    assert_eq!(shared, ["0"], "seats that are in more than one booking");
    let bookings = sql_texts(
        app,
        "SELECT COUNT(*) FROM bookings WHERE showtime_id = $1",
        [uuid(showtime)],
    )
    .await;
    assert_eq!(bookings, [winners.len().to_string()], "booking rows");
    for (booking, seats) in winners {
        let held = sql_texts(
            app,
            "SELECT COUNT(*) FROM show_seats WHERE showtime_id = $1 AND booking_id = $2 AND status = 'held'",
            [uuid(showtime), uuid(booking)],
        )
        .await;
        assert_eq!(held, [seats.len().to_string()], "seats held for {booking}");
    }
    let claimed: usize = winners.values().map(Vec::len).sum();
    let taken = sql_texts(
        app,
        "SELECT COUNT(*) FROM show_seats WHERE showtime_id = $1 AND status <> 'available'",
        [uuid(showtime)],
    )
    .await;
    assert_eq!(taken, [claimed.to_string()], "seats not available");
    // And so the answers agree: no seat was promised to two winners.
    let mut promised = HashSet::new();
    for s in winners.values().flatten() {
        assert!(promised.insert(s), "seat {s} was promised to two winners");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_with_front_lines_of_their_own_on_one_database_never_hold_a_seat_twice() {
    // No Redis: each instance's in-process front line knows only its own claims, so for
    // every contested seat the two instances' winners meet in the database.
    let shared: Arc<Mutex<Option<SecretString>>> = Arc::default();
    let first = {
        let shared = shared.clone();
        spawn_app_with(move |s| {
            s.redis_url = None;
            without_buyer_caps(s);
            *shared.lock().unwrap() = s.database_url.clone();
        })
        .await
    };
    let database = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.redis_url = None;
        without_buyer_caps(s);
        s.database_url = Some(database);
    })
    .await;
    let (first, second) = (Arc::new(first), Arc::new(second));
    let (showtime, all) = opening_night(&first).await;
    let winners = race(&[first.clone(), second.clone()], &showtime, &all).await;
    assert_each_seat_is_held_by_one_booking(&first, &showtime, &winners).await;
    assert_contested(&winners);
    // Both instances serve the database's answer.
    assert_eq!(
        seat_statuses(&first, &showtime).await,
        seat_statuses(&second, &showtime).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_the_front_line_off_racing_holds_never_share_a_seat_in_the_database() {
    let app = Arc::new(
        spawn_app_with(|s| {
            s.seat_hold_front_line = false;
            without_buyer_caps(s);
        })
        .await,
    );
    let (showtime, all) = opening_night(&app).await;
    let winners = race(std::slice::from_ref(&app), &showtime, &all).await;
    assert_each_seat_is_held_by_one_booking(&app, &showtime, &winners).await;
    assert_contested(&winners);
    let held: HashSet<String> = seat_statuses(&app, &showtime)
        .await
        .into_iter()
        .filter(|(_, status)| status == "HELD")
        .map(|(id, _)| id)
        .collect();
    let claimed: HashSet<String> = winners.values().flatten().cloned().collect();
    assert_eq!(held, claimed, "the seat map shows the winners' seats held");
}
