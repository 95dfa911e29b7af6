//! Settling payments whose outcome is unknown (timeouts, gateway errors, a crash between
//! charge and confirmation): ask the gateway, with backoff, until it says.

use std::time::Duration as StdDuration;

use chrono::Duration;
use marquee_entity::payments;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::ids::BookingId;

use super::settle::UNSETTLED;
use super::{BookingError, BookingService, ExecutionOutcome};
use crate::payments::ChargeOutcome;
use tracing::Instrument as _;

/// A payment the gateway has never heard of this long after it was made never left us.
const NEVER_SENT_AFTER: i64 = 10;
/// The longest wait between two questions about one payment.
const MAX_BACKOFF_SECS: i64 = 30 * 60;

/// Reconciles one unsettled payment per task.
#[derive(Clone)]
pub struct ReconcileWorker {
    service: BookingService,
}

impl ReconcileWorker {
    /// Wires the worker.
    pub fn new(service: BookingService) -> Self {
        Self { service }
    }

    /// Settles the unsettled payment due first, or else sends again the pending refund
    /// due first, if any.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, BookingError> {
        match self.settle_next_payment().await? {
            ExecutionOutcome::EmptyQueue => {
                let s = &self.service;
                let retry_after = std::cmp::max(s.settings.reconcile_after, Duration::seconds(1));
                s.retry_next_refund(retry_after).await
            }
            done => Ok(done),
        }
    }

    /// Asks the gateway about the unsettled payment due first, if any.
    async fn settle_next_payment(&self) -> Result<ExecutionOutcome, BookingError> {
        let s = &self.service;
        let now = s.clock.now();
        let Some(due) = payments::Entity::find()
            .filter(payments::Column::Status.is_in(UNSETTLED))
            .filter(payments::Column::NextCheckAt.lte(now))
            .order_by_asc(payments::Column::NextCheckAt)
            .limit(1)
            .one(&s.db)
            .await?
        else {
            return Ok(ExecutionOutcome::EmptyQueue);
        };
        // Claim it by moving its next check (conditionally, so two instances do not both
        // work it), with exponential backoff.
        let base = std::cmp::max(s.settings.reconcile_after.num_seconds(), 1);
        let backoff = std::cmp::min(base << due.attempts.clamp(0, 16), MAX_BACKOFF_SECS);
        let next_check = now + Duration::seconds(backoff);
        let claimed = payments::Entity::update_many()
            .col_expr(
                payments::Column::Attempts,
                Expr::col(payments::Column::Attempts).add(1),
            )
            .col_expr(payments::Column::NextCheckAt, Expr::value(next_check))
            .filter(payments::Column::Id.eq(due.id))
            .filter(payments::Column::NextCheckAt.eq(due.next_check_at))
            .exec(&s.db)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(ExecutionOutcome::TaskCompleted);
        }
        let booking = BookingId::from(due.booking_id);
        let span = tracing::info_span!(
            "payment.reconcile",
            booking_id = %booking,
            attempt = due.attempts + 1,
        );
        // In the trace of the checkout that made the payment, however late the answer.
        crate::trace::continue_from(&span, due.trace_parent.as_deref());
        async {
            let answer = s
                .gateway
                .lookup(&due.idempotency_key, due.provider_ref.as_deref())
                .instrument(tracing::info_span!(
                    "payment.lookup",
                    gateway = s.gateway.name()
                ))
                .await;
            tracing::info!(booking_id = %booking, attempt = due.attempts + 1, answer = ?answer, "reconciling a payment");
            match answer {
                Ok(Some(outcome @ ChargeOutcome::RequiresAction { .. })) => {
                    s.settle_awaiting(
                        booking,
                        due.id,
                        &due.idempotency_key,
                        due.provider_ref.as_deref(),
                        outcome,
                        next_check,
                    )
                    .await?;
                }
                Ok(Some(outcome)) => {
                    s.settle(booking, due.id, Ok(outcome)).await?;
                }
                Ok(None) if now - due.created_at > Duration::minutes(NEVER_SENT_AFTER) => {
                    s.fail(
                        booking,
                        due.id,
                        None,
                        "the payment never reached the gateway",
                    )
                    .await?;
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(booking_id = %booking, error = %e, "gateway still unreachable for reconciliation")
                }
            }
            Ok(ExecutionOutcome::TaskCompleted)
        }
        .instrument(span)
        .await
    }

    /// Runs until the process stops.
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => tokio::time::sleep(idle).await,
                Err(e) => {
                    tracing::warn!(error = ?e, "reconciliation pass failed; retrying");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }
}
