//! Holding seats: all or none, idempotent, released at once or by expiry, never twice.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!, $k: String) { holdSeats(showtimeId: $s, seatIds: $seats, idempotencyKey: $k) { id status expiresAt totalCents currency seats { id row number category priceCents } } }";
const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { id status } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { id status seats { id } } }";
const SEAT_MAP: &str =
    "query($s: ID!) { showtime(id: $s) { seatMap { seats { id status category priceCents } } } }";

async fn seat_map(app: &TestApp, showtime: &str) -> Vec<Value> {
    let data = app.ok(SEAT_MAP, json!({ "s": showtime }), None).await;
    data["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .clone()
}

fn ids(seats: &[Value]) -> Vec<String> {
    seats
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn hold(
    app: &TestApp,
    token: &str,
    showtime: &str,
    seats: &[String],
    key: Option<&str>,
) -> Value {
    app.gql(
        HOLD,
        json!({ "s": showtime, "seats": seats, "k": key }),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn hold_seats_holds_every_requested_seat_until_the_hold_expires() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let buyer = app.customer("ann@example.com").await;
    let body = hold(&app, &buyer, &showtime, &all[2..4], None).await;
    let booking = &body["data"]["holdSeats"];
    assert_eq!(booking["status"], "HELD", "{body}");
    assert_eq!(booking["totalCents"], 2400);
    assert_eq!(booking["seats"].as_array().unwrap().len(), 2);
    let minutes = (time(&booking["expiresAt"]) - chrono::Utc::now()).num_minutes();
    assert!((9..=10).contains(&minutes), "{minutes}");
    let map = seat_map(&app, &showtime).await;
    let held: Vec<String> = map
        .iter()
        .filter(|s| s["status"] == "HELD")
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(held, all[2..4].to_vec());
}

#[tokio::test]
async fn hold_fails_with_seat_unavailable_when_any_seat_is_taken_and_holds_none() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let first = app.customer("first@example.com").await;
    let second = app.customer("second@example.com").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [all[3]] }),
        Some(&first),
    )
    .await;
    let body = hold(
        &app,
        &second,
        &showtime,
        &[all[2].clone(), all[3].clone()],
        None,
    )
    .await;
    assert_eq!(code(&body), "SEAT_UNAVAILABLE");
    assert_eq!(body["errors"][0]["extensions"]["seats"], json!([all[3]]));
    let map = seat_map(&app, &showtime).await;
    assert_eq!(
        map.iter().filter(|s| s["status"] == "HELD").count(),
        1,
        "the free seat stayed free"
    );
}

