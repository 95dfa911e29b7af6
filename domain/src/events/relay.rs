//! The outbox relay: publishes unpublished outbox rows in id order and marks them, one
//! relay at a time across instances (a transaction-scoped advisory lock on PostgreSQL; the
//! embedded default is one process). Publishing happens before the mark commits, so a
//! relay that dies in between publishes those rows again: delivery is at least once, and
//! subscribers skip event ids they have seen. Published rows are pruned after a day.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use marquee_entity::outbox;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use tokio::sync::Notify;

use super::{DomainEvent, EventBus};
use crate::booking::ExecutionOutcome;
use crate::clock::SharedClock;
use crate::inbox::{NOTIFICATION_ADDED, derive_notifications};

/// Rows published per pass.
const BATCH: u64 = 256;
/// The advisory lock that makes one relay publish at a time.
const RELAY_LOCK: i64 = 0x006d_6172_7175_6565; // "marquee"
/// Published rows older than this are deleted.
const KEEP_PUBLISHED_HOURS: i64 = 24;

/// Publishes the outbox.
#[derive(Clone)]
pub struct OutboxRelay {
    db: DatabaseConnection,
    clock: SharedClock,
    bus: Arc<dyn EventBus>,
    wake: Arc<Notify>,
    mail_wake: Arc<Notify>,
}

impl OutboxRelay {
    /// Wires the relay; `wake` is notified by writers after they commit outbox rows, and the
    /// relay notifies `mail_wake` after it committed new inbox entries (and their emails).
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        bus: Arc<dyn EventBus>,
        wake: Arc<Notify>,
        mail_wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            bus,
            wake,
            mail_wake,
        }
    }

    /// Publishes the next batch, if any.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let txn = self.db.begin().await?;
        if txn.get_database_backend() == DbBackend::Postgres {
            let row = txn
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_try_advisory_xact_lock($1) AS locked",
                    [RELAY_LOCK.into()],
                ))
                .await?;
            let locked = row
                .map(|r| r.try_get::<bool>("", "locked"))
                .transpose()?
                .unwrap_or(false);
            if !locked {
                txn.rollback().await?;
                return Ok(ExecutionOutcome::EmptyQueue);
            }
        }
        let rows = outbox::Entity::find()
            .filter(outbox::Column::PublishedAt.is_null())
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .all(&txn)
            .await?;
        if rows.is_empty() {
            txn.commit().await?;
            return Ok(ExecutionOutcome::EmptyQueue);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let events: Vec<DomainEvent> = rows
            .into_iter()
            .map(|r| DomainEvent {
                id: r.id,
                topic: r.topic,
                key: r.key,
                payload: r.payload,
                created_at: r.created_at,
                seats: None,
            })
            .collect();
        let now = self.clock.now();
        // Published first, so that live updates do not wait for the inbox work below; a
        // relay that dies before its commit publishes them again (subscribers skip repeats).
        if let Err(e) = self.bus.publish(&events).await {
            txn.rollback().await?;
            return Err(DbErr::Custom(format!("publishing events: {e}")));
        }
        // Inbox entries are written here, in the transaction that marks their events
        // published: exactly once per event.
        let added = derive_notifications(&txn, &events, now).await?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::PublishedAt, Expr::value(now))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        if !added.is_empty() {
            self.mail_wake.notify_one();
        }
        // The push of new inbox entries is best effort: the inbox itself is the record.
        let pushes: Vec<DomainEvent> = added
            .into_iter()
            .map(|n| DomainEvent {
                // Not an outbox row: no id to deduplicate by (a push is sent once).
                id: 0,
                topic: NOTIFICATION_ADDED.to_owned(),
                key: n.user_id.to_string(),
                payload: serde_json::json!({ "id": n.id }),
                created_at: n.created_at,
                seats: None,
            })
            .collect();
        if !pushes.is_empty()
            && let Err(e) = self.bus.publish(&pushes).await
        {
            tracing::warn!(error = %e, "could not push new inbox entries");
        }
        Ok(ExecutionOutcome::TaskCompleted)
    }

    /// Deletes published rows older than a day.
    pub async fn prune(&self) -> Result<u64, DbErr> {
        let before = self.clock.now() - Duration::hours(KEEP_PUBLISHED_HOURS);
        Ok(outbox::Entity::delete_many()
            .filter(outbox::Column::PublishedAt.lt(before))
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// Runs until the process stops: publishes as soon as a writer says it committed, and
    /// at least every `idle` (rows of a writer that died before saying so).
    pub async fn run(self, idle: StdDuration) {
        let mut passes: u64 = 0;
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => {
                    passes += 1;
                    if passes.is_multiple_of(10_000)
                        && let Err(e) = self.prune().await
                    {
                        tracing::warn!(error = %e, "outbox pruning failed");
                    }
                    tokio::select! {
                        () = self.wake.notified() => {}
                        () = tokio::time::sleep(idle) => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox relay pass failed; retrying");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }
}
