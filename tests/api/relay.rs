//! The outbox relay on PostgreSQL: one relay reads at a time, by an advisory lock taken
//! inside its one read statement; and one inbox deriver at a time, by a lock of its own.

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::events::RELAY_LOCK;
use marquee_domain::inbox::DERIVE_LOCK;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::helpers::*;

#[tokio::test]
async fn while_another_session_holds_the_relay_lock_the_relay_reads_nothing() {
    if !postgresql_only("while_another_session_holds_the_relay_lock_the_relay_reads_nothing") {
        return;
    }
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let db = &app.services.db;
    one_held_seat(&app, "relay-lock@example.com").await;
    let other = db.begin().await.unwrap();
    other
        .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({RELAY_LOCK})"))
        .await
        .unwrap();
    assert_eq!(
        app.services.relay.try_execute_task().await.unwrap(),
        ExecutionOutcome::EmptyQueue,
        "read while another relay held the lock"
    );
    other.commit().await.unwrap();
    assert_eq!(
        app.services.relay.try_execute_task().await.unwrap(),
        ExecutionOutcome::TaskCompleted,
        "the rows are there once the lock is free"
    );
}

#[tokio::test]
async fn the_lock_is_tried_once_per_read_not_once_per_row() {
    if !postgresql_only("the_lock_is_tried_once_per_read_not_once_per_row") {
        return;
    }
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let db = &app.services.db;
    let read = app.services.relay.next_batch_statement();
    let plan: Vec<String> = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("EXPLAIN {}", read.sql),
            read.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    let plan = plan.join("\n");
    // An uncorrelated subquery is an InitPlan, evaluated once; the scan is then gated by
    // a one-time filter rather than calling the lock function for every row.
    assert!(plan.contains("InitPlan"), "{plan}");
    assert!(plan.contains("One-Time Filter"), "{plan}");
}

#[tokio::test]
async fn on_postgresql_while_another_session_holds_the_inbox_lock_the_deriver_takes_nothing() {
    if !postgresql_only(
        "on_postgresql_while_another_session_holds_the_inbox_lock_the_deriver_takes_nothing",
    ) {
        return;
    }
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let db = &app.services.db;
    one_held_seat(&app, "derive-lock@example.com").await;
    let other = db.begin().await.unwrap();
    other
        .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({DERIVE_LOCK})"))
        .await
        .unwrap();
    assert_eq!(
        app.services.deriver.try_execute_task().await.unwrap(),
        ExecutionOutcome::EmptyQueue,
        "derived while another deriver held the lock"
    );
    let waiting = sql_texts(
        &app,
        "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE derived_at IS NULL",
        [],
    )
    .await;
    assert_ne!(waiting, vec!["0".to_owned()]);
    other.commit().await.unwrap();
    assert_eq!(
        app.services.deriver.try_execute_task().await.unwrap(),
        ExecutionOutcome::TaskCompleted,
        "the rows are there once the lock is free"
    );
    let waiting = sql_texts(
        &app,
        "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE derived_at IS NULL",
        [],
    )
    .await;
    assert_eq!(waiting, vec!["0".to_owned()]);
}
