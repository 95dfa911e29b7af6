//! The outbox relay: publishes unpublished outbox rows in id order and marks them, one
//! reader at a time across instances (a transaction-scoped advisory lock on PostgreSQL; the
//! embedded default is one process). Publishing happens before the mark commits, so a
//! relay that dies in between publishes those rows again, and another instance may publish
//! rows again while they are being marked: delivery is at least once, and the fan-out skips
//! event ids it has seen. Inbox entries and emails are not its business: the inbox deriver
//! reads the same rows on its own, so a bus that fails delays live fan-out only. Published
//! and derived rows (and exported ones, when the event feed is on) are pruned after a day.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use marquee_entity::outbox;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Statement,
};
use tokio::sync::{Notify, mpsc};
use tracing::Instrument as _;

use super::{DomainEvent, EventBus, ids_locked_in_order};
use crate::booking::ExecutionOutcome;
use crate::clock::SharedClock;

/// Rows published per pass.
const BATCH: u64 = 256;
/// Published batches waiting to be marked before the publisher waits for the marker.
const MARK_QUEUE: usize = 4;
/// The advisory lock that makes one relay publish at a time.
pub const RELAY_LOCK: i64 = 0x006d_6172_7175_6565; // "marquee"
/// Published rows older than this are deleted.
const KEEP_PUBLISHED_HOURS: i64 = 24;

/// Publishes the outbox.
#[derive(Clone)]
pub struct OutboxRelay {
    db: DatabaseConnection,
    clock: SharedClock,
    bus: Arc<dyn EventBus>,
    wake: Arc<Notify>,
    derive_wake: Arc<Notify>,
    /// Whether the event feed is on: then rows are kept until it exported them too.
    feed: bool,
    /// Whether the sales rollups are on: then rows are kept until they took them in too.
    rollups: bool,
}

