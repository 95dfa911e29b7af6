//! The waitlist under a race: many waiters, seats released at once by cancellations and by
//! holds lapsing, offers made by passes running side by side on two instances of one
//! deployment, and buyers trying to snatch the released seats meanwhile. The verdict is
//! read from the database: no seat in two live bookings, every offer a held booking of its
//! own distinct seats, and none of the released seats taken by anyone but the line.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use marquee::config::Settings;
use marquee_domain::clock::Clock;
use secrecy::SecretString;
use serde_json::json;
use tokio::sync::Barrier;

use crate::helpers::*;
use crate::waitlist::{HOLD, hold, join, offer_all, small_showtime};

const SEATS: usize = 24;
const WAITERS: usize = 16;
const SNIPERS: usize = 6;

/// Two instances on one database (and, on PostgreSQL, one Redis under one prefix).
async fn two_instances(
    adjust: impl Fn(&mut Settings) + Clone + Send + 'static,
) -> (TestApp, TestApp) {
    let shared: Arc<Mutex<Option<(SecretString, String)>>> = Arc::default();
    let first = {
        let (shared, adjust) = (shared.clone(), adjust.clone());
        spawn_app_with(move |s| {
            adjust(s);
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.database_url = Some(database);
        s.redis_prefix = prefix;
        adjust(s);
    })
    .await;
    (first, second)
}

/// Passes of the waitlist worker, on one instance, while the releases go on.
async fn passes(app: Arc<TestApp>, start: Arc<Barrier>) {
    start.wait().await;
    for _ in 0..15 {
        app.services
            .waitlist_offers
            .try_execute_task()
            .await
            .unwrap();
        tokio::task::yield_now().await;
    }
}

/// A buyer trying to hold released seats while people wait; returns what they got.
async fn snipe(
    app: Arc<TestApp>,
    token: String,
    showtime: String,
    seats: Vec<String>,
    k: usize,
    start: Arc<Barrier>,
) -> Vec<String> {
    start.wait().await;
    let mut won = Vec::new();
    for attempt in 0..15 {
        let pair = [
            seats[(k * 5 + attempt) % SEATS].clone(),
            seats[(k * 5 + attempt + 1) % SEATS].clone(),
        ];
        let body = app
            .gql(HOLD, json!({ "s": showtime, "seats": pair }), Some(&token))
            .await;
        match body["data"]["holdSeats"]["id"].as_str() {
            Some(id) => won.push(id.to_owned()),
            None => assert_eq!(code(&body), "SEAT_UNAVAILABLE", "{body}"),
        }
    }
    won
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn released_seats_go_to_the_line_once_each_however_the_releases_and_offers_race() {
    let (a, b) = two_instances(|s| {
        s.run_workers = false;
        s.hold_ttl_seconds = Some(60);
        s.waitlist_offer_seconds = 3_600;
        without_buyer_caps(s);
    })
    .await;
    let (a, b) = (Arc::new(a), Arc::new(b));
    let (showtime, seats) = small_showtime(&a, SEATS).await;
    let holder = a.customer("holder@example.com").await;
    let mut sold = Vec::new();
    for pair in seats.chunks(2) {
        sold.push(hold(&a, &holder, &showtime, pair).await);
    }
    let mut waiters = Vec::new();
    for i in 0..WAITERS {
        let token = a.customer(&format!("waiter{i}@example.com")).await;
        let app = if i % 2 == 0 { &a } else { &b };
        join(app, &token, &showtime, 1 + (i % 3) as i32).await;
        waiters.push(token);
    }
    let mut snipers = Vec::new();
    for i in 0..SNIPERS {
        snipers.push(a.customer(&format!("sniper{i}@example.com")).await);
    }

    // Wave one: half the holds cancelled at once through both instances.
    let start = Arc::new(Barrier::new(6 + 4 + SNIPERS));
    let mut tasks = Vec::new();
    for (i, booking) in sold[..6].iter().enumerate() {
        let (app, token, booking, start) = (
            if i % 2 == 0 { a.clone() } else { b.clone() },
            holder.clone(),
            booking.clone(),
            start.clone(),
        );
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            app.ok(
                "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }",
                json!({ "b": booking }),
                Some(&token),
            )
            .await;
            Vec::new()
        }));
    }
    for app in [&a, &b, &a, &b] {
        let (app, start) = (app.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            passes(app, start).await;
            Vec::new()
        }));
    }
    for (k, token) in snipers.iter().enumerate() {
        let app = if k % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(snipe(
            app,
            token.clone(),
            showtime.clone(),
            seats.clone(),
            k,
            start.clone(),
        )));
    }
    let mut sniped = Vec::new();
    for t in tasks {
        sniped.extend(t.await.unwrap());
    }

    // Wave two: the other holds lapse, and both instances' expiry workers free them at once.
    for app in [&a, &b] {
        app.clock.advance(Duration::seconds(61));
    }
    let start = Arc::new(Barrier::new(4 + 4 + SNIPERS));
    let mut tasks = Vec::new();
    for app in [&a, &b, &a, &b] {
        let (app, start) = (app.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            while app.services.expiry.try_execute_task().await.unwrap()
                == marquee_domain::booking::ExecutionOutcome::TaskCompleted
            {}
            Vec::new()
        }));
    }
    for app in [&a, &b, &a, &b] {
        let (app, start) = (app.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            passes(app, start).await;
            Vec::new()
        }));
    }
    for (k, token) in snipers.iter().enumerate() {
        let app = if k % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(snipe(
            app,
            token.clone(),
            showtime.clone(),
            seats.clone(),
            k + 3,
            start.clone(),
        )));
    }
    for t in tasks {
        sniped.extend(t.await.unwrap());
    }
    offer_all(&a).await;
    offer_all(&b).await;

    assert!(
        sniped.is_empty(),
        "buyers took released seats while people waited: {sniped:?}"
    );
    let now = a.clock.now();
    // No seat is claimed by two live bookings (claims overtaken included).
    let doubled = sql_texts(
        &a,
        "SELECT COUNT(*) FROM (SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id \
         WHERE b.showtime_id = $1 AND (b.status IN ('payment_pending', 'confirmed') OR (b.status = 'held' AND b.expires_at > $2)) \
         GROUP BY bs.seat_id HAVING COUNT(*) > 1) doubled",
        [uuid(&showtime), now.into()],
    )
    .await;
    assert_eq!(doubled, ["0"], "seats in two live bookings");
    // Every offer is a held booking of the waiter's own seats, which the seats name.
    let offers = sql_texts(
        &a,
        "SELECT CAST(w.seats AS TEXT) || ' ' || CAST(COUNT(bs.seat_id) AS TEXT) || ' ' || CAST(SUM(CASE WHEN s.booking_id = b.id AND s.status = 'held' THEN 1 ELSE 0 END) AS TEXT) || ' ' || b.status \
         FROM waitlist_entries w JOIN bookings b ON b.id = w.offer_booking_id \
         JOIN booking_seats bs ON bs.booking_id = b.id \
         JOIN show_seats s ON s.showtime_id = bs.showtime_id AND s.seat_id = bs.seat_id \
         WHERE w.showtime_id = $1 AND w.status = 'offered' GROUP BY w.id, w.seats, b.status",
        [uuid(&showtime)],
    )
    .await;
    for o in &offers {
        let parts: Vec<&str> = o.split(' ').collect();
        assert_eq!(parts[0], parts[1], "an offer of the wrong size: {o}");
        assert_eq!(
            parts[1], parts[2],
            "an offer whose seats name another booking: {o}"
        );
        assert_eq!(parts[3], "held", "{o}");
    }
    let offered_seats: usize = offers
        .iter()
        .map(|o| o.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(
        offered_seats, SEATS,
        "every released seat went to the line: {offers:?}"
    );
    // Each offer is one booking, and no waiter has two.
    let bookings = sql_texts(
        &a,
        "SELECT CAST(COUNT(*) AS TEXT) || ' ' || CAST(COUNT(DISTINCT user_id) AS TEXT) FROM bookings \
         WHERE showtime_id = $1 AND status_reason = 'offered from the waitlist'",
        [uuid(&showtime)],
    )
    .await;
    assert_eq!(
        bookings,
        [format!("{0} {0}", offers.len())],
        "one offer per waiter"
    );
    let waiting = sql_texts(
        &a,
        "SELECT COUNT(*) FROM waitlist_entries WHERE showtime_id = $1 AND status = 'waiting'",
        [uuid(&showtime)],
    )
    .await;
    assert_eq!(waiting, [(WAITERS - offers.len()).to_string()]);
}
