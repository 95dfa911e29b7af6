//! A crash between the charge and the confirmation: the server is killed (SIGKILL) while
//! the gateway has taken the money; after a restart the booking ends confirmed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{create_admin, gql, log_in, ok, sign_up, small_show, start};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_the_charge_ends_in_a_confirmed_booking_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    create_admin(dir.path(), "ops@example.com", "an admin password");
    let fault = [
        ("MARQUEE_FAKE_GATEWAY_FAULT", "hang_after_charge"),
        ("MARQUEE_RECONCILE_AFTER_SECONDS", "1"),
    ];
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
        &[("MARQUEE_RECONCILE_AFTER_SECONDS", "1")],
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
    // One charge in the ledger: nothing was charged twice by the restart.
    let charges = std::fs::read_to_string(&ledger)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"charge\""))
        .count();
    assert_eq!(charges, 1);
    drop(server);
}
