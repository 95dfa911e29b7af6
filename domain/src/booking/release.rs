//! Giving seats back: a buyer's release of a hold, and the refusal that names the seats
//! someone else holds.

use chrono::{DateTime, Utc};
use marquee_entity::{bookings, show_seats};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::accounts::Principal;
use crate::catalog::SeatStatus;
use crate::ids::{BookingId, SeatId};

use super::holds::seat_uuids;
use super::{Booking, BookingError, BookingService, BookingStatus};

impl BookingService {
    /// Ends a held booking as CANCELLED and frees its seats, unless it has moved on (or,
    /// with `only_unexpired`, lapsed) meanwhile; whether it did.
    pub(super) async fn cancel_hold(
        &self,
        id: BookingId,
        reason: &str,
        only_unexpired: bool,
    ) -> Result<bool, BookingError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let mut update = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::Cancelled.as_str()),
            )
            .col_expr(bookings::Column::StatusReason, Expr::value(reason))
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::Held.as_str()));
        if only_unexpired {
            update = update.filter(bookings::Column::ExpiresAt.gt(now));
        }
        if update.exec(&txn).await?.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        super::expiry::free_seats(&txn, id, BookingStatus::Cancelled, now).await?;
        txn.commit().await?;
        self.outbox_wake.notify_one();
        Ok(true)
    }

    /// Which of `ids` are held (unexpired) or sold now.
    pub(super) async fn unavailable(
        &self,
        showtime: Uuid,
        ids: &[SeatId],
        now: DateTime<Utc>,
    ) -> Result<Vec<SeatId>, BookingError> {
        let rows = show_seats::Entity::find()
            .filter(show_seats::Column::ShowtimeId.eq(showtime))
            .filter(show_seats::Column::SeatId.is_in(seat_uuids(ids)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                let lapsed = r.status == SeatStatus::Held.as_str()
                    && r.hold_expires_at.is_none_or(|t| t <= now);
                r.status != SeatStatus::Available.as_str() && !lapsed
            })
            .map(|r| SeatId::from(r.seat_id))
            .collect())
    }

    /// Gives a held booking's seats back at once.
    #[tracing::instrument(skip_all, fields(booking_id = %id), err)]
    pub async fn release_hold(
        &self,
        who: &Principal,
        id: BookingId,
    ) -> Result<Booking, BookingError> {
        let booking = self
            .find_owned(who, id)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        match booking.status {
            BookingStatus::Held => {}
            BookingStatus::Expired => return Err(BookingError::HoldExpired),
            _ => {
                return Err(BookingError::Conflict(
                    "only a held booking can be released".into(),
                ));
            }
        }
        if !self.cancel_hold(id, "released by the buyer", true).await? {
            return Err(BookingError::HoldExpired);
        }
        let seat_ids: Vec<SeatId> = booking.seats.iter().map(|s| s.seat_id).collect();
        self.holds.release(booking.showtime_id, &seat_ids, id).await;
        self.release_place_claims(&booking).await;
        self.find_owned(who, id)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))
    }
}
