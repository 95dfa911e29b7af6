//! The waiting room of a hot showtime: buyers are let through in arrival order, a few at
//! a time, and holds from anyone not let through are refused before they cost anything.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

const ENTER: &str = "mutation($s: ID!) { enterWaitingRoom(showtimeId: $s) { showtimeId status position admittedUntil retryAfterMs } }";
const PLACE: &str = "query($s: ID!, $w: Int) { waitingRoom(showtimeId: $s, waitMs: $w) { status position admittedUntil } }";
const LEAVE: &str = "mutation($s: ID!) { leaveWaitingRoom(showtimeId: $s) { status } }";
const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id status } }";

/// The 200-seat opening night, flagged hot.
async fn hot_showtime(app: &TestApp) -> (String, Vec<String>) {
    let (showtime, seats) = opening_night(app).await;
    let admin = app.admin().await;
    app.ok(
        "mutation($id: ID!) { updateShowtime(id: $id, input: { waitingRoom: true }) { waitingRoom } }",
        json!({ "id": showtime }),
        Some(&admin),
    )
    .await;
    (showtime, seats)
}

async fn enter(app: &TestApp, token: &str, showtime: &str) -> Value {
    app.ok(ENTER, json!({ "s": showtime }), Some(token)).await["enterWaitingRoom"].clone()
}

async fn place(app: &TestApp, token: &str, showtime: &str, wait_ms: i32) -> Value {
    app.ok(PLACE, json!({ "s": showtime, "w": wait_ms }), Some(token))
        .await["waitingRoom"]
        .clone()
}

async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> Value {
    app.gql(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await
}

#[tokio::test]
async fn a_hot_showtime_lets_buyers_through_in_arrival_order_and_refuses_the_others_holds() {
    let app = spawn_app_with(|s| s.waiting_room_capacity = 2).await;
    let (showtime, seats) = hot_showtime(&app).await;
    let mut buyers = Vec::new();
    for name in ["ann", "bob", "cat", "dan"] {
        buyers.push(app.customer(&format!("{name}@example.com")).await);
    }
    let [ann, bob, cat, dan] = &buyers[..] else {
        unreachable!()
    };
    assert_eq!(enter(&app, ann, &showtime).await["status"], "ADMITTED");
    assert_eq!(enter(&app, bob, &showtime).await["status"], "ADMITTED");
    let waiting = enter(&app, cat, &showtime).await;
    assert_eq!(
        (&waiting["status"], &waiting["position"]),
        (&json!("WAITING"), &json!(1)),
        "{waiting}"
    );
    assert!(waiting["retryAfterMs"].as_u64().unwrap() > 0);
    // Entering again keeps the place.
    assert_eq!(enter(&app, cat, &showtime).await["position"], 1);

    // Neither the buyer in line nor one who skipped it may hold; nothing is held for them.
    for token in [cat, dan] {
        let refused = hold(&app, token, &showtime, &seats[0..2]).await;
        assert_eq!(code(&refused), "ADMISSION_REQUIRED", "{refused}");
    }
    // Cat waits on the server while Ann, admitted, holds: the hold uses Ann's admission,
    // which passes to Cat at once. The seats the refused asked for were never taken.
    let started = std::time::Instant::now();
    let (cat_place, held) = tokio::join!(place(&app, cat, &showtime, 10_000), async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        hold(&app, ann, &showtime, &seats[0..2]).await
    });
    assert_eq!(held["data"]["holdSeats"]["status"], "HELD", "{held}");
    assert_eq!(cat_place["status"], "ADMITTED", "{cat_place}");
    assert!(cat_place["admittedUntil"].is_string());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let ann_again = hold(&app, ann, &showtime, &seats[3..4]).await;
    assert_eq!(code(&ann_again), "ADMISSION_REQUIRED", "{ann_again}");
    assert_eq!(
        place(&app, ann, &showtime, 0).await["status"],
        "NOT_IN_LINE"
    );

    // Bob and Cat are through; Dan lines up, Cat gives her admission up, it passes to Dan.
    assert_eq!(enter(&app, dan, &showtime).await["position"], 1);
    assert_eq!(
        app.ok(LEAVE, json!({ "s": showtime }), Some(cat)).await["leaveWaitingRoom"]["status"],
        "NOT_IN_LINE"
    );
    assert_eq!(place(&app, dan, &showtime, 0).await["status"], "ADMITTED");
    for (token, seat) in [(bob, &seats[5]), (dan, &seats[6])] {
        let held = hold(&app, token, &showtime, std::slice::from_ref(seat)).await;
        assert_eq!(held["data"]["holdSeats"]["status"], "HELD", "{held}");
    }
}

