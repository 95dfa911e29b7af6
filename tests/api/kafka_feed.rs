//! The event feed: with `kafka_brokers` set, every outbox event of an on-sale reaches Kafka
//! exactly as the outbox holds it, keyed and in order per key, at least once; a broker that
//! is down or frozen loses and reorders nothing, and the bus and seat map go on meanwhile.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use marquee::config::Settings;
use marquee_domain::booking::ExecutionOutcome;
use marquee_entity::outbox;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::*;
use crate::kafka_reader::*;
use crate::live::{SEAT_UPDATES, apply, open, subscribe};
use crate::subscriptions::next_json;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const PARTITIONS: u32 = 3;

fn feed(brokers: String, prefix: String) -> impl FnOnce(&mut Settings) {
    move |s| {
        s.kafka_brokers = Some(brokers);
        s.kafka_topic_prefix = prefix;
        s.kafka_partitions = PARTITIONS;
        s.kafka_timeout_ms = 1_000;
        without_buyer_caps(s);
    }
}

/// Buyers signed up for the sale.
async fn buyers(app: &TestApp, n: usize) -> Vec<String> {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    join_all((0..n).map(|i| {
        let email = format!("fan{i}-{tag}@example.com");
        async move { app.customer(&email).await }
    }))
    .await
}

/// One round of the sale on `seats`: every buyer races for one of four pairs (two buyers
/// per pair); of the winners the first two pay, the third releases, the fourth keeps its
/// hold (to lapse). Returns how many holds won.
async fn round(app: &TestApp, showtime: &str, seats: &[String], buyers: &[String]) -> usize {
    let attempts = join_all(buyers.iter().enumerate().map(|(i, buyer)| {
        let pair = [seats[i % 4 * 2].clone(), seats[i % 4 * 2 + 1].clone()];
        async move {
            let body = app
                .gql(HOLD, json!({ "s": showtime, "seats": pair }), Some(buyer))
                .await;
            body["data"]["holdSeats"]["id"]
                .as_str()
                .map(|b| (buyer.clone(), b.to_owned()))
        }
    }))
    .await;
    let won: Vec<(String, String)> = attempts.into_iter().flatten().collect();
    assert!(!won.is_empty(), "no hold won");
    let mut tasks = Vec::new();
    for (i, (buyer, booking)) in won.iter().enumerate() {
        tasks.push(async move {
            match i {
                0 | 1 => {
                    let paid = app.ok(CHECKOUT, json!({ "b": booking }), Some(buyer)).await;
                    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
                }
                2 => {
                    app.ok(RELEASE, json!({ "b": booking }), Some(buyer)).await;
                }
                _ => {}
            }
        });
    }
    join_all(tasks).await;
    won.len()
}

/// Lets every hold still open lapse, and releases them as the worker does.
async fn expire_holds(app: &TestApp) {
    app.clock.advance(chrono::Duration::minutes(11));
    while app.services.expiry.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sql_texts(app, sql, []).await[0].parse().unwrap()
}

