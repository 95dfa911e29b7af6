//! Acting on the gateway's answer: confirm with tickets, fail and free the seats, refund
//! when the seats were lost meanwhile, or leave the payment for reconciliation.

use marquee_entity::{bookings, outbox, payments, show_seats};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use crate::catalog::SeatStatus;
use crate::events::{SeatChange, booking_status_row, seat_changes_row, tickets_issued_row};
use crate::gift_cards::spend::restore;
use crate::ids::{BookingId, SeatId, ShowtimeId};
use crate::payments::{ChargeOutcome, GatewayError};

use crate::write_batch::WriteBatch;

use super::expiry::free_seats;
use super::promotion_uses::give_back_promotion;
use super::seat_locks::in_seat_order;
use super::{Booking, BookingError, BookingService, BookingStatus, Ticket};

/// Ticket codes: 10 characters without look-alikes (0/O, 1/I), 50 bits of randomness.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub(super) fn ticket_code() -> Result<String, BookingError> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| {
        BookingError::Database(sea_orm::DbErr::Custom(format!("no randomness: {e}")))
    })?;
    Ok(bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % 32] as char)
        .collect())
}

impl BookingService {
    /// Applies a charge outcome to the booking and its payment.
    pub(crate) async fn settle(
        &self,
        id: BookingId,
        payment: Uuid,
        outcome: Result<ChargeOutcome, GatewayError>,
    ) -> Result<Booking, BookingError> {
        self.settle_known(id, None, payment, outcome).await
    }

    /// [`Self::settle`] for a caller that has just read the booking (checkout), which
    /// spares the confirmation from reading it again.
    #[tracing::instrument(name = "payment.settle", skip_all, fields(booking_id = %id))]
    pub(crate) async fn settle_known(
        &self,
        id: BookingId,
        known: Option<Booking>,
        payment: Uuid,
        outcome: Result<ChargeOutcome, GatewayError>,
    ) -> Result<Booking, BookingError> {
        self.settle_in_span(id, known, payment, outcome).await
    }

    /// [`Self::settle_known`] in the caller's span (a gateway event's, in the checkout's trace).
    pub(super) async fn settle_in_span(
        &self,
        id: BookingId,
        known: Option<Booking>,
        payment: Uuid,
        outcome: Result<ChargeOutcome, GatewayError>,
    ) -> Result<Booking, BookingError> {
        match outcome {
            Ok(ChargeOutcome::Succeeded { provider_ref }) => {
                self.confirm(id, known, payment, Some(provider_ref)).await
            }
            Ok(ChargeOutcome::Declined {
                provider_ref,
                reason,
            }) => self.fail(id, payment, provider_ref, &reason).await,
            Ok(ChargeOutcome::RequiresAction { provider_ref, .. }) => {
                // Kept as any pending payment: the buyer authenticates, then the answer
                // comes by `confirmCheckout`, a webhook or reconciliation.
                self.mark_payment(
                    payment,
                    super::authentication::REQUIRES_ACTION,
                    Some(provider_ref),
                    None,
                )
                .await?;
                match known {
                    Some(b) => Ok(b),
                    None => self.load(id).await,
                }
            }
            Ok(ChargeOutcome::Processing { provider_ref }) => {
                self.mark_payment(payment, "processing", Some(provider_ref), None)
                    .await?;
                self.load(id).await
            }
            Err(e) if e.outcome_unknown() => {
                tracing::warn!(booking_id = %id, error = %e, "payment outcome unknown; reconciliation will settle it");
                self.mark_payment(payment, "unknown", None, Some(e.to_string()))
                    .await?;
                self.load(id).await
            }
            Err(e) => {
                // Refused outright: nothing was charged; the buyer may try another method.
                let now = self.clock.now();
                let txn = self.db.begin().await?;
                let back = bookings::Entity::update_many()
                    .col_expr(
                        bookings::Column::Status,
                        Expr::value(BookingStatus::Held.as_str()),
                    )
                    .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
                    .filter(bookings::Column::Id.eq(id.uuid()))
                    .filter(bookings::Column::Status.eq(BookingStatus::PaymentPending.as_str()))
                    .exec(&txn)
                    .await?;
                if back.rows_affected == 1 {
                    give_back_promotion(&txn, id).await?;
                    restore(&txn, id, None, now).await?;
                }
                txn.commit().await?;
                self.mark_payment(payment, "failed", None, Some(e.to_string()))
                    .await?;
                Err(BookingError::invalid("paymentMethod", e.to_string()))
            }
        }
    }

    async fn mark_payment(
        &self,
        payment: Uuid,
        status: &str,
        provider_ref: Option<String>,
        reason: Option<String>,
    ) -> Result<(), BookingError> {
        mark_payment_in(
            &self.db,
            payment,
            status,
            provider_ref,
            reason,
            self.clock.now(),
        )
        .await?;
        Ok(())
    }

