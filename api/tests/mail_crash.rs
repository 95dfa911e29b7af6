//! The server killed (SIGKILL) while its email worker waits on the SMTP server's reply,
//! with more messages queued behind: after a restart every email arrives, none twice.
//!
//! Needs the SMTP sink of scripts/test.sh (`TEST_SMTP_URL`, `TEST_SMTP_API`); its replies to
//! messages for `@slow.test` come after a delay, and it keeps nothing whose sender hung up.
//! Runs on the run's backend: the embedded SQLite, or PostgreSQL + Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{
    backend_env, count, create_admin_with, database, env_of, log_in, ok, sign_up, small_show, start,
};
use serde_json::{Value, json};

fn sink() -> (String, String) {
    (
        std::env::var("TEST_SMTP_URL")
            .expect("TEST_SMTP_URL (scripts/test.sh starts an SMTP sink)"),
        std::env::var("TEST_SMTP_API")
            .expect("TEST_SMTP_API (scripts/test.sh starts an SMTP sink)"),
    )
}

async fn get(url: String) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

async fn kept_for(api: &str, to: &str) -> Vec<Value> {
    get(format!("{api}/api/email?to={}", to.replace('@', "%40")))
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_send_loses_no_email_and_sends_none_twice() {
    let (smtp, api) = sink();
    let dir = tempfile::tempdir().unwrap();
    let backend = backend_env().await;
    create_admin_with(
        dir.path(),
        "ops@example.com",
        "an admin password",
        &env_of(&backend, &[]),
    );
    // SMTP commands time out at half the lease (4 s), after the sink's slow reply (2 s).
    let env = env_of(
        &backend,
        &[
            ("SMTP_URL", smtp.as_str()),
            ("MARQUEE_EMAIL_LEASE_SECONDS", "8"),
        ],
    );
    let mut server = start(dir.path(), "before", &env);
    let url = server.url.clone();
    let admin = log_in(&url, "ops@example.com", "an admin password").await;
    let (showtime, seats) = small_show(&url, &admin, "Last Reel", "SSSSSS").await;

    // The first buyer's email is slow to be accepted; four more queue up behind it.
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let mut buyers = vec![format!("first-{tag}@slow.test")];
    buyers.extend((1..5).map(|i| format!("next{i}-{tag}@example.com")));
    for (to, seat) in buyers.iter().zip(&seats) {
        let token = sign_up(&url, to).await;
        let held = ok(&url, Some(&token), "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }", json!({ "s": showtime, "seats": [seat] })).await;
        let paid = ok(&url, Some(&token), "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }", json!({ "b": held["holdSeats"]["id"] })).await;
        assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    }

    // Kill the server while the sink holds the slow message.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let waiting = get(format!("{api}/api/inflight")).await;
        if waiting["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == buyers[0].as_str())
        {
            break;
        }
        assert!(Instant::now() < deadline, "the slow email was never sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let mut before = 0;
    for to in &buyers {
        before += kept_for(&api, to).await.len();
    }
    assert!(
        before < buyers.len(),
        "the crash came after every email was sent"
    );

    // Restart: the rest go out at once, the interrupted one when its lease has lapsed.
    let server = start(dir.path(), "after", &env);
    let deadline = Instant::now() + Duration::from_secs(40);
    for to in &buyers {
        while kept_for(&api, to).await.is_empty() {
            if Instant::now() >= deadline {
                let log = std::fs::read_to_string(dir.path().join("server-after.log"))
                    .unwrap_or_default();
                panic!("no email for {to} after the restart\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    // Once nothing is left to send, no duplicate can still be coming.
    let db = database(dir.path(), &backend).await;
    while count(
        &db,
        "SELECT COUNT(*) FROM emails WHERE status <> 'sent'",
        [],
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the email queue never drained");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for to in &buyers {
        let kept = kept_for(&api, to).await;
        assert_eq!(kept.len(), 1, "{to}: {kept:?}");
        assert_eq!(kept[0]["subject"], "Your tickets for Last Reel");
    }
    let admin = log_in(&server.url, "ops@example.com", "an admin password").await;
    let sent = ok(
        &server.url,
        Some(&admin),
        "{ emails(status: SENT, first: 10) { edges { node { recipient attempts } } } }",
        json!({}),
    )
    .await;
    let sent = sent["emails"]["edges"].as_array().unwrap();
    assert_eq!(sent.len(), buyers.len());
    let interrupted = sent
        .iter()
        .find(|e| e["node"]["recipient"] == buyers[0].as_str())
        .unwrap();
    assert_eq!(interrupted["node"]["attempts"], 2);
}
