//! A paid booking lost a seat after its hold lapsed: offer equivalent seats side by side in
//! the same category before falling back to a full refund.

use std::collections::HashMap;

use marquee_entity::{booking_seats, show_seats};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::catalog::{SeatCategory, SeatStatus};
use crate::ids::BookingId;
use crate::write_batch::WriteBatch;

use super::best_available::choose;
use super::expiry::back_on_sale;
use super::{Booking, BookingError, BookingService};

impl BookingService {
    /// Re-seats the booking on equivalent seats if there are any, else refunds it.
    pub(super) async fn reseat_or_refund(
        &self,
        id: BookingId,
        payment: Uuid,
        provider_ref: Option<String>,
    ) -> Result<Booking, BookingError> {
        let booking = self.load(id).await?;
        let mut categories: Vec<SeatCategory> = booking.seats.iter().map(|s| s.category).collect();
        categories.dedup();
        // Only a single-category booking of ordinary seats has an "equivalent" elsewhere;
        // wheelchair spaces stay where the buyer chose them.
        let reseatable = categories.len() == 1
            && matches!(
                categories[0],
                SeatCategory::Standard | SeatCategory::Premium
            )
            && !booking.seats.is_empty()
            && booking.places.is_empty();
        if reseatable
            && let Some(booking) = self
                .try_reseat(&booking, categories[0], payment, provider_ref.as_deref())
                .await?
        {
            return Ok(booking);
        }
        self.refund_lost(id, payment, provider_ref).await
    }

    async fn try_reseat(
        &self,
        booking: &Booking,
        category: SeatCategory,
        payment: Uuid,
        provider_ref: Option<&str>,
    ) -> Result<Option<Booking>, BookingError> {
        let id = booking.id;
        let n = booking.seats.len();
        let map = self
            .map_for_choice(booking.showtime_id, Some(id), None)
            .await?;
        let Some(chosen) = choose(&map, n, category) else {
            return Ok(None);
        };
        let chosen: Vec<Uuid> = chosen.into_iter().map(|s| s.uuid()).collect();
        let price: HashMap<Uuid, i64> = booking
            .seats
            .iter()
            .map(|s| (s.seat_id.uuid(), s.price_cents))
            .collect();
        let paid_each = booking.seats.first().map_or(0, |s| s.price_cents);
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Take the chosen seats if they are still free (or still ours).
        let free_or_ours = Condition::any()
            .add(show_seats::Column::Status.eq(SeatStatus::Available.as_str()))
            .add(
                Condition::all()
                    .add(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
                    .add(
                        Condition::any()
                            .add(show_seats::Column::HoldExpiresAt.lte(now))
                            .add(
                                Condition::all()
                                    .add(show_seats::Column::BookingId.eq(id.uuid()))
                                    .add(show_seats::Column::HoldToken.eq(booking.fencing_token)),
                            ),
                    ),
            );
        let taken = show_seats::Entity::update_many()
            .col_expr(
                show_seats::Column::Status,
                Expr::value(SeatStatus::Sold.as_str()),
            )
            .col_expr(show_seats::Column::BookingId, Expr::value(id.uuid()))
            .col_expr(
                show_seats::Column::HoldToken,
                Expr::value(booking.fencing_token),
            )
            .col_expr(
                show_seats::Column::HoldExpiresAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(
                show_seats::Column::Version,
                Expr::col(show_seats::Column::Version).add(1),
            )
            .filter(show_seats::Column::ShowtimeId.eq(booking.showtime_id.uuid()))
            .filter(show_seats::Column::SeatId.is_in(chosen.clone()))
            .filter(free_or_ours)
            .exec(&txn)
            .await?;
        if taken.rows_affected != n as u64 {
            txn.rollback().await?;
            return Ok(None);
        }
        // Give back what we still held elsewhere, and move the booking's seat rows.
        let given_back: Vec<Uuid> = show_seats::Entity::find()
            .select_only()
            .column(show_seats::Column::SeatId)
            .filter(show_seats::Column::ShowtimeId.eq(booking.showtime_id.uuid()))
            .filter(show_seats::Column::BookingId.eq(id.uuid()))
            .filter(show_seats::Column::HoldToken.eq(booking.fencing_token))
            .filter(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
            .into_tuple()
            .all(&txn)
            .await?;
        back_on_sale(
            &txn,
            booking.showtime_id.uuid(),
            &given_back,
            id,
            self.clock.now(),
        )
        .await?;
        booking_seats::Entity::update_many()
            .col_expr(booking_seats::Column::Active, Expr::value(false))
            .filter(booking_seats::Column::ShowtimeId.eq(booking.showtime_id.uuid()))
            .filter(booking_seats::Column::SeatId.is_in(chosen.clone()))
            .filter(booking_seats::Column::BookingId.ne(id.uuid()))
            .exec(&txn)
            .await?;
        booking_seats::Entity::delete_many()
            .filter(booking_seats::Column::BookingId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        booking_seats::Entity::insert_many(chosen.iter().map(|seat| booking_seats::ActiveModel {
            booking_id: Set(id.uuid()),
            seat_id: Set(*seat),
            showtime_id: Set(booking.showtime_id.uuid()),
            category: Set(category.as_str().to_owned()),
            price_cents: Set(price.get(seat).copied().unwrap_or(paid_each)),
            active: Set(true),
        }))
        .exec(&txn)
        .await?;
        let note = "re-seated: seats were taken after the hold expired";
        if self
            .finish_confirmation(
                &txn,
                WriteBatch::new(),
                id,
                booking.showtime_id,
                &chosen,
                payment,
                provider_ref,
                Some(note),
            )
            .await?
            .1
            .is_none()
        {
            txn.rollback().await?;
            return Ok(None);
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        Ok(Some(self.load(id).await?))
    }
}