#[tokio::test]
async fn hold_refuses_bad_requests_with_codes_and_changes_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let buyer = app.customer("bad@example.com").await;
    let other_screen = app
        .ok(
            SCREEN,
            json!({ "t": f.theatre_id, "n": "Screen 2", "l": small_layout() }),
            Some(&f.admin),
        )
        .await;
    let other_screen_id = other_screen["createScreen"]["id"].as_str().unwrap();
    let elsewhere = app
        .ok(SHOWTIME, json!({ "i": { "screenId": other_screen_id, "movieId": f.movie_id, "startsAt": in_hours(5), "prices": all_prices() } }), Some(&f.admin))
        .await;
    let foreign_seat =
        ids(&seat_map(&app, elsewhere["createShowtime"]["id"].as_str().unwrap()).await)[0].clone();
    let cancelled = app.showtime_at(&f, 48).await;
    app.ok(
        "mutation($id: ID!) { cancelShowtime(id: $id) { id } }",
        json!({ "id": cancelled }),
        Some(&f.admin),
    )
    .await;
    let cancelled_seat = ids(&seat_map(&app, &cancelled).await)[0].clone();

    let cases: Vec<(Value, &str)> = vec![
        (
            json!({ "s": uuid::Uuid::new_v4().to_string(), "seats": [all[0]] }),
            "NOT_FOUND",
        ),
        (
            json!({ "s": "not-an-id", "seats": [all[0]] }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "s": cancelled, "seats": [cancelled_seat] }),
            "CONFLICT",
        ),
        (
            json!({ "s": showtime, "seats": [foreign_seat] }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "s": showtime, "seats": [all[0], all[0]] }),
            "BAD_USER_INPUT",
        ),
        (json!({ "s": showtime, "seats": [] }), "BAD_USER_INPUT"),
        (
            json!({ "s": showtime, "seats": all[0..11] }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "s": showtime, "seats": ["seat-1"] }),
            "BAD_USER_INPUT",
        ),
    ];
    for (vars, expected) in cases {
        let body = app.gql(HOLD, vars.clone(), Some(&buyer)).await;
        assert_eq!(code(&body), expected, "{vars}: {body}");
    }
    assert_eq!(
        code(
            &app.gql(HOLD, json!({ "s": showtime, "seats": [all[0]] }), None)
                .await
        ),
        "UNAUTHENTICATED"
    );
    assert!(
        seat_map(&app, &showtime)
            .await
            .iter()
            .all(|s| s["status"] == "AVAILABLE")
    );
    let mine = app
        .ok("{ myBookings { id } }", json!({}), Some(&buyer))
        .await;
    assert!(mine["myBookings"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_retried_hold_with_the_same_key_returns_the_same_booking_even_concurrently() {
    let app = Arc::new(spawn_app().await);
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let buyer = app.customer("retry@example.com").await;
    let seats = all[5..7].to_vec();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, buyer, showtime, seats) =
                (app.clone(), buyer.clone(), showtime.clone(), seats.clone());
            tokio::spawn(
                async move { hold(&app, &buyer, &showtime, &seats, Some("checkout-42")).await },
            )
        })
        .collect();
    let mut booking_ids = HashSet::new();
    for t in tasks {
        let body = t.await.unwrap();
        booking_ids.insert(
            body["data"]["holdSeats"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned(),
        );
    }
    assert_eq!(booking_ids.len(), 1);
    let again = hold(&app, &buyer, &showtime, &seats, Some("checkout-42")).await;
    assert!(booking_ids.contains(again["data"]["holdSeats"]["id"].as_str().unwrap()));
    let mine = app
        .ok("{ myBookings { id } }", json!({}), Some(&buyer))
        .await;
    assert_eq!(mine["myBookings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn release_hold_gives_the_seats_back_at_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let first = app.customer("one@example.com").await;
    let second = app.customer("two@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": all[0..2] }),
            Some(&first),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap();
    let stranger = app
        .gql(RELEASE, json!({ "b": booking }), Some(&second))
        .await;
    assert_eq!(code(&stranger), "NOT_FOUND");
    let released = app.ok(RELEASE, json!({ "b": booking }), Some(&first)).await;
    assert_eq!(released["releaseHold"]["status"], "CANCELLED");
    assert!(
        seat_map(&app, &showtime)
            .await
            .iter()
            .all(|s| s["status"] == "AVAILABLE")
    );
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": all[0..2] }),
        Some(&second),
    )
    .await;
    let again = app
        .gql(RELEASE, json!({ "b": booking }), Some(&first))
        .await;
    assert_eq!(code(&again), "CONFLICT");
}

#[tokio::test]
async fn an_expired_hold_frees_its_seats_for_the_next_buyer_and_the_sweeper_spares_them() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let first = app.customer("slow@example.com").await;
    let second = app.customer("fast@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": all[0..2] }),
            Some(&first),
        )
        .await;
    let first_booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();

    app.clock.advance(chrono::Duration::minutes(11));
    let lapsed = app
        .ok(BOOKING, json!({ "b": first_booking }), Some(&first))
        .await;
    assert_eq!(lapsed["booking"]["status"], "EXPIRED");
    assert!(
        seat_map(&app, &showtime)
            .await
            .iter()
            .all(|s| s["status"] == "AVAILABLE")
    );
    let retaken = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": all[1..3] }),
            Some(&second),
        )
        .await;
    assert_eq!(retaken["holdSeats"]["status"], "HELD");
    assert_eq!(
        code(
            &app.gql(RELEASE, json!({ "b": first_booking }), Some(&first))
                .await
        ),
        "HOLD_EXPIRED"
    );

    // The sweeper stores the expiry but leaves the new holder's seats alone.
    while app.services.expiry.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    let map = seat_map(&app, &showtime).await;
    let held: Vec<&str> = map
        .iter()
        .filter(|s| s["status"] == "HELD")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(held, vec![all[1].as_str(), all[2].as_str()]);
}

#[tokio::test]
async fn a_hold_with_a_ttl_of_seconds_lapses_on_its_own_and_its_seats_come_back() {
    let app = spawn_app_with(|s| s.hold_ttl_seconds = Some(5)).await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let buyer = app.customer("brief@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": all[0..2] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let left = time(&held["holdSeats"]["expiresAt"]) - chrono::Utc::now();
    assert!(
        (1..=5).contains(&left.num_seconds()),
        "the hold lasts {left} rather than five seconds"
    );

    // No clock is moved: the sweeper lets the seats go once the five seconds are up.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let status = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
        if status["booking"]["status"] == "EXPIRED" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {status} after 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        seat_map(&app, &showtime)
            .await
            .iter()
            .all(|s| s["status"] == "AVAILABLE")
    );
}

