//! Cancelling a confirmed booking before the show: seats back on sale, tickets void, and a
//! refund that shrinks as the show approaches.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{booking_seats, bookings, outbox, payments, showtimes, tickets};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::accounts::Principal;
use crate::catalog::ShowtimeStatus;
use crate::events::{booking_status_row, booking_status_row_because};
use crate::gift_cards::spend::{outstanding, restore};
use crate::ids::{BookingId, SeatId};
use tracing::Instrument as _;
use uuid::Uuid;

use super::expiry::back_on_sale;
use super::refunds::{OwedRefund, record_refund};
use super::{Booking, BookingError, BookingService, BookingStatus, ExecutionOutcome};

/// What cancelling a booking would give back now, and until when each share applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationQuote {
    /// The refund, or why cancelling is refused.
    pub refund: Result<RefundQuote, String>,
    /// Until when cancelling refunds in full (none for a show the theatre cancelled: always).
    pub full_refund_until: Option<DateTime<Utc>>,
    /// Until when cancelling refunds half.
    pub partial_refund_until: Option<DateTime<Utc>>,
}

/// A refund cancelling would make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundQuote {
    /// Amount, in minor units of the booking's currency.
    pub cents: i64,
    /// The whole total (else half of it).
    pub full: bool,
}

impl BookingService {
    /// The share of the price refunded when cancelling `before` the show: full, half, or
    /// none (then cancelling is refused). A show the theatre cancelled is always refunded
    /// in full.
    pub fn refund_share(&self, before: Duration, showtime_cancelled: bool) -> Option<(i64, i64)> {
        if showtime_cancelled || before >= self.settings.full_refund_before {
            Some((1, 1))
        } else if before >= self.settings.partial_refund_before {
            Some((1, 2))
        } else {
            None
        }
    }

    /// What cancelling `booking` would refund at `now`, for a show starting at `starts_at`
    /// (cancelled by the theatre or not): the same rule [`Self::cancel_booking`] applies.
    pub fn cancellation_quote(
        &self,
        booking: &Booking,
        starts_at: DateTime<Utc>,
        showtime_cancelled: bool,
        now: DateTime<Utc>,
    ) -> CancellationQuote {
        let deadlines = (!showtime_cancelled).then(|| {
            (
                starts_at - self.settings.full_refund_before,
                starts_at - self.settings.partial_refund_before,
            )
        });
        let refused = |reason: &str| CancellationQuote {
            refund: Err(reason.to_owned()),
            full_refund_until: deadlines.map(|d| d.0),
            partial_refund_until: deadlines.map(|d| d.1),
        };
        if booking.status != BookingStatus::Confirmed {
            return refused("only a confirmed booking can be cancelled; release a hold instead");
        }
        if starts_at <= now && !showtime_cancelled {
            return refused("the show has started");
        }
        let Some((num, den)) = self.refund_share(starts_at - now, showtime_cancelled) else {
            return refused("too close to the show to cancel");
        };
        CancellationQuote {
            refund: Ok(RefundQuote {
                cents: booking.total_cents * num / den,
                full: num == den,
            }),
            full_refund_until: deadlines.map(|d| d.0),
            partial_refund_until: deadlines.map(|d| d.1),
        }
    }

    /// Cancels the caller's confirmed booking and refunds by the policy.
    #[tracing::instrument(skip_all, fields(booking_id = %id), err)]
    pub async fn cancel_booking(
        &self,
        who: &Principal,
        id: BookingId,
    ) -> Result<Booking, BookingError> {
        let booking = self
            .find_owned(who, id)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        if booking.status == BookingStatus::Cancelled {
            return Ok(booking);
        }
        if booking.status != BookingStatus::Confirmed {
            return Err(BookingError::Conflict(
                "only a confirmed booking can be cancelled; release a hold instead".into(),
            ));
        }
        let now = self.clock.now();
        let showtime = showtimes::Entity::find_by_id(booking.showtime_id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| BookingError::not_found("showtime", booking.showtime_id))?;
        let cancelled_show = showtime.status == ShowtimeStatus::Cancelled.as_str();
        let amount = self
            .cancellation_quote(&booking, showtime.starts_at, cancelled_show, now)
            .refund
            .map_err(BookingError::Conflict)?
            .cents;
        self.end_confirmed(
            booking,
            amount,
            Ending {
                status: BookingStatus::Cancelled,
                reason: format!("cancelled by the buyer; {amount} refunded"),
                event_reason: None,
                refund_reason: "cancelled by the buyer",
                alongside: None,
            },
        )
        .await
    }