/// Waits until every outbox row is exported.
async fn exported(app: &TestApp, within: Duration) {
    let started = Instant::now();
    loop {
        let left = count(app, "SELECT COUNT(*) FROM outbox WHERE exported_at IS NULL").await;
        if left == 0 {
            return;
        }
        assert!(
            started.elapsed() < within,
            "{left} outbox rows still not exported after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.services.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_consumer_reads_every_event_of_an_on_sale_as_the_outbox_holds_it() {
    let brokers = run_broker();
    let prefix = own_prefix();
    let app = spawn_app_with(feed(brokers.clone(), prefix.clone())).await;
    let (showtime, seats) = opening_night(&app).await;
    let fans = buyers(&app, 8).await;
    let mut won = 0;
    for r in 0..3 {
        won += round(&app, &showtime, &seats[r * 8..r * 8 + 8], &fans).await;
    }
    expire_holds(&app).await;
    exported(&app, Duration::from_secs(30)).await;

    let rows = outbox_rows(&app).await;
    let records = read_all(&brokers, &prefix).await;
    let repeats = check_feed(&rows, &records, &prefix, PARTITIONS as i32);
    let topics: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.topic.as_str()).collect();
    for t in [
        "seat.changes",
        "booking.status",
        "booking.confirmed",
        "showtime.added",
    ] {
        assert!(topics.contains(t), "no {t} event in the sale: {topics:?}");
    }
    eprintln!(
        "{} holds won, {} outbox events, {} records ({repeats} repeats) in {} topics",
        won,
        rows.len(),
        records.len(),
        topics.len()
    );
    assert!(
        app.metric("marquee_feed_exported_total").await >= rows.len() as f64,
        "exported counter"
    );
}

#[tokio::test]
async fn a_broker_down_or_frozen_loses_and_reorders_nothing_and_the_bus_goes_on() {
    let port = closed_port();
    let brokers = format!("127.0.0.1:{port}");
    let prefix = own_prefix();
    let app = spawn_app_with(feed(brokers.clone(), prefix.clone())).await;
    let (showtime, seats) = opening_night(&app).await;
    let fans = buyers(&app, 8).await;
    let mut map = std::collections::HashMap::new();
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let first = next_json(&mut socket).await.unwrap();
    apply(&mut map, &first["payload"]["data"]["seatMapUpdates"]);

    // Down: nothing listens on the broker's port.
    round(&app, &showtime, &seats[0..8], &fans).await;
    // The bus still carries the sale to the seat map, and the relay and the inbox keep up.
    let started = Instant::now();
    let mut changes = 0;
    while changes == 0 || map != seat_statuses(&app, &showtime).await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the seat map did not follow the sale while the feed was down"
        );
        let msg = next_json(&mut socket).await.expect("seat-map update");
        if msg["type"] == "next" {
            changes += apply(&mut map, &msg["payload"]["data"]["seatMapUpdates"]).len();
        }
    }
    let started = Instant::now();
    while count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL OR derived_at IS NULL",
    )
    .await
        > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "relay or inbox held up by the feed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE exported_at IS NOT NULL"
        )
        .await,
        0,
        "rows marked exported while no broker could have acknowledged them"
    );
    assert!(app.metric("marquee_feed_export_failures_total").await >= 1.0);
    assert!(app.metric("marquee_feed_export_lag_seconds").await > 0.0);

    // Up: everything written meanwhile goes out.
    let broker = PrivateBroker::start(port).await;
    exported(&app, Duration::from_secs(60)).await;

    // Frozen mid-sale: requests time out, and the sale goes on.
    round(&app, &showtime, &seats[8..16], &fans).await;
    broker.pause();
    round(&app, &showtime, &seats[16..24], &fans).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let waiting = count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE exported_at IS NULL",
    )
    .await;
    broker.resume();
    assert!(waiting > 0, "nothing waited for the frozen broker");
    expire_holds(&app).await;
    exported(&app, Duration::from_secs(60)).await;

    let rows = outbox_rows(&app).await;
    let records = read_all(&brokers, &prefix).await;
    let repeats = check_feed(&rows, &records, &prefix, PARTITIONS as i32);
    eprintln!(
        "{} outbox events, {} records ({repeats} repeats) after an outage and a freeze",
        rows.len(),
        records.len()
    );
    drop(broker);
}

/// An outbox row as a domain write makes it, already published and derived (only the feed
/// is to read it).
fn row(key: &str, n: i64) -> outbox::ActiveModel {
    use sea_orm::Set;
    let now = chrono::Utc::now();
    outbox::ActiveModel {
        topic: Set("catalog.changed".into()),
        key: Set(key.into()),
        payload: Set(json!({ "kind": "movie", "id": key, "n": n })),
        created_at: Set(now),
        published_at: Set(Some(now)),
        derived_at: Set(Some(now)),
        exported_at: Set(None),
        attempts: Set(1),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_id_committed_after_a_later_one_is_still_exported_first() {
    use sea_orm::{ActiveModelTrait, TransactionTrait};
    if !postgresql_only("an_id_committed_after_a_later_one_is_still_exported_first") {
        return;
    }
    let brokers = run_broker();
    let prefix = own_prefix();
    let app = spawn_app_with(feed(brokers.clone(), prefix.clone())).await;
    let key = uuid::Uuid::new_v4().to_string();
    // The first id is taken by a transaction that commits only after the second's.
    let slow = app.services.db.begin().await.unwrap();
    let first = row(&key, 1).insert(&slow).await.unwrap().id;
    let second = row(&key, 2).insert(&app.services.db).await.unwrap().id;
    assert!(first < second);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let early = sql_texts(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE exported_at IS NOT NULL AND id >= $1",
        [second.into()],
    )
    .await;
    assert_eq!(
        early,
        ["0"],
        "exported while an earlier id was still to commit"
    );
    slow.commit().await.unwrap();
    exported(&app, Duration::from_secs(30)).await;
    let rows = outbox_rows(&app).await;
    let records = read_all(&brokers, &prefix).await;
    check_feed(&rows, &records, &prefix, PARTITIONS as i32);
}