#[tokio::test]
async fn bookings_are_visible_to_their_owner_and_admins_only() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 5).await;
    let all = ids(&seat_map(&app, &showtime).await);
    let owner = app.customer("owner@example.com").await;
    let other = app.customer("other@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [all[0]] }),
            Some(&owner),
        )
        .await;
    let id = held["holdSeats"]["id"].as_str().unwrap();
    assert_eq!(
        app.ok(BOOKING, json!({ "b": id }), Some(&owner)).await["booking"]["id"],
        id
    );
    assert!(app.ok(BOOKING, json!({ "b": id }), Some(&other)).await["booking"].is_null());
    assert_eq!(
        app.ok(BOOKING, json!({ "b": id }), Some(&f.admin)).await["booking"]["id"],
        id
    );
    assert_eq!(
        code(&app.gql(BOOKING, json!({ "b": id }), None).await),
        "UNAUTHENTICATED"
    );
}

/// xorshift64*: deterministic seat choices without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_racing_holders_never_share_a_seat() {
    let app = Arc::new(
        spawn_app_with(|s| {
            s.database_max_connections = 10;
            without_buyer_caps(s);
        })
        .await,
    );
    let (showtime, all) = opening_night(&app).await;
    assert_eq!(all.len(), 200);
    let mut buyers = Vec::new();
    for i in 0..40 {
        buyers.push(app.customer(&format!("buyer{i}@example.com")).await);
    }

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tasks: Vec<_> = (0..2_000)
        .map(|i| {
            let n = 1 + (rng.next() % 4) as usize;
            let start = (rng.next() % 200) as usize;
            // Neighbouring seats, as people pick them: heavy overlap between requests.
            let seats: Vec<String> = (0..n).map(|k| all[(start + k) % 200].clone()).collect();
            let (app, token, showtime) = (
                app.clone(),
                buyers[i % buyers.len()].clone(),
                showtime.clone(),
            );
            tokio::spawn(async move {
                let body = hold(&app, &token, &showtime, &seats, Some(&format!("race-{i}"))).await;
                (seats, token, body)
            })
        })
        .collect();
    let mut winners: HashMap<String, Vec<String>> = HashMap::new();
    let mut owner_of: HashMap<String, String> = HashMap::new();
    let mut losers = 0;
    for t in tasks {
        let (seats, token, body) = t.await.unwrap();
        match body["data"]["holdSeats"]["id"].as_str() {
            Some(id) => {
                winners.insert(id.to_owned(), seats);
                owner_of.insert(id.to_owned(), token);
            }
            None => {
                assert_eq!(code(&body), "SEAT_UNAVAILABLE", "{body}");
                losers += 1;
            }
        }
    }
    let mut claimed = HashSet::new();
    for seats in winners.values() {
        for s in seats {
            assert!(
                claimed.insert(s.clone()),
                "seat {s} is in two winning bookings"
            );
        }
    }
    let map = seat_map(&app, &showtime).await;
    let held: HashSet<String> = map
        .iter()
        .filter(|s| s["status"] == "HELD")
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let available = map.iter().filter(|s| s["status"] == "AVAILABLE").count();
    assert_eq!(
        held, claimed,
        "the seat map shows exactly the winners' seats as held"
    );
    assert_eq!(held.len() + available, 200);
    assert_eq!(winners.len() + losers, 2_000);
    assert!(!winners.is_empty() && losers > 0);

    // Every winner pays; the sold seats are exactly the tickets issued.
    let payments: Vec<_> = winners
        .keys()
        .map(|id| {
            let (app, id, token) = (app.clone(), id.clone(), owner_of[id].clone());
            tokio::spawn(async move {
                let body = app
                    .gql(
                        "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status tickets { seatId } } }",
                        json!({ "b": id }),
                        Some(&token),
                    )
                    .await;
                body["data"]["checkout"].clone()
            })
        })
        .collect();
    let mut ticketed = HashSet::new();
    for p in payments {
        let done = p.await.unwrap();
        assert_eq!(done["status"], "CONFIRMED", "{done}");
        for t in done["tickets"].as_array().unwrap() {
            assert!(
                ticketed.insert(t["seatId"].as_str().unwrap().to_owned()),
                "two tickets for one seat"
            );
        }
    }
    let map = seat_map(&app, &showtime).await;
    let sold: HashSet<String> = map
        .iter()
        .filter(|s| s["status"] == "SOLD")
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sold, ticketed);
    assert_eq!(sold, claimed);
    assert_eq!(app.fake().charge_count(), winners.len());
}