    /// The booking regardless of owner (for workers and settlement).
    pub(crate) async fn load(&self, id: BookingId) -> Result<Booking, BookingError> {
        let model = bookings::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        self.with_seats(vec![model])
            .await?
            .pop()
            .ok_or_else(|| BookingError::not_found("booking", id))
    }

    /// One transaction: seats held by this booking become sold, the booking CONFIRMED,
    /// tickets issued and the event written. If a seat went to someone else after the
    /// hold lapsed, the payment is refunded instead.
    #[tracing::instrument(skip_all, fields(booking_id = %id), err)]
    pub(crate) async fn confirm(
        &self,
        id: BookingId,
        known: Option<Booking>,
        payment: Uuid,
        provider_ref: Option<String>,
    ) -> Result<Booking, BookingError> {
        let mut current = match known {
            Some(b) => b,
            None => self.load(id).await?,
        };
        if current.status != BookingStatus::PaymentPending {
            // Confirmed by this charge already (then nothing is owed), or by another
            // attempt, or failed or expired meanwhile: this charge is given back.
            return self.refund_unawaited(id, payment, provider_ref).await;
        }
        let seats: Vec<Uuid> = current.seats.iter().map(|s| s.seat_id.uuid()).collect();
        let txn = self.db.begin().await?;
        // Seats still under this booking's hold (its id and fencing token) are ours, lapsed
        // or not: nobody took them. A later hold always carries a higher token.
        let sell = show_seats::Entity::update_many()
            .col_expr(
                show_seats::Column::Status,
                Expr::value(SeatStatus::Sold.as_str()),
            )
            .col_expr(
                show_seats::Column::HoldExpiresAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(
                show_seats::Column::Version,
                Expr::col(show_seats::Column::Version).add(1),
            )
            .filter(show_seats::Column::ShowtimeId.eq(current.showtime_id.uuid()))
            .filter(in_seat_order(
                current.showtime_id.uuid(),
                show_seats::Column::BookingId.eq(id.uuid()),
            ))
            .filter(show_seats::Column::BookingId.eq(id.uuid()))
            .filter(show_seats::Column::HoldToken.eq(current.fencing_token))
            .filter(show_seats::Column::Status.eq(SeatStatus::Held.as_str()));
        // Without general-admission places, the seats are sold in the confirmation's batch.
        let (sold, place_tickets, before) = if current.places.is_empty() {
            (None, Vec::new(), WriteBatch::new().update(sell))
        } else {
            let sold = WriteBatch::new().update(sell).run(&txn).await?[0];
            if sold != seats.len() as u64 {
                txn.rollback().await?;
                return self.reseat_or_refund(id, payment, provider_ref).await;
            }
            let Some(place_tickets) =
                super::places::sell_places(&txn, id, current.showtime_id, current.places.len())
                    .await?
            else {
                // General-admission places of a lapsed hold were given to others: refunded.
                txn.rollback().await?;
                return self.refund_lost(id, payment, provider_ref).await;
            };
            (Some(sold), place_tickets, WriteBatch::new())
        };
        let (counts, issued) = self
            .finish_confirmation(
                &txn,
                before,
                id,
                current.showtime_id,
                &seats,
                payment,
                provider_ref.as_deref(),
                None,
            )
            .await?;
        if sold.or(counts.first().copied()) != Some(seats.len() as u64) {
            txn.rollback().await?;
            return self.reseat_or_refund(id, payment, provider_ref).await;
        }
        let Some(mut tickets) = issued else {
            txn.rollback().await?;
            return self.refund_unawaited(id, payment, provider_ref).await;
        };
        if !place_tickets.is_empty() {
            super::places::record_tickets(
                &txn,
                id,
                current.showtime_id,
                &place_tickets,
                self.clock.now(),
            )
            .await?;
            tickets.extend(place_tickets);
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        current.status = BookingStatus::Confirmed;
        current.status_reason = None;
        current.tickets = tickets;
        Ok(current)
    }

    /// Inside a transaction whose seats are sold to the booking by now or by `before`
    /// (writes run first, in the same batch): the booking CONFIRMED, the payment succeeded,
    /// one ticket per seat, and the event written. The counts of `before`'s writes, and the
    /// tickets, or `None` when the booking was no longer awaiting payment; either way the
    /// caller rolls back when a count is not what it needs.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn finish_confirmation(
        &self,
        txn: &DatabaseTransaction,
        before: WriteBatch,
        id: BookingId,
        showtime: ShowtimeId,
        seats: &[Uuid],
        payment: Uuid,
        provider_ref: Option<&str>,
        note: Option<&str>,
    ) -> Result<(Vec<u64>, Option<Vec<Ticket>>), BookingError> {
        let now = self.clock.now();
        let confirm = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::Confirmed.as_str()),
            )
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                bookings::Column::StatusReason,
                Expr::value(note.map(str::to_owned)),
            )
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::PaymentPending.as_str()));
        let issued = seats
            .iter()
            .map(|seat| {
                Ok(Ticket {
                    code: ticket_code()?,
                    seat_id: SeatId::from(*seat),
                    status: "valid".to_owned(),
                })
            })
            .collect::<Result<Vec<_>, BookingError>>()?;
        let codes: Vec<&str> = issued.iter().map(|t| t.code.as_str()).collect();
        let sold: Vec<SeatChange> = seats
            .iter()
            .map(|seat_id| SeatChange {
                seat_id: *seat_id,
                status: SeatStatus::Sold.as_str().to_owned(),
                hold_expires_at: None,
            })
            .collect();
        let ahead = before.len();
        let mut writes = before
            .update(confirm)
            .update(mark_succeeded(payment, provider_ref, now));
        if let Some(rows) = super::places::ticket_rows(id, showtime, &issued, now) {
            writes = writes.insert(rows);
        }
        // Stamped as late as possible: subscribers measure delivery delays from it.
        let written = self.clock.now();
        let mut counts = writes
            .insert(outbox::Entity::insert_many([
                seat_changes_row(showtime.uuid(), &sold, written),
                booking_status_row(id.uuid(), BookingStatus::Confirmed.as_str(), None, written),
                tickets_issued_row(id.uuid(), showtime.uuid(), &codes, written),
            ]))
            .run(txn)
            .await?;
        let confirmed = counts[ahead] == 1;
        counts.truncate(ahead);
        Ok((counts, confirmed.then_some(issued)))
    }

    /// Declined: the booking fails and its seats go back on sale at once, if this payment
    /// was still pending (a late decline of an attempt already settled changes nothing).
    pub(crate) async fn fail(
        &self,
        id: BookingId,
        payment: Uuid,
        provider_ref: Option<String>,
        reason: &str,
    ) -> Result<Booking, BookingError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let settled = mark_payment_in(
            &txn,
            payment,
            "failed",
            provider_ref,
            Some(reason.to_owned()),
            now,
        )
        .await?;
        if !settled {
            txn.rollback().await?;
            return self.load(id).await;
        }
        let moved = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::PaymentFailed.as_str()),
            )
            .col_expr(
                bookings::Column::StatusReason,
                Expr::value(format!("payment declined: {reason}")),
            )
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::PaymentPending.as_str()))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 1 {
            free_seats(&txn, id, BookingStatus::PaymentFailed, now).await?;
            give_back_promotion(&txn, id).await?;
            restore(&txn, id, None, now).await?;
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        let booking = self.load(id).await?;
        let seat_ids: Vec<SeatId> = booking.seats.iter().map(|s| s.seat_id).collect();
        self.holds.release(booking.showtime_id, &seat_ids, id).await;
        self.release_place_claims(&booking).await;
        Ok(booking)
    }
}

