//! Payments that need the buyer's authentication (3-D Secure): what the buyer's browser
//! needs to run it, settling once it has run, and giving up on it when the seats' kept
//! time is over. Every outcome goes through the same settlement as a direct answer.

use chrono::{DateTime, Utc};
use marquee_entity::{payments, refunds};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::{Principal, Role};
use crate::ids::BookingId;
use crate::payments::{ChargeOutcome, ClientSecret};

use super::{Booking, BookingError, BookingService, BookingStatus};

/// The stored status of a payment awaiting the buyer's authentication.
pub(super) const REQUIRES_ACTION: &str = "requires_action";

/// Where a booking's latest payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    /// Sent, or its outcome not known yet.
    Pending,
    /// The buyer must authenticate it before anything is taken.
    RequiresAction,
    /// Taken.
    Succeeded,
    /// Declined, failed authentication or given up: nothing taken.
    Failed,
    /// Taken and given back in full.
    Refunded,
}

/// A booking's latest payment as its reader may see it.
#[derive(Debug, Clone)]
pub struct PaymentView {
    /// Where it stands.
    pub status: PaymentState,
    /// Only for the booking's owner, only while the payment awaits authentication.
    pub client_secret: Option<ClientSecret>,
}

impl BookingService {
    /// The latest payment of `booking`, for its owner or an admin (`None` for anyone else,
    /// or before any checkout). The client secret is asked of the gateway, never stored,
    /// and given to the owner only.
    pub async fn payment_of(
        &self,
        who: &Principal,
        booking: &Booking,
    ) -> Result<Option<PaymentView>, BookingError> {
        let owner = booking.user_id == who.user_id;
        if !owner && who.role != Role::Admin {
            return Ok(None);
        }
        let Some(payment) = self.latest_payment(booking.id).await? else {
            return Ok(None);
        };
        let status = match payment.status.as_str() {
            "succeeded" => {
                let refunded: i64 = refunds::Entity::find()
                    .filter(refunds::Column::PaymentId.eq(payment.id))
                    .all(&self.db)
                    .await?
                    .iter()
                    .map(|r| r.amount_cents)
                    .sum();
                if refunded >= payment.amount_cents {
                    PaymentState::Refunded
                } else {
                    PaymentState::Succeeded
                }
            }
            "failed" => PaymentState::Failed,
            REQUIRES_ACTION => PaymentState::RequiresAction,
            _ => PaymentState::Pending,
        };
        let mut client_secret = None;
        if owner && status == PaymentState::RequiresAction {
            match self
                .gateway
                .lookup(&payment.idempotency_key, payment.provider_ref.as_deref())
                .await
            {
                Ok(Some(ChargeOutcome::RequiresAction {
                    client_secret: secret,
                    ..
                })) => client_secret = Some(secret),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(booking_id = %booking.id, error = %e, "cannot read a payment's client secret from the gateway");
                }
            }
        }
        Ok(Some(PaymentView {
            status,
            client_secret,
        }))
    }

    /// After the buyer's authentication step: asks the gateway how the payment ended and
    /// settles it (confirmed with tickets, or failed with the seats released); a payment
    /// still awaiting authentication is left as it is. Only the booking's owner may.
    #[tracing::instrument(skip_all, fields(booking_id = %id), err)]
    pub async fn confirm_checkout(
        &self,
        who: &Principal,
        id: BookingId,
    ) -> Result<Booking, BookingError> {
        let booking = self
            .find_owned(who, id)
            .await?
            .filter(|b| b.user_id == who.user_id)
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        if booking.status != BookingStatus::PaymentPending {
            return Ok(booking);
        }
        let Some(payment) = self.latest_payment(id).await? else {
            return Ok(booking);
        };
        if !super::settle::UNSETTLED.contains(&payment.status.as_str()) {
            return Ok(booking);
        }
        let outcome = self
            .gateway
            .lookup(&payment.idempotency_key, payment.provider_ref.as_deref())
            .await;
        match outcome {
            Ok(Some(outcome)) => {
                self.settle_known(id, Some(booking), payment.id, Ok(outcome))
                    .await
            }
            // Not known to the gateway yet, or unreachable: reconciliation goes on asking.
            Ok(None) => Ok(booking),
            Err(e) if e.outcome_unknown() => Err(BookingError::PaymentsUnavailable),
            Err(e) => {
                tracing::warn!(booking_id = %id, error = %e, "the gateway refused a payment lookup");
                Ok(booking)
            }
        }
    }

    /// Reconciliation found `payment` still awaiting authentication: past the booking's
    /// kept-seat time the attempt is cancelled at the gateway and settled by what that
    /// says (failed, or succeeded if the buyer made it meanwhile); before, the next
    /// question is asked no later than that time.
    pub(super) async fn settle_awaiting(
        &self,
        id: BookingId,
        payment: uuid::Uuid,
        key: &str,
        provider_ref: Option<&str>,
        outcome: ChargeOutcome,
        next_check: DateTime<Utc>,
    ) -> Result<(), BookingError> {
        let booking = self.load(id).await?;
        let now = self.clock.now();
        if booking.status == BookingStatus::PaymentPending && booking.expires_at > now {
            self.settle(id, payment, Ok(outcome)).await?;
            if next_check > booking.expires_at {
                payments::Entity::update_many()
                    .col_expr(
                        payments::Column::NextCheckAt,
                        Expr::value(booking.expires_at),
                    )
                    .filter(payments::Column::Id.eq(payment))
                    .exec(&self.db)
                    .await?;
            }
            return Ok(());
        }
        tracing::info!(booking_id = %id, "a payment was not authenticated in time; cancelling it");
        match self.gateway.cancel(key, provider_ref).await {
            Ok(Some(ChargeOutcome::RequiresAction { provider_ref, .. })) => {
                // The gateway would not cancel it: nothing was taken, and nothing can be
                // for this booking any more.
                self.fail(
                    id,
                    payment,
                    Some(provider_ref),
                    "authentication not completed in time",
                )
                .await?;
            }
            Ok(Some(ChargeOutcome::Declined { provider_ref, .. })) => {
                self.fail(
                    id,
                    payment,
                    provider_ref,
                    "authentication not completed in time",
                )
                .await?;
            }
            Ok(Some(other)) => {
                self.settle(id, payment, Ok(other)).await?;
            }
            Ok(None) => {
                self.fail(id, payment, None, "authentication not completed in time")
                    .await?;
            }
            Err(e) => {
                tracing::warn!(booking_id = %id, error = %e, "cannot cancel an unauthenticated payment yet");
            }
        }
        Ok(())
    }

    async fn latest_payment(&self, id: BookingId) -> Result<Option<payments::Model>, BookingError> {
        Ok(payments::Entity::find()
            .filter(payments::Column::BookingId.eq(id.uuid()))
            .order_by_desc(payments::Column::CreatedAt)
            .order_by_desc(payments::Column::Id)
            .one(&self.db)
            .await?)
    }
}
