//! A crash between the charge and the confirmation: the server is killed (SIGKILL) while
//! the gateway has taken the money; after a restart the booking ends confirmed, charged
//! once, never refunded, and the buyer is told once. On both backends: the embedded SQLite,
//! or PostgreSQL + Redis when the run names them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{
    backend_env, count, create_admin_with, database, env_of, gql, log_in, ok, sign_up, small_show,
    start,
};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_the_charge_ends_in_one_charge_confirmed_ticketed_and_told_once_after_restart()
 {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend_env().await;
    create_admin_with(
        dir.path(),
        "ops@example.com",
        "an admin password",
        &env_of(&backend, &[]),
    );
    let fault = env_of(
        &backend,
        &[
            ("MARQUEE_FAKE_GATEWAY_FAULT", "hang_after_charge"),
            ("MARQUEE_RECONCILE_AFTER_SECONDS", "1"),
        ],
    );
    let mut server = start(dir.path(), "hang_after_charge", &fault);
    let url = server.url.clone();
    let admin = log_in(&url, "ops@example.com", "an admin password").await;
    let (showtime, seats) = small_show(&url, &admin, "Blackout", "SSSSSS").await;
    let seats: Vec<Value> = seats[..2].to_vec();
    let buyer = sign_up(&url, "buyer@example.com").await;
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
    server.kill();
    pending.abort();

    // Restart: reconciliation asks the gateway and confirms.
    let server = start(
        dir.path(),
        "none",
        &env_of(&backend, &[("MARQUEE_RECONCILE_AFTER_SECONDS", "1")]),
    );
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
    // The gateway's own record: one charge, nothing refunded.
    let ledger = std::fs::read_to_string(&ledger).unwrap();
    let entries = |kind: &str| {
        ledger
            .lines()
            .filter(|l| l.contains(&format!("\"kind\":\"{kind}\"")))
            .count()
    };
    assert_eq!((entries("charge"), entries("refund")), (1, 0), "{ledger}");

    // The database agrees, once every change of the confirmation has been published and
    // every email it queued has left.
    let db = database(dir.path(), &backend).await;
    let id = || -> sea_orm::Value { uuid::Uuid::parse_str(&booking).unwrap().into() };
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(
        &db,
        "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL",
        [],
    )
    .await
        > 0
        || count(
            &db,
            "SELECT COUNT(*) FROM emails WHERE status <> 'sent'",
            [],
        )
        .await
            > 0
    {
        assert!(
            Instant::now() < deadline,
            "the change feed or the email queue never drained"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let one = |sql: &'static str| {
        let db = &db;
        async move { count(db, sql, [id()]).await }
    };
    assert_eq!(
        one("SELECT COUNT(*) FROM payments WHERE booking_id = $1 AND status = 'succeeded'").await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM payments WHERE booking_id = $1").await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM refunds WHERE booking_id = $1").await,
        0
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM tickets WHERE booking_id = $1").await,
        2
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM show_seats WHERE booking_id = $1 AND status = 'sold'").await,
        2
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM emails WHERE booking_id = $1 AND kind = 'booking.confirmed'")
            .await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM emails WHERE booking_id = $1").await,
        1
    );

    // The buyer is told once: one inbox entry, one email delivered (the file transport).
    let inbox = ok(
        &url,
        Some(&buyer),
        "{ notifications(first: 10) { edges { node { kind bookingId } } } }",
        json!({}),
    )
    .await;
    let entries = inbox["notifications"]["edges"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{inbox}");
    assert_eq!(entries[0]["node"]["kind"], "booking.confirmed");
    assert_eq!(entries[0]["node"]["bookingId"], booking.as_str());
    let delivered = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .filter(|m| m.contains("buyer@example.com"))
        .count();
    assert_eq!(delivered, 1);
    drop(server);
}