#[tokio::test]
async fn showtimes_without_a_waiting_room_need_no_admission() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("ann@example.com").await;
    assert_eq!(
        enter(&app, &buyer, &showtime).await["status"],
        "NOT_REQUIRED"
    );
    assert_eq!(
        place(&app, &buyer, &showtime, 0).await["status"],
        "NOT_REQUIRED"
    );
    let held = hold(&app, &buyer, &showtime, &seats[0..1]).await;
    assert_eq!(held["data"]["holdSeats"]["status"], "HELD", "{held}");
}

#[tokio::test]
async fn a_crowd_through_a_small_room_all_get_their_turn_and_no_seat_is_held_twice() {
    let app = Arc::new(spawn_app_with(|s| s.waiting_room_capacity = 5).await);
    let (showtime, seats) = hot_showtime(&app).await;
    let mut tokens = Vec::new();
    for i in 0..40 {
        tokens.push(app.customer(&format!("crowd{i}@example.com")).await);
    }
    let seats = Arc::new(seats);
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            let (app, showtime, seats) = (app.clone(), showtime.clone(), seats.clone());
            tokio::spawn(async move {
                let mut standing = enter(&app, &token, &showtime).await;
                let mut waits = 0;
                while standing["status"] == "WAITING" {
                    waits += 1;
                    assert!(waits < 30, "buyer {i} never admitted: {standing}");
                    standing = place(&app, &token, &showtime, 5_000).await;
                }
                assert_eq!(standing["status"], "ADMITTED", "{standing}");
                // Overlapping choices: neighbours contend for the same pairs.
                let pick = vec![seats[i % 25].clone(), seats[i % 25 + 1].clone()];
                let held = hold(&app, &token, &showtime, &pick).await;
                if held["data"]["holdSeats"]["status"] == "HELD" {
                    return Some(pick);
                }
                assert_eq!(code(&held), "SEAT_UNAVAILABLE", "{held}");
                app.ok(LEAVE, json!({ "s": showtime }), Some(&token)).await;
                None
            })
        })
        .collect();
    let mut holders: HashMap<String, u32> = HashMap::new();
    for t in tasks {
        for seat in t.await.unwrap().into_iter().flatten() {
            *holders.entry(seat).or_default() += 1;
        }
    }
    assert!(!holders.is_empty());
    assert!(holders.values().all(|n| *n == 1), "{holders:?}");
    let map = seat_statuses(&app, &showtime).await;
    let held_on_map = map.values().filter(|s| *s == "HELD").count();
    assert_eq!(held_on_map, holders.len());
}

#[tokio::test]
async fn bad_waiting_room_requests_get_a_coded_error() {
    let app = spawn_app().await;
    let (showtime, _) = hot_showtime(&app).await;
    let buyer = app.customer("ann@example.com").await;
    let anonymous = app.gql(ENTER, json!({ "s": showtime }), None).await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
    let unknown = app
        .gql(
            ENTER,
            json!({ "s": uuid::Uuid::new_v4().to_string() }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown}");
    let garbage = app.gql(ENTER, json!({ "s": "nope" }), Some(&buyer)).await;
    assert_eq!(code(&garbage), "BAD_USER_INPUT", "{garbage}");
    for wait in [-1, 60_000] {
        let body = app
            .gql(PLACE, json!({ "s": showtime, "w": wait }), Some(&buyer))
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "waitMs");
    }
}

#[tokio::test]
async fn a_hot_showtime_still_sells_without_double_sales_when_redis_dies() {
    let mut redis = crate::booking_faults::OwnRedis::start().await;
    let url = redis.url.clone();
    let app = spawn_app_with(move |s| {
        s.redis_url = Some(url.into());
        s.waiting_room_capacity = 1;
    })
    .await;
    let (showtime, seats) = hot_showtime(&app).await;
    let first = app.customer("ann@example.com").await;
    let second = app.customer("bob@example.com").await;
    assert_eq!(enter(&app, &first, &showtime).await["status"], "ADMITTED");
    assert_eq!(enter(&app, &second, &showtime).await["status"], "WAITING");
    let refused = hold(&app, &second, &showtime, &seats[0..1]).await;
    assert_eq!(code(&refused), "ADMISSION_REQUIRED", "{refused}");

    redis.kill();
    // The line is gone with Redis: buyers go straight through, and the database alone
    // decides who gets the one seat both want.
    assert_eq!(
        enter(&app, &second, &showtime).await["status"],
        "NOT_REQUIRED"
    );
    let (a, b) = tokio::join!(
        hold(&app, &first, &showtime, &seats[0..1]),
        hold(&app, &second, &showtime, &seats[0..1])
    );
    let held: Vec<&Value> = [&a, &b]
        .into_iter()
        .filter(|r| r["data"]["holdSeats"]["status"] == "HELD")
        .collect();
    assert_eq!(held.len(), 1, "{a} {b}");
    let loser = if held[0] == &a { &b } else { &a };
    assert_eq!(code(loser), "SEAT_UNAVAILABLE", "{loser}");
    let other = hold(&app, &second, &showtime, &seats[1..2]).await;
    assert_eq!(other["data"]["holdSeats"]["status"], "HELD", "{other}");
}

