//! Catalog lists are read from a streaming standby while it is provably within its
//! staleness bound, and from the primary once it may be staler; lookups by id and the
//! booking path never read it. The standby is the run's own (scripts/test.sh starts one);
//! its replay is paused to make it fall behind.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::helpers::*;

const MAX_LAG_MS: u64 = 3_000;
/// A list resolved for each request (the screen is not among the fields kept per catalog
/// generation), so the standby may serve it.
const LIST: &str = "query($t: ID!) { showtimes(theatreId: $t) { id screen { id } } }";
/// A list kept per catalog generation: read once from the primary after each change heard.
const KEPT: &str = "query($t: ID!) { showtimes(theatreId: $t) { id } }";
const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";

fn standby_admin_url() -> String {
    std::env::var("TEST_DATABASE_READ_URL").expect(
        "TEST_DATABASE_READ_URL is not set: run through scripts/test.sh, which starts a standby",
    )
}

fn listed(body: &Value) -> Vec<String> {
    body["showtimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until the app proves its standby within the bound.
async fn until_fresh(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let bound = Duration::from_millis(MAX_LAG_MS);
    while app.services.reads.staleness().is_none_or(|s| s > bound) {
        assert!(
            Instant::now() < deadline,
            "the standby was never proved fresh"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn catalog_lists_come_from_the_standby_only_while_it_is_provably_fresh() {
    if !postgresql_only("catalog_lists_come_from_the_standby_only_while_it_is_provably_fresh") {
        return;
    }
    let standby_admin = standby_admin_url();
    let base = standby_admin.rsplit_once('/').unwrap().0.to_owned();
    let app = spawn_app_with(|s| {
        let primary = s.database_url.as_ref().unwrap().expose_secret().to_owned();
        let name = primary.rsplit('/').next().unwrap().to_owned();
        s.database_read_url = Some(format!("{base}/{name}").into());
        s.database_read_max_lag_ms = MAX_LAG_MS;
    })
    .await;
    let f = app.fixture().await;
    let first = app.showtime_at(&f, 30).await;
    until_fresh(&app).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !listed(&app.ok(LIST, json!({ "t": f.theatre_id }), None).await).contains(&first) {
        assert!(
            Instant::now() < deadline,
            "the standby never listed the showtime"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let replica_reads = app
        .metric("marquee_db_stale_reads_total{pool=\"replica\"}")
        .await;
    assert!(replica_reads > 0.0, "no list was read from the standby");

    let standby = Database::connect(&standby_admin).await.unwrap();
    standby
        .execute_unprepared("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    let paused = Instant::now();
    // Observed while the standby stands still; asserted after its replay resumes, so that a
    // failure leaves the run's standby replaying.
    let observed = async {
        let second = app.showtime_at(&f, 40).await;
        let right_after = listed(&app.ok(LIST, json!({ "t": f.theatre_id }), None).await);
        let listed_after = paused.elapsed();
        let kept = listed(&app.ok(KEPT, json!({ "t": f.theatre_id }), None).await);
        let by_id = app
            .ok(
                "query($s: ID!) { showtime(id: $s) { id } }",
                json!({ "s": second }),
                None,
            )
            .await;
        let seats = seat_ids(&app, &first).await;
        let buyer = app.customer("standby@example.com").await;
        app.ok(
            HOLD,
            json!({ "s": first, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
        let statuses = seat_statuses(&app, &first).await;
        let mut caught_up_after = None;
        while paused.elapsed() < Duration::from_millis(MAX_LAG_MS) + Duration::from_secs(5) {
            if listed(&app.ok(LIST, json!({ "t": f.theatre_id }), None).await).contains(&second) {
                caught_up_after = Some(paused.elapsed());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let staleness = app.metric("marquee_db_replica_staleness_seconds").await;
        let primary_reads = app
            .metric("marquee_db_stale_reads_total{pool=\"primary\"}")
            .await;
        (
            second,
            right_after,
            listed_after,
            kept,
            by_id,
            seats[0].clone(),
            statuses,
            caught_up_after,
            staleness,
            primary_reads,
        )
    }
    .await;
    standby
        .execute_unprepared("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    let (
        second,
        right_after,
        listed_after,
        kept,
        by_id,
        seat,
        statuses,
        caught_up_after,
        staleness,
        primary_reads,
    ) = observed;

    // Within the bound the list is the standby's: the new showtime is not on it yet.
    assert!(
        listed_after < Duration::from_millis(MAX_LAG_MS),
        "the list took {listed_after:?}; too slow to prove anything"
    );
    assert!(
        right_after.contains(&first) && !right_after.contains(&second),
        "{right_after:?}"
    );
    // A kept list was read from the primary at the change's generation.
    assert!(kept.contains(&first) && kept.contains(&second), "{kept:?}");
    // Lookups by id and seat maps read the primary.
    assert_eq!(by_id["showtime"]["id"], json!(second));
    let held = statuses.get(&seat).map(String::as_str);
    assert_eq!(held, Some("HELD"), "{statuses:?}");
    // Past the bound, while the standby still stands still, the list is the primary's.
    let caught_up_after = caught_up_after.expect("the list never showed the new showtime");
    assert!(
        caught_up_after >= Duration::from_millis(MAX_LAG_MS) / 2,
        "the new showtime was listed after {caught_up_after:?}, before the standby could be stale"
    );
    assert!(
        // Shown in whole milliseconds: just past the bound reads as the bound.
        staleness >= MAX_LAG_MS as f64 / 1000.0,
        "staleness gauge {staleness}"
    );
    assert!(primary_reads > 0.0);
    // Replaying again, the standby is proved fresh and serves lists again.
    until_fresh(&app).await;
}
