//! Charges that came too late for their booking: the seats were lost after the hold lapsed,
//! or the booking was no longer awaiting this payment. Each is recorded as taken and
//! refunded in full through the retried refunds, never kept without tickets.

use marquee_entity::{bookings, payments};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
use uuid::Uuid;

use crate::gift_cards::spend::restore;
use crate::ids::BookingId;

use super::expiry::free_seats;
use super::promotion_uses::give_back_promotion;
use super::refunds::{OwedRefund, record_refund};
use super::settle::{mark_payment_in, mark_succeeded};
use super::{Booking, BookingError, BookingService, BookingStatus};

impl BookingService {
    /// A charge went through for a booking that was no longer awaiting it (confirmed by
    /// another attempt, failed, expired or cancelled meanwhile): the charge is recorded as
    /// taken and refunded in full, through the same retried refunds as every other. The
    /// payment's move to `succeeded` is the guard: a charge that confirmed the booking, or
    /// one already refunded this way, is never refunded (again).
    pub(super) async fn refund_unawaited(
        &self,
        id: BookingId,
        payment: Uuid,
        provider_ref: Option<String>,
    ) -> Result<Booking, BookingError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let taken = mark_succeeded(payment, provider_ref.as_deref(), now)
            .filter(payments::Column::Status.ne("succeeded"))
            .exec(&txn)
            .await?;
        if taken.rows_affected != 1 {
            txn.rollback().await?;
            return self.load(id).await;
        }
        let amount: Option<i64> = payments::Entity::find_by_id(payment)
            .select_only()
            .column(payments::Column::AmountCents)
            .into_tuple()
            .one(&txn)
            .await?;
        let refund = record_refund(
            &txn,
            OwedRefund {
                booking: id,
                payment,
                amount: amount.unwrap_or_default(),
                reason: "charged for a booking that was no longer awaiting this payment",
            },
            now,
        )
        .await?;
        txn.commit().await?;
        tracing::warn!(booking_id = %id, %payment, "a charge arrived for a booking no longer awaiting it; refunding it");
        self.send_refund(refund).await?;
        self.load(id).await
    }

    /// Paid, but a seat went to someone else after the hold lapsed: refund in full.
    pub(super) async fn refund_lost(
        &self,
        id: BookingId,
        payment: Uuid,
        provider_ref: Option<String>,
    ) -> Result<Booking, BookingError> {
        let now = self.clock.now();
        let booking = self.load(id).await?;
        let txn = self.db.begin().await?;
        let moved = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::Refunded.as_str()),
            )
            .col_expr(
                bookings::Column::StatusReason,
                Expr::value("the seats were taken after the hold expired; the payment is refunded"),
            )
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::PaymentPending.as_str()))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            // Settled meanwhile: this charge is owed back unless it was the one that settled.
            txn.rollback().await?;
            return self.refund_unawaited(id, payment, provider_ref).await;
        }
        free_seats(&txn, id, BookingStatus::Refunded, now).await?;
        give_back_promotion(&txn, id).await?;
        // The gift card's part goes back to the card, the card's part to the card's payer.
        let gift_part = restore(&txn, id, None, now).await?;
        // The charge and the refund it is owed are recorded with the booking's end, so a
        // crash after the commit still leaves the refund to be sent.
        mark_payment_in(&txn, payment, "succeeded", provider_ref, None, now).await?;
        let owed = booking.total_cents - gift_part;
        let refund = if owed > 0 {
            Some(
                record_refund(
                    &txn,
                    OwedRefund {
                        booking: id,
                        payment,
                        amount: owed,
                        reason: "seats lost after the hold expired",
                    },
                    now,
                )
                .await?,
            )
        } else {
            None
        };
        txn.commit().await?;
        self.outbox_wake.notify_one();
        if let Some(refund) = refund {
            self.send_refund(refund).await?;
        }
        self.load(id).await
    }
}