#[tokio::test]
async fn one_admission_carries_one_hold_even_when_holds_race_on_it() {
    let app = spawn_app_with(|s| s.waiting_room_capacity = 1).await;
    let (showtime, seats) = hot_showtime(&app).await;
    let ann = app.customer("one-admission@example.com").await;
    let bob = app.customer("next-in-line@example.com").await;
    assert_eq!(enter(&app, &ann, &showtime).await["status"], "ADMITTED");
    assert_eq!(enter(&app, &bob, &showtime).await["status"], "WAITING");
    // Ann fires eight holds of other seats at once on her one admission.
    let barrier = Arc::new(tokio::sync::Barrier::new(8));
    let answers = futures_util::future::join_all((0..8).map(|i| {
        let (app, ann, showtime, seats, barrier) = (&app, &ann, &showtime, &seats, barrier.clone());
        async move {
            barrier.wait().await;
            hold(app, ann, showtime, &seats[i * 2..i * 2 + 2]).await
        }
    }))
    .await;
    let held = answers
        .iter()
        .filter(|a| a["data"]["holdSeats"]["status"] == "HELD")
        .count();
    assert_eq!(held, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| a["data"]["holdSeats"].is_null())
            .all(|a| code(a) == "ADMISSION_REQUIRED"),
        "{answers:?}"
    );
    let taken = seat_statuses(&app, &showtime)
        .await
        .values()
        .filter(|s| *s == "HELD")
        .count();
    assert_eq!(taken, 2);
    // The admission passed to the next in line.
    assert_eq!(place(&app, &bob, &showtime, 0).await["status"], "ADMITTED");
}

#[tokio::test]
async fn an_admission_spent_on_a_hold_that_failed_comes_back() {
    let app = spawn_app_with(|s| s.waiting_room_capacity = 1).await;
    let (showtime, seats) = hot_showtime(&app).await;
    let ann = app.customer("unlucky-pick@example.com").await;
    assert_eq!(enter(&app, &ann, &showtime).await["status"], "ADMITTED");
    let held = hold(&app, &ann, &showtime, &seats[0..1]).await;
    assert_eq!(held["data"]["holdSeats"]["status"], "HELD");
    // Admitted again, Ann picks a seat she already holds: refused, and still admitted.
    assert_eq!(enter(&app, &ann, &showtime).await["status"], "ADMITTED");
    let taken = hold(&app, &ann, &showtime, &seats[0..1]).await;
    assert_eq!(code(&taken), "SEAT_UNAVAILABLE", "{taken}");
    assert_eq!(place(&app, &ann, &showtime, 0).await["status"], "ADMITTED");
    let second = hold(&app, &ann, &showtime, &seats[1..2]).await;
    assert_eq!(second["data"]["holdSeats"]["status"], "HELD", "{second}");
}

#[tokio::test]
async fn an_admission_left_unused_lapses_and_its_slot_passes_to_the_next_in_line() {
    let app = spawn_app_with(|s| {
        s.waiting_room_capacity = 1;
        s.waiting_room_admission_seconds = 120;
    })
    .await;
    let (showtime, seats) = hot_showtime(&app).await;
    let ann = app.customer("idle@example.com").await;
    let cat = app.customer("next@example.com").await;
    let admitted = enter(&app, &ann, &showtime).await;
    assert_eq!(admitted["status"], "ADMITTED");
    let until = time(&admitted["admittedUntil"]);
    assert_eq!(enter(&app, &cat, &showtime).await["status"], "WAITING");

    // Still Ann's a moment before its end: Cat waits.
    app.clock.advance(chrono::Duration::seconds(110));
    assert_eq!(place(&app, &cat, &showtime, 0).await["status"], "WAITING");
    assert_eq!(place(&app, &ann, &showtime, 0).await["status"], "ADMITTED");

    // Past its end, unused: gone, and Cat is let through.
    app.clock.advance(chrono::Duration::seconds(11));
    assert!(
        until < marquee_domain::clock::Clock::now(app.clock.as_ref()),
        "the admission should have ended by now"
    );
    let refused = hold(&app, &ann, &showtime, &seats[0..1]).await;
    assert_eq!(code(&refused), "ADMISSION_REQUIRED", "{refused}");
    assert_eq!(
        place(&app, &ann, &showtime, 0).await["status"],
        "NOT_IN_LINE"
    );
    assert_eq!(place(&app, &cat, &showtime, 0).await["status"], "ADMITTED");
    let held = hold(&app, &cat, &showtime, &seats[1..2]).await;
    assert_eq!(held["data"]["holdSeats"]["status"], "HELD", "{held}");
    // Ann's refused hold took nothing.
    let map = seat_statuses(&app, &showtime).await;
    assert_eq!(map[&seats[0]], "AVAILABLE");
    assert_eq!(map[&seats[1]], "HELD");
}
