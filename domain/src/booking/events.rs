//! Gateway events (webhooks): the gateway tells us how a payment ended. Each event id is
//! handled once; the outcome goes through the same settlement as a direct answer.

use marquee_entity::{payments, refunds, webhook_events};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::db::is_unique_violation;
use crate::ids::BookingId;
use crate::payments::ChargeOutcome;

use super::{BookingError, BookingService};
use tracing::Instrument as _;

/// What a gateway event says.
#[derive(Debug, Clone)]
pub enum GatewayEventKind {
    /// The payment succeeded.
    PaymentSucceeded,
    /// The payment failed, with the gateway's reason.
    PaymentFailed(String),
    /// The payment was refunded.
    Refunded,
    /// Something we do not act on.
    Other(String),
}

/// A verified gateway event.
#[derive(Debug, Clone)]
pub struct GatewayEvent {
    /// The gateway's event id (the idempotency key of the delivery).
    pub id: String,
    /// What happened.
    pub kind: GatewayEventKind,
    /// The gateway's payment id.
    pub provider_ref: String,
    /// Our attempt key, from the payment's metadata, when the gateway echoes it.
    pub attempt_key: Option<String>,
}

/// What handling an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// Acted on.
    Processed,
    /// Seen before: nothing done.
    Replayed,
    /// Not about a payment of ours, or not a kind we act on.
    Ignored,
}

impl BookingService {
    /// Handles a verified gateway event once. The event is recorded as handled only with
    /// its effect: a refund's confirmation in the same transaction, a payment's outcome
    /// once its settlement has committed (settlement is idempotent per payment, so a
    /// delivery that failed half-way, or two deliveries at once, settle it exactly once).
    /// A failure records nothing, and the gateway's redelivery is acted on.
    #[tracing::instrument(skip_all, fields(event_id = %event.id), err)]
    pub async fn handle_gateway_event(
        &self,
        event: GatewayEvent,
    ) -> Result<EventOutcome, BookingError> {
        let kind = match &event.kind {
            GatewayEventKind::PaymentSucceeded => "payment_intent.succeeded".to_owned(),
            GatewayEventKind::PaymentFailed(_) => "payment_intent.payment_failed".to_owned(),
            GatewayEventKind::Refunded => "charge.refunded".to_owned(),
            GatewayEventKind::Other(k) => k.clone(),
        };
        if webhook_events::Entity::find_by_id(event.id.clone())
            .one(&self.db)
            .await?
            .is_some()
        {
            return Ok(EventOutcome::Replayed);
        }
        let mut by =
            Condition::any().add(payments::Column::ProviderRef.eq(event.provider_ref.clone()));
        if let Some(key) = &event.attempt_key {
            by = by.add(payments::Column::IdempotencyKey.eq(key.clone()));
        }
        let payment = match event.kind {
            GatewayEventKind::Other(_) => None,
            _ => payments::Entity::find().filter(by).one(&self.db).await?,
        };
        let Some(payment) = payment else {
            return self
                .record_event(&self.db, &event.id, kind, EventOutcome::Ignored)
                .await;
        };
        let booking = BookingId::from(payment.booking_id);
        match event.kind {
            GatewayEventKind::PaymentSucceeded => {
                let outcome = ChargeOutcome::Succeeded {
                    provider_ref: event.provider_ref,
                };
                self.settle_event(booking, &payment, outcome).await?;
            }
            GatewayEventKind::PaymentFailed(reason) => {
                let outcome = ChargeOutcome::Declined {
                    provider_ref: Some(event.provider_ref),
                    reason,
                };
                self.settle_event(booking, &payment, outcome).await?;
            }
            GatewayEventKind::Refunded => {
                let txn = self.db.begin().await?;
                let outcome = self
                    .record_event(&txn, &event.id, kind, EventOutcome::Processed)
                    .await?;
                if outcome != EventOutcome::Processed {
                    txn.rollback().await?;
                    return Ok(outcome);
                }
                refunds::Entity::update_many()
                    .col_expr(refunds::Column::Status, Expr::value("succeeded"))
                    .col_expr(refunds::Column::UpdatedAt, Expr::value(self.clock.now()))
                    .filter(refunds::Column::PaymentId.eq(payment.id))
                    .exec(&txn)
                    .await?;
                txn.commit().await?;
                return Ok(outcome);
            }
            GatewayEventKind::Other(_) => {}
        }
        self.record_event(&self.db, &event.id, kind, EventOutcome::Processed)
            .await
    }

    /// Settles `payment` by an event, in the trace of the checkout that made it: the
    /// confirmation, its outbox rows and so the relay and the email follow the buyer's
    /// checkout rather than the gateway's delivery, which stays linked to it.
    async fn settle_event(
        &self,
        booking: BookingId,
        payment: &payments::Model,
        outcome: ChargeOutcome,
    ) -> Result<(), BookingError> {
        let span = tracing::info_span!("payment.settle", booking_id = %booking);
        crate::trace::continue_linked(&span, payment.trace_parent.as_deref());
        self.settle_in_span(booking, None, payment.id, Ok(outcome))
            .instrument(span)
            .await?;
        Ok(())
    }

    /// Records an event as handled; `Replayed` when another delivery recorded it first.
    async fn record_event<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: &str,
        kind: String,
        outcome: EventOutcome,
    ) -> Result<EventOutcome, BookingError> {
        let recorded = webhook_events::ActiveModel {
            id: Set(id.to_owned()),
            kind: Set(kind),
            received_at: Set(self.clock.now()),
        }
        .insert(conn)
        .await;
        match recorded {
            Ok(_) => Ok(outcome),
            Err(e) if is_unique_violation(&e) => Ok(EventOutcome::Replayed),
            Err(e) => Err(e.into()),
        }
    }
}
