//! The sales rollups count each booking change once: across a restart of the worker (a
//! second instance started on the same database picks up where the first left off, both
//! running at once), and when a fresh worker passes over rows already rolled up.

use std::sync::{Arc, Mutex};

use marquee_domain::analytics::RollupWorker;
use marquee_domain::booking::ExecutionOutcome;
use secrecy::SecretString;

use crate::analytics_support::*;
use crate::helpers::*;

#[tokio::test]
async fn rollups_survive_a_worker_restart_without_double_counting() {
    let shared: Arc<Mutex<Option<(SecretString, String)>>> = Arc::default();
    let first = {
        let shared = shared.clone();
        spawn_app_with(move |s| {
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let f = first.fixture().await;
    let org = organisation_owning(&first, "Restart Cinemas", &f.theatre_id).await;
    let manager = member(&first, &org, "manager@restart.example", "manager").await;
    let early = first.showtime_at(&f, 30).await;
    let late = first.showtime_at(&f, 40).await;
    let buyer = first.customer("restart-buyer@example.com").await;
    generated_sale(&first, &buyer, std::slice::from_ref(&early)).await;
    rolled_up(&first).await;
    let before = report(&first, &manager, &org, "PERIOD", "ORGANISATION").await;
    assert_eq!(total(&before, "confirmations"), 3);

    // Another instance starts on the same database: its worker finds the cursor where the
    // first one left it, and both run while more is sold.
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.database_url = Some(database);
        s.redis_prefix = prefix;
    })
    .await;
    // Instances share one clock: the first one's was moved on by its lapsed hold, and its
    // hold expiry would otherwise take the second one's fresh holds for lapsed ones.
    second.clock.advance(chrono::Duration::minutes(11));
    generated_sale(&second, &buyer, std::slice::from_ref(&late)).await;
    rolled_up(&second).await;

    // A worker started afresh finds nothing left to add.
    let fresh = RollupWorker::new(second.services.db.clone(), second.services.clock.clone());
    assert_eq!(
        fresh.try_execute_task().await.unwrap(),
        ExecutionOutcome::EmptyQueue
    );
    let direct = direct_counts(&second, &org).await;
    let after = report(&second, &manager, &org, "PERIOD", "ORGANISATION").await;
    for (name, expected) in &direct {
        if !matches!(*name, "soldSeats" | "sellableSeats") {
            assert_eq!(total(&after, name), *expected, "{name}: {after:?}");
        }
    }
    assert_eq!(total(&after, "confirmations"), 6);
}