#[tokio::test]
async fn best_available_picks_neighbours_in_one_row_and_wheelchair_spaces_with_companions() {
    const BEST: &str = "mutation($s: ID!, $n: Int!, $c: SeatCategory) { holdBestAvailable(showtimeId: $s, count: $n, category: $c) { id seats { row number category } } }";
    let app = spawn_app().await;
    let (showtime, _) = opening_night(&app).await;
    let buyer = app.customer("best@example.com").await;
    let data = app
        .ok(BEST, json!({ "s": showtime, "n": 3 }), Some(&buyer))
        .await;
    let seats = data["holdBestAvailable"]["seats"].as_array().unwrap();
    assert_eq!(seats.len(), 3);
    let row = &seats[0]["row"];
    assert!(seats.iter().all(|s| &s["row"] == row), "one row: {seats:?}");
    let numbers: Vec<i64> = seats
        .iter()
        .map(|s| s["number"].as_i64().unwrap())
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "side by side: {numbers:?}"
    );

    let f = app.fixture().await;
    let small = app.showtime_at(&f, 5).await;
    let wheelchair = app
        .ok(
            BEST,
            json!({ "s": small, "n": 1, "c": "ACCESSIBLE" }),
            Some(&buyer),
        )
        .await;
    let cats: Vec<&str> = wheelchair["holdBestAvailable"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["category"].as_str().unwrap())
        .collect();
    assert_eq!(cats, vec!["ACCESSIBLE", "COMPANION"]);
    // The only wheelchair space is taken now.
    let none = app
        .gql(
            BEST,
            json!({ "s": small, "n": 1, "c": "ACCESSIBLE" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&none), "SEAT_UNAVAILABLE");
    assert_eq!(
        code(
            &app.gql(BEST, json!({ "s": small, "n": 0 }), Some(&buyer))
                .await
        ),
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn seat_maps_follow_every_committed_change_even_one_made_elsewhere() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let count = |map: &Value, status: &str| {
        map["showtime"]["seatMap"]["seats"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] == status)
            .count()
    };
    let map = || app.ok(SEAT_MAP, json!({ "s": showtime }), None);
    assert_eq!(count(&map().await, "HELD"), 0);
    let buyer = app.customer("fresh@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0], seats[1]] }),
            Some(&buyer),
        )
        .await;
    // Every concurrent reader after the commit sees it.
    for read in app.at_once(40, SEAT_MAP, json!({ "s": showtime })).await {
        assert_eq!(count(&read, "HELD"), 2);
    }
    // A change committed by another instance (here: straight to the database) shows too.
    let db = &app.services.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE show_seats SET status = 'blocked', version = version + 1 WHERE status = 'available'",
    ))
    .await
    .unwrap();
    let now = map().await;
    assert_eq!(count(&now, "AVAILABLE"), 0);
    assert_eq!(count(&now, "HELD"), 2);
    // A released hold, and a lapsed one, read as available at once.
    let id = held["holdSeats"]["id"].as_str().unwrap();
    app.ok(RELEASE, json!({ "b": id }), Some(&buyer)).await;
    assert_eq!(count(&map().await, "AVAILABLE"), 2);
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[0]] }),
        Some(&buyer),
    )
    .await;
    assert_eq!(count(&map().await, "HELD"), 1);
    app.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(count(&map().await, "AVAILABLE"), 2);
}

#[tokio::test]
async fn a_map_asked_for_after_a_commit_shows_it_while_a_herd_of_reads_is_in_flight() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let db = &app.services.db;
    let backend = db.get_database_backend();
    let block = if backend == DbBackend::Postgres {
        "UPDATE show_seats SET status = 'blocked', version = version + 1 WHERE seat_id = $1"
    } else {
        "UPDATE show_seats SET status = 'blocked', version = version + 1 WHERE seat_id = ?"
    };
    let blocked = |map: &Value| {
        map["showtime"]["seatMap"]["seats"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] != "AVAILABLE")
            .count()
    };
    // A herd keeps reads of the showtime's state in flight all along; they share reads.
    let stop = Arc::new(AtomicBool::new(false));
    let herd: Vec<_> = (0..12)
        .map(|_| {
            let (client, url, stop) = (app.client.clone(), app.address.clone(), stop.clone());
            let body = json!({ "query": SEAT_MAP, "variables": { "s": showtime } });
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let read = client.post(format!("{url}/graphql")).json(&body).send();
                    assert!(read.await.unwrap().status().is_success());
                }
            })
        })
        .collect();
    for (round, seat) in seats.iter().take(30).enumerate() {
        // Committed straight to the database, as another instance would; the map asked
        // for afterwards shows it, whatever read of the herd is in flight.
        db.execute_raw(Statement::from_sql_and_values(backend, block, [uuid(seat)]))
            .await
            .unwrap();
        let now = app.ok(SEAT_MAP, json!({ "s": showtime }), None).await;
        assert_eq!(blocked(&now), round + 1, "round {round}");
    }
    stop.store(true, Ordering::Relaxed);
    for reader in herd {
        reader.await.unwrap();
    }
}
