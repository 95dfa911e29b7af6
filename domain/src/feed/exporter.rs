//! The exporter: hands outbox rows not yet exported to the sink in id order, one batch at a
//! time, and marks them `exported_at` only once the sink says the destination acknowledged
//! them. One exporter at a time across instances: on PostgreSQL a pass holds a
//! transaction-scoped advisory lock from its read to its mark (the embedded default is one
//! process). A pass that fails marks what was acknowledged and leaves the rest for the
//! next, which starts again from the oldest unexported row: nothing is skipped, and a row
//! whose acknowledgement was lost is sent again (at least once, never out of order first).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use marquee_entity::outbox;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use tracing::Instrument;

use super::horizon::Horizon;
use super::{EventSink, FeedError};
use crate::booking::ExecutionOutcome;
use crate::clock::SharedClock;
use crate::events::{DomainEvent, ids_locked_in_order};

/// Rows exported per pass.
const BATCH: u64 = 256;
/// The advisory lock that makes one exporter export at a time.
pub const EXPORT_LOCK: i64 = 0x006d_6172_7166_6564; // "marqfed"
/// The first wait after a failed pass, doubled after each further one up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: StdDuration = StdDuration::from_millis(200);
const MAX_BACKOFF: StdDuration = StdDuration::from_secs(10);
/// How soon a horizon waiting for writers is looked at again.
const HORIZON_RECHECK: StdDuration = StdDuration::from_millis(20);

/// What the exporter reports, for metrics.
#[derive(Debug, Clone, Copy)]
pub enum FeedObservation {
    /// Events acknowledged by the destination.
    Exported(u64),
    /// A pass that failed (the broker, or the database).
    Failed,
    /// Age of the oldest row not yet exported (zero when there is none).
    Lag(StdDuration),
}

/// Receives the exporter's observations.
pub type FeedObserver = Arc<dyn Fn(FeedObservation) + Send + Sync>;

/// Exports the outbox to an [`EventSink`].
#[derive(Clone)]
pub struct OutboxExporter {
    db: DatabaseConnection,
    clock: SharedClock,
    sink: Arc<dyn EventSink>,
    horizon: Arc<tokio::sync::Mutex<Horizon>>,
    observer: Option<FeedObserver>,
}

impl OutboxExporter {
    /// Wires the exporter; `db` should be a small pool of its own (a pass holds one
    /// connection while the sink delivers).
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        sink: Arc<dyn EventSink>,
        observer: Option<FeedObserver>,
    ) -> Self {
        Self {
            db,
            clock,
            sink,
            horizon: Arc::default(),
            observer,
        }
    }

    fn observe(&self, o: FeedObservation) {
        if let Some(observer) = &self.observer {
            observer(o);
        }
    }

    /// Exports the next batch, if there is one and no other exporter is at it: one pass.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, FeedError> {
        // One pass at a time in this process too (the horizon is the pass's state).
        let mut horizon = self.horizon.lock().await;
        let bound = horizon.bound(&self.db).await?;
        // On SQLite a transaction that has read cannot become a writer once another
        // connection has committed: there the pass reads and marks without one (and one
        // process exports).
        let txn = if self.db.get_database_backend() == DbBackend::Postgres {
            let txn = self.db.begin().await?;
            if !locked(&txn).await? {
                txn.rollback().await?;
                return Ok(ExecutionOutcome::EmptyQueue);
            }
            Some(txn)
        } else {
            None
        };
        let mut find = outbox::Entity::find().filter(outbox::Column::ExportedAt.is_null());
        if let Some(bound) = bound {
            find = find.filter(outbox::Column::Id.lte(bound));
        }
        let find = find.order_by_asc(outbox::Column::Id).limit(BATCH);
        let rows = match &txn {
            Some(txn) => find.all(txn).await?,
            None => find.all(&self.db).await?,
        };
        if rows.is_empty() {
            if let Some(txn) = txn {
                txn.rollback().await?;
            }
            return Ok(ExecutionOutcome::EmptyQueue);
        }
        let events: Vec<DomainEvent> = rows.into_iter().map(DomainEvent::from).collect();
        let span = tracing::info_span!(
            "feed_export",
            events = events.len(),
            first_id = events.first().map(|e| e.id),
            last_id = events.last().map(|e| e.id),
        );
        async {
            let delivered = self.sink.deliver(&events).await;
            let acknowledged: Vec<i64> = match &delivered {
                Ok(()) => events.iter().map(|e| e.id).collect(),
                Err(undelivered) => undelivered.acknowledged.clone(),
            };
            match txn {
                Some(txn) => {
                    self.mark(&txn, &acknowledged).await?;
                    txn.commit().await?;
                }
                None => self.mark(&self.db, &acknowledged).await?,
            }
            self.observe(FeedObservation::Exported(acknowledged.len() as u64));
            delivered.map_err(|u| u.error)?;
            tracing::debug!("batch exported");
            Ok(ExecutionOutcome::TaskCompleted)
        }
        .instrument(span)
        .await
    }

    async fn mark<C: ConnectionTrait>(&self, db: &C, ids: &[i64]) -> Result<(), DbErr> {
        if ids.is_empty() {
            return Ok(());
        }
        outbox::Entity::update_many()
            .col_expr(outbox::Column::ExportedAt, Expr::value(self.clock.now()))
            .filter(ids_locked_in_order(db.get_database_backend(), ids))
            .filter(outbox::Column::ExportedAt.is_null())
            .exec(db)
            .await?;
        Ok(())
    }

    /// Age of the oldest row not yet exported.
    pub async fn lag(&self) -> Result<StdDuration, DbErr> {
        let oldest = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::CreatedAt)
            .filter(outbox::Column::ExportedAt.is_null())
            .order_by_asc(outbox::Column::Id)
            .into_tuple::<chrono::DateTime<chrono::Utc>>()
            .one(&self.db)
            .await?;
        Ok(oldest
            .and_then(|t| (self.clock.now() - t).to_std().ok())
            .unwrap_or_default())
    }

    /// Runs until the process stops: exports while there are rows, looks again every
    /// `idle` when there are none, and after a failure waits 0.2 s, doubled after each
    /// further failure up to 10 s, before trying the same rows again.
    pub async fn run(self, idle: StdDuration) {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let pass = self.try_execute_task().await;
            if let Ok(lag) = self.lag().await {
                self.observe(FeedObservation::Lag(lag));
            }
            match pass {
                Ok(ExecutionOutcome::TaskCompleted) => backoff = FIRST_BACKOFF,
                Ok(ExecutionOutcome::EmptyQueue) => {
                    backoff = FIRST_BACKOFF;
                    let wait = if self.horizon.lock().await.is_waiting() {
                        HORIZON_RECHECK
                    } else {
                        idle
                    };
                    tokio::time::sleep(wait).await;
                }
                Err(e) => {
                    self.observe(FeedObservation::Failed);
                    tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "event feed export failed; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// Takes the exporter's lock for the transaction `txn` (PostgreSQL); false when another
/// exporter holds it.
async fn locked<C: ConnectionTrait>(txn: &C) -> Result<bool, DbErr> {
    Ok(txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1)",
            [EXPORT_LOCK.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?
        .unwrap_or(false))
}
