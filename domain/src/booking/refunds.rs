//! Refunds that cannot be lost: the refund is written, pending, in the same transaction
//! that ends the booking, sent to the gateway after the commit, and sent again by the
//! reconciliation worker while the gateway has not confirmed it (a crash between the two,
//! a timeout, a gateway outage). The gateway deduplicates by the refund's idempotency key.

use chrono::Duration;
use marquee_entity::{payments, refunds};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::ids::BookingId;
use crate::payments::{GatewayError, RefundRequest};

use super::{BookingError, BookingService, ExecutionOutcome};

/// What is owed back on a booking, to be written with the change that ends it.
pub(super) struct OwedRefund<'a> {
    /// The booking.
    pub booking: BookingId,
    /// The succeeded payment refunded.
    pub payment: Uuid,
    /// Minor units.
    pub amount: i64,
    /// Why, for the record.
    pub reason: &'a str,
}

/// Writes the pending refund of `owed` (once: its key is the payment's), inside the
/// caller's transaction; returns its id.
pub(super) async fn record_refund<C: ConnectionTrait>(
    conn: &C,
    owed: OwedRefund<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Uuid, BookingError> {
    let key = format!("{}:refund", owed.payment);
    if let Some(r) = refunds::Entity::find()
        .filter(refunds::Column::IdempotencyKey.eq(key.clone()))
        .one(conn)
        .await?
    {
        return Ok(r.id);
    }
    let row = refunds::ActiveModel {
        id: Set(Uuid::now_v7()),
        payment_id: Set(owed.payment),
        booking_id: Set(owed.booking.uuid()),
        provider_ref: Set(None),
        idempotency_key: Set(key),
        amount_cents: Set(owed.amount),
        status: Set("pending".to_owned()),
        reason: Set(owed.reason.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

impl BookingService {
    /// Sends a pending refund to the gateway and records the answer. A refusal is final
    /// (logged, marked failed); no answer leaves it pending for the worker.
    pub(super) async fn send_refund(&self, refund_id: Uuid) -> Result<(), BookingError> {
        let Some(refund) = refunds::Entity::find_by_id(refund_id).one(&self.db).await? else {
            return Ok(());
        };
        if refund.status != "pending" {
            return Ok(());
        }
        let provider_ref = payments::Entity::find_by_id(refund.payment_id)
            .one(&self.db)
            .await?
            .and_then(|p| p.provider_ref);
        let Some(provider_ref) = provider_ref else {
            tracing::error!(booking_id = %refund.booking_id, "refund of a payment without a gateway reference");
            return self.mark_refund(refund_id, "failed", None).await;
        };
        let answer = self
            .gateway
            .refund(RefundRequest {
                provider_ref,
                amount_cents: refund.amount_cents,
                idempotency_key: refund.idempotency_key,
            })
            .await;
        match answer {
            Ok(reference) => {
                self.mark_refund(refund_id, "succeeded", Some(reference))
                    .await
            }
            Err(GatewayError::Rejected(why)) => {
                tracing::error!(booking_id = %refund.booking_id, error = %why, "the gateway refused a refund");
                self.mark_refund(refund_id, "failed", None).await
            }
            Err(e) => {
                tracing::warn!(booking_id = %refund.booking_id, error = %e, "refund not confirmed yet; it will be sent again");
                self.mark_refund(refund_id, "pending", None).await
            }
        }
    }

    async fn mark_refund(
        &self,
        id: Uuid,
        status: &str,
        reference: Option<String>,
    ) -> Result<(), BookingError> {
        let mut update = refunds::Entity::update_many()
            .col_expr(refunds::Column::Status, Expr::value(status))
            .col_expr(refunds::Column::UpdatedAt, Expr::value(self.clock.now()));
        if let Some(r) = reference {
            update = update.col_expr(refunds::Column::ProviderRef, Expr::value(r));
        }
        update
            .filter(refunds::Column::Id.eq(id))
            .filter(refunds::Column::Status.eq("pending"))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Sends again the pending refund left longest, once it has waited `retry_after`
    /// since its last try (so the request that wrote it gets the first go).
    pub(super) async fn retry_next_refund(
        &self,
        retry_after: Duration,
    ) -> Result<ExecutionOutcome, BookingError> {
        let now = self.clock.now();
        let Some(due) = refunds::Entity::find()
            .filter(refunds::Column::Status.eq("pending"))
            .filter(refunds::Column::UpdatedAt.lte(now - retry_after))
            .order_by_asc(refunds::Column::UpdatedAt)
            .limit(1)
            .one(&self.db)
            .await?
        else {
            return Ok(ExecutionOutcome::EmptyQueue);
        };
        // Claimed by moving its last try (conditionally, so two instances do not both).
        let claimed = refunds::Entity::update_many()
            .col_expr(refunds::Column::UpdatedAt, Expr::value(now))
            .filter(refunds::Column::Id.eq(due.id))
            .filter(refunds::Column::UpdatedAt.eq(due.updated_at))
            .exec(&self.db)
            .await?;
        if claimed.rows_affected == 1 {
            tracing::info!(booking_id = %due.booking_id, "sending a pending refund again");
            self.send_refund(due.id).await?;
        }
        Ok(ExecutionOutcome::TaskCompleted)
    }
}
