//! The exporter against a sink of the test's own, on the embedded database: what is marked
//! exported, what is sent again, and what pruning keeps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use marquee_entity::outbox;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use tokio::sync::Notify;

use super::*;
use crate::booking::ExecutionOutcome;
use crate::clock::{SharedClock, SystemClock};
use crate::db::{self, DbSettings};
use crate::events::{InProcessBus, OutboxRelay};

/// Records each delivery; the first one fails after the destination took its first event.
#[derive(Default)]
struct Recorder {
    deliveries: Mutex<Vec<Vec<i64>>>,
    fail_once: AtomicBool,
}

#[async_trait]
impl EventSink for Recorder {
    async fn deliver(&self, events: &[DomainEvent]) -> Result<(), Undelivered> {
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        self.deliveries.lock().unwrap().push(ids.clone());
        if self.fail_once.swap(false, Ordering::SeqCst) {
            return Err(Undelivered {
                acknowledged: ids[..1].to_vec(),
                error: FeedError::Timeout(Duration::from_secs(1)),
            });
        }
        Ok(())
    }
}

async fn database(dir: &tempfile::TempDir) -> DatabaseConnection {
    let db = db::connect(&DbSettings {
        url: format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display()),
        max_connections: 2,
        acquire_timeout: Duration::from_secs(5),
        observer: None,
    })
    .await
    .unwrap();
    db::migrate(&db).await.unwrap();
    db
}

async fn add_row(db: &DatabaseConnection, key: &str, age_hours: i64) -> i64 {
    let at = Utc::now() - chrono::Duration::hours(age_hours);
    outbox::ActiveModel {
        topic: Set("seat.changes".into()),
        key: Set(key.into()),
        payload: Set(serde_json::json!({ "showtimeId": key })),
        created_at: Set(at),
        published_at: Set(Some(at)),
        derived_at: Set(Some(at)),
        exported_at: Set(None),
        attempts: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn exported(db: &DatabaseConnection) -> Vec<(i64, bool)> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.exported_at.is_some()))
        .collect()
}

#[tokio::test]
async fn a_failed_delivery_marks_only_what_was_acknowledged_and_the_rest_is_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir).await;
    let ids = [
        add_row(&db, "a", 0).await,
        add_row(&db, "b", 0).await,
        add_row(&db, "a", 0).await,
    ];
    let sink = Arc::new(Recorder {
        fail_once: AtomicBool::new(true),
        ..Default::default()
    });
    let clock: SharedClock = Arc::new(SystemClock);
    let exporter = OutboxExporter::new(db.clone(), clock, sink.clone(), None);

    assert!(exporter.try_execute_task().await.is_err());
    assert_eq!(
        exported(&db).await,
        [(ids[0], true), (ids[1], false), (ids[2], false)]
    );
    assert!(exporter.lag().await.unwrap() < Duration::from_secs(60));
    assert_eq!(
        exporter.try_execute_task().await.unwrap(),
        ExecutionOutcome::TaskCompleted
    );
    assert_eq!(
        exporter.try_execute_task().await.unwrap(),
        ExecutionOutcome::EmptyQueue
    );
    assert!(exported(&db).await.iter().all(|(_, done)| *done));
    assert_eq!(
        *sink.deliveries.lock().unwrap(),
        [ids.to_vec(), ids[1..].to_vec()]
    );
    assert_eq!(exporter.lag().await.unwrap(), Duration::ZERO);
}

#[tokio::test]
async fn pruning_waits_for_the_export_only_while_the_feed_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir).await;
    let old = add_row(&db, "a", 48).await;
    let relay = |db: &DatabaseConnection| {
        OutboxRelay::new(
            db.clone(),
            Arc::new(SystemClock),
            Arc::new(InProcessBus::default()),
            Arc::new(Notify::new()),
            Arc::new(Notify::new()),
        )
    };
    assert_eq!(
        relay(&db)
            .keeping_rows_for_the_feed()
            .prune()
            .await
            .unwrap(),
        0
    );
    assert_eq!(exported(&db).await, [(old, false)]);
    assert_eq!(relay(&db).prune().await.unwrap(), 1, "the feed is off");
}
