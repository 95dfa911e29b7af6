//! Readers of the outbox (the inbox deriver, the sales rollups) lock none of its rows
//! while they work, only for the moment they mark them and commit: the relay, which marks
//! the same fresh rows, publishes and marks on while a reader's pass is stuck.

use std::time::Duration;

use marquee_domain::analytics::RollupWorker;
use marquee_domain::booking::ExecutionOutcome;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::analytics_support::*;
use crate::helpers::*;

async fn count(app: &TestApp, sql: &str) -> String {
    sql_texts(app, sql, []).await.concat()
}

#[tokio::test]
async fn the_relay_marks_what_it_published_while_a_rollup_pass_is_stuck() {
    if !postgresql_only("the_relay_marks_what_it_published_while_a_rollup_pass_is_stuck") {
        return;
    }
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let buyer = app.customer("stuck-rollup@example.com").await;
    let seats = seat_ids(&app, &showtime).await;
    for group in seats[0..6].chunks(2) {
        let booking = hold(&app, &buyer, &showtime, group).await;
        pay(&app, &buyer, &booking, "pm_card_visa").await;
    }
    let waiting = "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE rolled_up_at IS NULL";
    assert_ne!(count(&app, waiting).await, "0");

    // Another session blocks every write to the rollup tables: the pass waits in the middle.
    let db = app.services.db.clone();
    let blocker = db.begin().await.unwrap();
    blocker
        .execute_unprepared(
            "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables \
             WHERE schemaname = current_schema() AND tablename LIKE 'analytics\\_%' LOOP \
             EXECUTE format('LOCK TABLE %I IN EXCLUSIVE MODE', t); END LOOP; END $$",
        )
        .await
        .unwrap();
    let worker = RollupWorker::new(db.clone(), app.services.clock.clone());
    let pass = tokio::spawn(async move { worker.try_execute_task().await });
    let stuck = "SELECT CAST(COUNT(*) AS TEXT) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                 WHERE NOT l.granted AND c.relname LIKE 'analytics\\_%' \
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    let started = std::time::Instant::now();
    while count(&app, stuck).await == "0" {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the rollup pass never reached the blocked tables"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let relay = app.services.relay.clone();
    tokio::time::timeout(Duration::from_secs(20), async move {
        while relay.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {}
    })
    .await
    .expect("the relay waited for the rollup pass to end");
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE published_at IS NULL"
        )
        .await,
        "0",
        "rows left unmarked"
    );
    assert_ne!(count(&app, waiting).await, "0", "the stuck pass committed");

    blocker.commit().await.unwrap();
    assert_eq!(
        pass.await.unwrap().unwrap(),
        ExecutionOutcome::TaskCompleted
    );
    let worker = RollupWorker::new(db, app.services.clock.clone());
    while worker.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {}
    assert_eq!(count(&app, waiting).await, "0");
}