impl OutboxRelay {
    /// Wires the relay; `wake` is notified by writers after they commit outbox rows, and the
    /// relay passes it on through `derive_wake` whenever it reads rows (before publishing
    /// them, so that the inbox deriver hears of them whatever the bus does).
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        bus: Arc<dyn EventBus>,
        wake: Arc<Notify>,
        derive_wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            bus,
            wake,
            derive_wake,
            feed: false,
            rollups: false,
        }
    }

    /// Keeps rows until the event feed exported them (set when the feed is on; when it is
    /// off, its column is ignored and rows are pruned as before).
    pub fn keeping_rows_for_the_feed(self) -> Self {
        Self { feed: true, ..self }
    }

    /// Keeps rows until the sales rollups took them in (set when rollups are on).
    pub fn keeping_rows_for_the_rollups(self) -> Self {
        Self {
            rollups: true,
            ..self
        }
    }

    /// Publishes the next batch and marks it, if there is one: one whole pass.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let events = self.publish_next(&HashSet::new()).await?;
        if events.is_empty() {
            return Ok(ExecutionOutcome::EmptyQueue);
        }
        self.mark(&events).await?;
        Ok(ExecutionOutcome::TaskCompleted)
    }

    /// Reads the oldest unpublished rows, less those in `skip` (published, and being
    /// marked), and publishes them; empty when there are none or another relay is busy.
    async fn publish_next(&self, skip: &HashSet<i64>) -> Result<Vec<DomainEvent>, DbErr> {
        let rows = self.next_batch(skip).all(&self.db).await?;
        if !rows.is_empty() {
            self.derive_wake.notify_one();
        }
        let events: Vec<DomainEvent> = rows.into_iter().map(DomainEvent::from).collect();
        if events.is_empty() {
            return Ok(events);
        }
        let batch = tracing::info_span!("outbox.relay", events = events.len());
        // One span per traced event, in the trace of the request that wrote it, open while
        // its batch is published (untraced events, all of them when traces are off, get none).
        let traced: Vec<tracing::Span> = events
            .iter()
            .filter(|e| e.trace_parent.is_some())
            .map(|e| {
                let span = tracing::info_span!(
                    parent: None,
                    "outbox.publish",
                    event_id = e.id,
                    topic = %e.topic,
                    key = %e.key,
                );
                crate::trace::continue_from(&span, e.trace_parent.as_deref());
                span
            })
            .collect();
        let published = self.bus.publish(&events).instrument(batch).await;
        drop(traced);
        if let Err(e) = published {
            return Err(DbErr::Custom(format!("publishing events: {e}")));
        }
        Ok(events)
    }

    /// The statement that reads the next batch, as sent to the database (to explain it).
    pub fn next_batch_statement(&self) -> Statement {
        self.next_batch(&HashSet::new())
            .build(self.db.get_database_backend())
    }

    fn next_batch(&self, skip: &HashSet<i64>) -> Select<outbox::Entity> {
        let mut find = outbox::Entity::find().filter(outbox::Column::PublishedAt.is_null());
        if self.db.get_database_backend() == DbBackend::Postgres {
            // One statement, one round trip: the lock is taken once (a subquery without
            // references runs before the scan) and held by the statement's own
            // transaction, so it ends with the read. When another relay holds it, no rows.
            find = find.filter(Expr::cust(format!(
                "(SELECT pg_try_advisory_xact_lock({RELAY_LOCK}))"
            )));
        }
        if !skip.is_empty() {
            find = find.filter(outbox::Column::Id.is_not_in(skip.iter().copied()));
        }
        find.order_by_asc(outbox::Column::Id).limit(BATCH)
    }

    /// Marks published events.
    async fn mark(&self, events: &[DomainEvent]) -> Result<(), DbErr> {
        let now = self.clock.now();
        outbox::Entity::update_many()
            .col_expr(outbox::Column::PublishedAt, Expr::value(now))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(ids_locked_in_order(
                self.db.get_database_backend(),
                &events.iter().map(|e| e.id).collect::<Vec<_>>(),
            ))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Deletes rows published more than a day ago, once the inbox has them too (and the
    /// event feed and the sales rollups, when they are on).
    pub async fn prune(&self) -> Result<u64, DbErr> {
        let before = self.clock.now() - Duration::hours(KEEP_PUBLISHED_HOURS);
        let mut delete = outbox::Entity::delete_many()
            .filter(outbox::Column::PublishedAt.lt(before))
            .filter(outbox::Column::DerivedAt.is_not_null());
        if self.feed {
            delete = delete.filter(outbox::Column::ExportedAt.is_not_null());
        }
        if self.rollups {
            delete = delete.filter(outbox::Column::RolledUpAt.is_not_null());
        }
        Ok(delete.exec(&self.db).await?.rows_affected)
    }

    /// Runs until the process stops: publishes as soon as a writer says it committed, and
    /// at least every `idle` (rows of a writer that died before saying so). Marking runs
    /// beside publishing, so a change committed while a batch is being marked is
    /// published at once rather than after the marking; what is being marked is skipped.
    pub async fn run(self, idle: StdDuration) {
        let marking: Arc<Mutex<HashSet<i64>>> = Arc::default();
        let (to_mark, batches) = mpsc::channel::<Vec<DomainEvent>>(MARK_QUEUE);
        tokio::spawn(self.clone().mark_all(batches, marking.clone(), idle));
        let mut passes: u64 = 0;
        loop {
            let skip = marking.lock().unwrap_or_else(|p| p.into_inner()).clone();
            match self.publish_next(&skip).await {
                Ok(events) if !events.is_empty() => {
                    let full = events.len() as u64 == BATCH;
                    marking
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .extend(events.iter().map(|e| e.id));
                    // Waits while the marker is behind, which bounds what is skipped.
                    if to_mark.send(events).await.is_err() {
                        return;
                    }
                    // A short batch was all there was when it was read: what commits later
                    // wakes the relay (a wake while it published is kept for it), so it
                    // reads again only then instead of finding nothing at once. Under an
                    // on-sale's commits that halves the relay's reads.
                    if !full {
                        self.idle_until_woken(idle).await;
                    }
                }
                Ok(_) => {
                    passes += 1;
                    if passes.is_multiple_of(10_000)
                        && let Err(e) = self.prune().await
                    {
                        tracing::warn!(error = %e, "outbox pruning failed");
                    }
                    self.idle_until_woken(idle).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox relay pass failed; retrying");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }

    /// Until a writer says it committed, or `idle` passed (a writer that died before saying).
    async fn idle_until_woken(&self, idle: StdDuration) {
        tokio::select! {
            () = self.wake.notified() => {}
            () = tokio::time::sleep(idle) => {}
        }
    }

    /// Marks what was published, batches that queued up together in one transaction, and
    /// only then lets the publisher see their rows again (they are marked by then).
    async fn mark_all(
        self,
        mut batches: mpsc::Receiver<Vec<DomainEvent>>,
        marking: Arc<Mutex<HashSet<i64>>>,
        idle: StdDuration,
    ) {
        while let Some(mut events) = batches.recv().await {
            while let Ok(more) = batches.try_recv() {
                events.extend(more);
            }
            while let Err(e) = self.mark(&events).await {
                tracing::warn!(error = %e, "marking published events failed; retrying");
                tokio::time::sleep(idle).await;
            }
            let mut marking = marking.lock().unwrap_or_else(|p| p.into_inner());
            for e in &events {
                marking.remove(&e.id);
            }
        }
    }
}
