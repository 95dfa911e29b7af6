//! The SMTP server of the test run (scripts/mailsink.py, started by scripts/test.sh).

use std::time::Duration;

use serde_json::Value;

/// Where the apps under test send.
pub fn smtp_url() -> String {
    std::env::var("TEST_SMTP_URL")
        .expect("TEST_SMTP_URL must name an SMTP server (scripts/test.sh starts one)")
}

fn api() -> String {
    std::env::var("TEST_SMTP_API")
        .expect("TEST_SMTP_API must name the SMTP server's HTTP API (scripts/test.sh starts one)")
}

/// An address no other test uses; `local` steers the server (`reject…`, `flaky…`,
/// `stallN…`).
pub fn address(local: &str, domain: &str) -> String {
    format!("{local}-{}@{domain}", uuid::Uuid::new_v4().simple())
}

/// The messages the server kept for `to`, parsed (subject, text, html, inline images…).
pub async fn received(to: &str) -> Vec<Value> {
    reqwest::Client::new()
        .get(format!("{}/api/email", api()))
        .query(&[("to", to)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits until `to` has `n` messages (or `within` passes); returns what is there.
pub async fn wait_for(to: &str, n: usize, within: Duration) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let got = received(to).await;
        if got.len() >= n || tokio::time::Instant::now() >= deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether the server is holding back its reply to a message for `to` (a stall or a slow
/// reply under way).
pub async fn in_flight(to: &str) -> bool {
    let body: Value = reqwest::Client::new()
        .get(format!("{}/api/inflight", api()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == to)
}