    /// Ends a confirmed booking: seats back on sale, tickets void, the events written, and
    /// `amount` refunded.
    pub(super) async fn end_confirmed(
        &self,
        booking: Booking,
        amount: i64,
        ending: Ending,
    ) -> Result<Booking, BookingError> {
        let id = booking.id;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let moved = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(ending.status.as_str()),
            )
            .col_expr(bookings::Column::StatusReason, Expr::value(ending.reason))
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::Confirmed.as_str()))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            txn.rollback().await?;
            return self.load(id).await;
        }
        // Sold seats are the booking's alone: these are exactly the ones freed.
        let seats: Vec<uuid::Uuid> = booking.seats.iter().map(|s| s.seat_id.uuid()).collect();
        back_on_sale(&txn, booking.showtime_id.uuid(), &seats, id, now).await?;
        booking_seats::Entity::update_many()
            .col_expr(booking_seats::Column::Active, Expr::value(false))
            .filter(booking_seats::Column::BookingId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        super::places::release_places(&txn, id).await?;
        tickets::Entity::update_many()
            .col_expr(tickets::Column::Status, Expr::value("void"))
            .filter(tickets::Column::BookingId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        outbox::Entity::insert(match ending.event_reason {
            Some(why) => booking_status_row_because(id.uuid(), ending.status.as_str(), why, now),
            None => booking_status_row(id.uuid(), ending.status.as_str(), None, now),
        })
        .exec(&txn)
        .await?;
        // What is given back is split as the booking was paid: the gift card's share goes
        // back to the card in this transaction, the rest is refunded to the payment method.
        let gift_share = match outstanding(&txn, id).await? {
            Some((_, spent, _)) if booking.total_cents > 0 => i64::try_from(
                i128::from(amount) * i128::from(spent) / i128::from(booking.total_cents),
            )
            .unwrap_or(spent),
            _ => 0,
        };
        let restored = restore(&txn, id, Some(gift_share), now).await?;
        // What is owed back is written with the booking's end, so it is sent even if this
        // process dies right after the commit.
        let paid = payments::Entity::find()
            .filter(payments::Column::BookingId.eq(id.uuid()))
            .filter(payments::Column::Status.eq("succeeded"))
            .one(&txn)
            .await?;
        let card_share = amount - restored;
        let refund = match paid {
            Some(p) if card_share > 0 && p.amount_cents > 0 => Some(
                record_refund(
                    &txn,
                    OwedRefund {
                        booking: id,
                        payment: p.id,
                        amount: std::cmp::min(card_share, p.amount_cents),
                        reason: ending.refund_reason,
                    },
                    now,
                )
                .await?,
            ),
            _ => None,
        };
        if let Some(record) = ending.alongside {
            record.write(&txn, refund).await?;
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        if let Some(refund) = refund {
            self.send_refund(refund).await?;
        }
        let seat_ids: Vec<SeatId> = booking.seats.iter().map(|s| s.seat_id).collect();
        self.holds.release(booking.showtime_id, &seat_ids, id).await;
        self.release_place_claims(&booking).await;
        self.load(id).await
    }
}

/// How a confirmed booking ends.
pub(super) struct Ending {
    pub(super) status: BookingStatus,
    pub(super) reason: String,
    /// For the status event, when it is not the buyer's doing.
    pub(super) event_reason: Option<&'static str>,
    pub(super) refund_reason: &'static str,
    /// Written in the same transaction (staff refunds: the ticket's record, the audit log).
    pub(super) alongside: Option<Box<dyn AlongsideEnding>>,
}

/// What a staff action writes beside the end of a booking, in its transaction, so that the
/// refund and its record commit together or not at all.
#[async_trait::async_trait]
pub trait AlongsideEnding: Send {
    /// Writes on `txn`; `refund` is the pending refund written, when money is owed back.
    async fn write(
        self: Box<Self>,
        txn: &sea_orm::DatabaseTransaction,
        refund: Option<Uuid>,
    ) -> Result<(), sea_orm::DbErr>;
}

/// Why a booking of a cancelled showtime ended, as its status event says.
pub const SHOWTIME_CANCELLED_REASON: &str = "showtime_cancelled";

impl BookingService {
    /// Ends one booking of a showtime the theatre cancelled: a hold is released, a
    /// confirmed booking refunded in full. One booking per call, so a crash loses nothing.
    pub async fn end_next_of_cancelled_showtime(&self) -> Result<ExecutionOutcome, BookingError> {
        let cancelled = Query::select()
            .column(showtimes::Column::Id)
            .from(showtimes::Entity)
            .and_where(Expr::col(showtimes::Column::Status).eq(ShowtimeStatus::Cancelled.as_str()))
            .to_owned();
        let Some(due) = bookings::Entity::find()
            .filter(bookings::Column::ShowtimeId.in_subquery(cancelled))
            .filter(bookings::Column::Status.is_in([
                BookingStatus::Held.as_str(),
                BookingStatus::Confirmed.as_str(),
            ]))
            .one(&self.db)
            .await?
        else {
            return Ok(ExecutionOutcome::EmptyQueue);
        };
        let span = tracing::info_span!(
            "booking.end_for_cancelled_showtime",
            booking_id = %due.id,
            showtime_id = %due.showtime_id,
        );
        self.end_for_cancelled_showtime(due.id)
            .instrument(span)
            .await
    }

    async fn end_for_cancelled_showtime(&self, id: Uuid) -> Result<ExecutionOutcome, BookingError> {
        let booking = self.load(BookingId::from(id)).await?;
        match booking.status {
            BookingStatus::Confirmed => {
                let total = booking.total_cents;
                self.end_confirmed(
                    booking,
                    total,
                    Ending {
                        status: BookingStatus::Refunded,
                        reason: "the showtime was cancelled by the theatre; refunded in full"
                            .into(),
                        event_reason: Some(SHOWTIME_CANCELLED_REASON),
                        refund_reason: "showtime cancelled",
                        alongside: None,
                    },
                )
                .await?;
            }
            _ => {
                self.cancel_hold(
                    booking.id,
                    "the showtime was cancelled by the theatre",
                    false,
                )
                .await?;
            }
        }
        Ok(ExecutionOutcome::TaskCompleted)
    }
}

impl BookingService {
    /// Runs until the process stops: ends the bookings of cancelled showtimes, then waits
    /// `idle` for more.
    pub async fn run_cancelled_showtimes(self, idle: std::time::Duration) {
        loop {
            match self.end_next_of_cancelled_showtime().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => tokio::time::sleep(idle).await,
                Err(e) => {
                    tracing::warn!(error = ?e, "ending a booking of a cancelled showtime failed; retrying");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }
}
