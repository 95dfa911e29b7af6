//! A database that cannot be reached for now (a failover, a pool with no connection to
//! give) answers a retryable `SERVICE_UNAVAILABLE` with a generic message, never the
//! driver's text, and nothing is written; once it answers again the same request works.

use std::time::{Duration, Instant};

use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde_json::json;

use crate::helpers::*;

const POOL: u32 = 2;
const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id status } }";

/// Every connection of the app's pool, each in an open transaction.
async fn take_pool(app: &TestApp) -> Vec<DatabaseTransaction> {
    let mut held = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while held.len() < POOL as usize {
        assert!(Instant::now() < deadline, "the pool stayed busy");
        if let Ok(tx) = app.services.db.begin().await {
            held.push(tx);
        }
    }
    held
}

#[tokio::test]
async fn requests_while_no_database_connection_can_be_had_are_refused_as_retryable_and_write_nothing()
 {
    let app = spawn_app_with(|s| {
        s.database_max_connections = POOL;
        s.database_acquire_timeout_ms = 300;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("retry@example.com").await;
    let pick = json!({ "s": showtime, "seats": [seats[0], seats[1]] });

    let pool = take_pool(&app).await;
    let hold = app.gql(HOLD, pick.clone(), Some(&buyer)).await;
    // The seat map: its seats' states are read from the database on every request (the
    // showtime's row itself may be served from memory).
    let read = app
        .gql(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id status } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await;
    drop(pool);

    for body in [&hold, &read] {
        assert_eq!(code(body), "SERVICE_UNAVAILABLE", "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert_eq!(
            message, "the database cannot be reached for now; try again shortly",
            "{body}"
        );
    }
    let stored = db_seat_statuses(&app, &showtime).await;
    assert!(
        stored.values().all(|s| s == "AVAILABLE"),
        "a refused hold wrote seats: {stored:?}"
    );

    // Answering again, the same hold goes through.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = app.gql(HOLD, pick.clone(), Some(&buyer)).await;
        if body.get("errors").is_none() {
            assert_eq!(body["data"]["holdSeats"]["status"], "HELD", "{body}");
            break;
        }
        assert_eq!(code(&body), "SERVICE_UNAVAILABLE", "{body}");
        assert!(
            Instant::now() < deadline,
            "the hold never went through: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
