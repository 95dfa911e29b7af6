//! Hold expiry is judged by the instance's clock: one whose clock runs ahead of the
//! database's by more than the bound refuses to hold or sell, so it cannot take another
//! buyer's hold early.

use std::sync::Arc;

use marquee_domain::clock::OffsetClock;
use marquee_domain::clock_skew::SkewGuard;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_instance_whose_clock_runs_ahead_of_the_database_refuses_holds() {
    let app = spawn_app_with(|s| s.max_clock_skew_ms = 1_000).await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;
    let buyer = app.customer("fast-clock@example.com").await;
    app.clock.advance(chrono::Duration::minutes(11));
    let refused = app
        .gql(
            "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
            json!({ "s": showtime, "seats": [seats[4]] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&refused), "SERVICE_UNAVAILABLE", "{refused}");
    assert!(
        seat_statuses(&app, &showtime)
            .await
            .values()
            .all(|s| s == "AVAILABLE")
    );
}

#[tokio::test]
async fn the_skew_is_measured_against_the_database_within_the_round_trip() {
    let app = spawn_app().await;
    let ahead = Arc::new(OffsetClock::default());
    ahead.advance(chrono::Duration::seconds(90));
    let guard = SkewGuard::new(
        app.services.db.clone(),
        ahead,
        Some(chrono::Duration::seconds(1)),
    );
    let skew = guard.measure().await.unwrap();
    assert!(
        (skew - chrono::Duration::seconds(90)).abs() < chrono::Duration::milliseconds(500),
        "{skew}"
    );
    assert!(guard.check().await.is_err());
    let in_step = SkewGuard::new(
        app.services.db.clone(),
        Arc::new(OffsetClock::default()),
        Some(chrono::Duration::seconds(1)),
    );
    assert!(in_step.check().await.is_ok());
}
