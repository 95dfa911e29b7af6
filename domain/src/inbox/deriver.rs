//! The inbox deriver: writes the inbox entries (and their emails) of outbox rows, whatever
//! became of their publication. It reads rows not yet derived, in id order, one reader at a
//! time across instances (a transaction-scoped advisory lock on PostgreSQL), and marks them
//! in the transaction that writes their entries, so a bus that fails delays live fan-out
//! only, never an entry or an email.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use marquee_entity::outbox;
use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::Notify;
use tracing::Instrument as _;

use super::derive::derive_notifications;
use super::{Added, push_added};
use crate::booking::ExecutionOutcome;
use crate::clock::SharedClock;
use crate::events::{Claim, DomainEvent, EventBus, claim};

/// Rows derived per pass.
const BATCH: u64 = 256;
/// The advisory lock that makes one deriver read at a time.
pub const DERIVE_LOCK: i64 = 0x006d_6172_7169_6e62; // "marqinb"

/// Writes inbox entries and emails from the outbox.
#[derive(Clone)]
pub struct InboxDeriver {
    db: DatabaseConnection,
    clock: SharedClock,
    bus: Arc<dyn EventBus>,
    wake: Arc<Notify>,
    mail_wake: Arc<Notify>,
    /// Most emails one address gets in an hour, confirmations aside.
    email_hourly_cap: u32,
}

impl InboxDeriver {
    /// Wires the deriver; `wake` is notified when outbox rows are waiting (the relay does so
    /// whenever it reads some), and the deriver notifies `mail_wake` after it committed new
    /// entries (and their emails). `bus` only carries the push that follows a new entry.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        bus: Arc<dyn EventBus>,
        wake: Arc<Notify>,
        mail_wake: Arc<Notify>,
        email_hourly_cap: u32,
    ) -> Self {
        Self {
            db,
            clock,
            bus,
            wake,
            mail_wake,
            email_hourly_cap,
        }
    }

    /// Derives the next batch, if there is one and no other deriver is at it.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let now = self.clock.now();
        let claimed =
            match claim(&self.db, DERIVE_LOCK, outbox::Column::DerivedAt, BATCH, now).await? {
                Claim::Idle => return Ok(ExecutionOutcome::EmptyQueue),
                Claim::Raced => return Ok(ExecutionOutcome::TaskCompleted),
                Claim::Rows(claimed) => claimed,
            };
        let mut events: Vec<DomainEvent> = claimed
            .rows()
            .iter()
            .cloned()
            .map(DomainEvent::from)
            .collect();
        let pass = tracing::info_span!("inbox.derive", events = events.len());
        // A traced event is derived in a span of its writer's trace, and its emails carry
        // that span on to the email worker.
        let traced: Vec<tracing::Span> = events
            .iter_mut()
            .filter(|e| e.trace_parent.is_some())
            .map(|e| {
                let span = tracing::info_span!(
                    parent: None,
                    "inbox.derive_event",
                    event_id = e.id,
                    topic = %e.topic,
                    key = %e.key,
                );
                crate::trace::continue_from(&span, e.trace_parent.as_deref());
                e.trace_parent = crate::trace::of(&span);
                span
            })
            .collect();
        let added = derive_notifications(claimed.txn(), &events, now, self.email_hourly_cap)
            .instrument(pass.clone())
            .await?;
        if !claimed.commit().instrument(pass).await? {
            return Ok(ExecutionOutcome::TaskCompleted);
        }
        drop(traced);
        if !added.is_empty() {
            self.mail_wake.notify_one();
        }
        let added: Vec<Added> = added
            .iter()
            .map(|n| Added {
                id: n.id,
                user_id: n.user_id,
                created_at: n.created_at,
            })
            .collect();
        push_added(self.bus.as_ref(), &added).await;
        Ok(ExecutionOutcome::TaskCompleted)
    }

    /// Runs until the process stops: derives when told rows are waiting, and at least every
    /// `idle` (rows the relay of another instance read, rows of a deriver that died).
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => {}
                Err(e) => tracing::warn!(error = %e, "inbox pass failed; retrying"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(idle) => {}
            }
        }
    }
}
