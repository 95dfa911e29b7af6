//! Payments that need the buyer's authentication (3-D Secure): what the buyer's browser
//! needs to run it, settling once it has run, and giving up on it when the seats' kept
//! time is over. Every outcome goes through the same settlement as a direct answer.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{gift_card_entries, payments, refunds};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::accounts::{Principal, Role};
use crate::db::ROWS_PER_STATEMENT;
use crate::ids::{BookingId, UserId};
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
    /// What the payment method is (or was to be) charged, in minor units.
    pub card_cents: i64,
    /// What a gift card paid of this attempt, in minor units.
    pub gift_card_cents: i64,
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
        Ok(self
            .payments_of(who, &[(booking.id, booking.user_id)])
            .await?
            .remove(&booking.id))
    }

    /// [`Self::payment_of`] for many bookings (id and owner) in two reads per 500: what
    /// a list of bookings shows. Bookings the caller may not see are left out.
    pub async fn payments_of(
        &self,
        who: &Principal,
        bookings: &[(BookingId, UserId)],
    ) -> Result<HashMap<BookingId, PaymentView>, BookingError> {
        let readable: Vec<(BookingId, bool)> = bookings
            .iter()
            .filter_map(|(id, owner)| {
                let own = *owner == who.user_id;
                (own || who.role == Role::Admin).then_some((*id, own))
            })
            .collect();
        let mut found = HashMap::new();
        for chunk in readable.chunks(ROWS_PER_STATEMENT) {
            let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| id.uuid()).collect();
            // Newest first, so the first row seen of each booking is its latest payment.
            let mut latest: HashMap<Uuid, payments::Model> = HashMap::new();
            for p in payments::Entity::find()
                .filter(payments::Column::BookingId.is_in(ids))
                .order_by_desc(payments::Column::CreatedAt)
                .order_by_desc(payments::Column::Id)
                .all(&self.db)
                .await?
            {
                latest.entry(p.booking_id).or_insert(p);
            }
            let succeeded: Vec<Uuid> = latest
                .values()
                .filter(|p| p.status == "succeeded")
                .map(|p| p.id)
                .collect();
            let attempts: Vec<Uuid> = latest.values().map(|p| p.id).collect();
            let mut gift_paid: HashMap<Uuid, i64> = HashMap::new();
            for e in gift_card_entries::Entity::find()
                .filter(gift_card_entries::Column::PaymentId.is_in(attempts))
                .filter(gift_card_entries::Column::Kind.eq("spend"))
                .all(&self.db)
                .await?
            {
                if let Some(p) = e.payment_id {
                    *gift_paid.entry(p).or_default() -= e.amount_cents;
                }
            }
            let mut refunded: HashMap<Uuid, i64> = HashMap::new();
            if !succeeded.is_empty() {
                for r in refunds::Entity::find()
                    .filter(refunds::Column::PaymentId.is_in(succeeded))
                    .all(&self.db)
                    .await?
                {
                    *refunded.entry(r.payment_id).or_default() += r.amount_cents;
                }
            }
            for (id, own) in chunk {
                let Some(payment) = latest.get(&id.uuid()) else {
                    continue;
                };
                let status = match payment.status.as_str() {
                    // Nothing charged (a gift card or a promotion paid it all): nothing to refund.
                    "succeeded"
                        if payment.amount_cents > 0
                            && refunded.get(&payment.id).copied().unwrap_or(0)
                                >= payment.amount_cents =>
                    {
                        PaymentState::Refunded
                    }
                    "succeeded" => PaymentState::Succeeded,
                    "failed" => PaymentState::Failed,
                    REQUIRES_ACTION => PaymentState::RequiresAction,
                    _ => PaymentState::Pending,
                };
                let client_secret = if *own && status == PaymentState::RequiresAction {
                    self.client_secret_of(*id, payment).await
                } else {
                    None
                };
                found.insert(
                    *id,
                    PaymentView {
                        status,
                        client_secret,
                        card_cents: payment.amount_cents,
                        gift_card_cents: gift_paid.get(&payment.id).copied().unwrap_or(0),
                    },
                );
            }
        }
        Ok(found)
    }

    /// The secret the buyer's browser needs to authenticate, asked of the gateway.
    async fn client_secret_of(
        &self,
        booking: BookingId,
        payment: &payments::Model,
    ) -> Option<ClientSecret> {
        match self
            .gateway
            .lookup(&payment.idempotency_key, payment.provider_ref.as_deref())
            .await
        {
            Ok(Some(ChargeOutcome::RequiresAction { client_secret, .. })) => Some(client_secret),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(booking_id = %booking, error = %e, "cannot read a payment's client secret from the gateway");
                None
            }
        }
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
