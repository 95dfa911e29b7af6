//! The change feed while its Redis bus is cut: inbox entries and emails do not wait for it.
//! Each test runs its own Redis server (on both backends), so that it can be killed.

use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};

use crate::booking_faults::OwnRedis;
use crate::helpers::*;
use crate::mail::{address, received, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const INBOX: &str = "{ notifications(first: 20) { edges { node { kind bookingId } } } }";

/// Counts rows of a query that selects one count.
async fn count(app: &TestApp, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.services.db.get_database_backend();
    app.services
        .db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    app.ok(INBOX, json!({}), Some(token)).await["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn with_the_bus_cut_a_booking_still_gets_its_email_and_inbox_entry_once_and_no_more_after() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url.clone();
    let app = spawn_app_with(move |s| {
        s.redis_url = Some(SecretString::from(url));
        s.smtp_url = Some(SecretString::from(smtp_url()));
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("buscut", "example.com");
    let buyer = app.customer(&to).await;

    redis.kill();
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");

    // With Redis still down: the email reaches the server, the entry the inbox.
    let mail = wait_for(&to, 1, Duration::from_secs(15)).await;
    assert_eq!(
        mail.len(),
        1,
        "no confirmation email while the bus was cut: {mail:?}"
    );
    assert_eq!(mail[0]["subject"], "Your tickets for Blockbuster");
    let entries = inbox(&app, &buyer).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["kind"], "booking.confirmed");
    assert_eq!(entries[0]["bookingId"], booking.as_str());
    // The cut was real: the booking's events (keyed by its id, as text) are not published yet.
    let unpublished = "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND \"key\" = $1";
    assert!(count(&app, unpublished, vec![booking.clone().into()]).await > 0);

    // Redis back: the relay publishes what waited, and nothing is told twice.
    redis.restart().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL",
        vec![],
    )
    .await
        > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the relay never caught up once Redis was back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let emails = "SELECT COUNT(*) FROM emails WHERE recipient = $1 AND status = 'sent'";
    assert_eq!(count(&app, emails, vec![to.clone().into()]).await, 1);
    let all = "SELECT COUNT(*) FROM emails WHERE recipient = $1";
    assert_eq!(count(&app, all, vec![to.clone().into()]).await, 1);
    assert_eq!(received(&to).await.len(), 1);
    assert_eq!(inbox(&app, &buyer).await.len(), 1);
}