/// The update that records a payment as taken by the gateway.
pub(super) fn mark_succeeded(
    payment: Uuid,
    provider_ref: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> sea_orm::UpdateMany<payments::Entity> {
    let mut update = payments::Entity::update_many()
        .col_expr(payments::Column::Status, Expr::value("succeeded"))
        .col_expr(
            payments::Column::NextCheckAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(payments::Column::UpdatedAt, Expr::value(now));
    if let Some(r) = provider_ref {
        update = update.col_expr(payments::Column::ProviderRef, Expr::value(r.to_owned()));
    }
    update.filter(payments::Column::Id.eq(payment))
}

/// The payment states an answer may still move; `succeeded` and `failed` are final.
pub const UNSETTLED: [&str; 4] = ["pending", "unknown", "processing", "requires_action"];

/// Records the gateway's answer on a payment still unsettled, inside the caller's
/// transaction or not; whether it moved. A late or repeated answer never overwrites a
/// settled payment (a "processing" after "succeeded" would hide the charge from refunds).
pub(super) async fn mark_payment_in<C: ConnectionTrait>(
    conn: &C,
    payment: Uuid,
    status: &str,
    provider_ref: Option<String>,
    reason: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, BookingError> {
    let mut update = payments::Entity::update_many()
        .col_expr(payments::Column::Status, Expr::value(status))
        .col_expr(payments::Column::UpdatedAt, Expr::value(now));
    if let Some(r) = provider_ref {
        update = update.col_expr(payments::Column::ProviderRef, Expr::value(r));
    }
    if let Some(r) = reason {
        update = update.col_expr(payments::Column::FailureReason, Expr::value(r));
    }
    if matches!(status, "succeeded" | "failed") {
        update = update.col_expr(
            payments::Column::NextCheckAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        );
    }
    let moved = update
        .filter(payments::Column::Id.eq(payment))
        .filter(payments::Column::Status.is_in(UNSETTLED))
        .exec(conn)
        .await?;
    Ok(moved.rows_affected == 1)
}
