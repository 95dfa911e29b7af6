//! How many bookings each showtime has, by state: what staff are shown before they move or
//! cancel a showtime (every confirmed or paying buyer is told, and refunded on a cancel).

use std::collections::HashMap;

use marquee_entity::{bookings, tickets};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::ROWS_PER_STATEMENT;
use crate::ids::ShowtimeId;
use crate::organisations::{Staff, owners};

use super::{BookingError, BookingService, BookingStatus};

/// The bookings of one showtime, by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShowtimeBookings {
    /// Paid, with tickets.
    pub confirmed: u64,
    /// Paying: the gateway's answer is awaited.
    pub payment_pending: u64,
    /// Holds not yet lapsed.
    pub held: u64,
    /// Tickets not voided.
    pub tickets: u64,
}

impl BookingService {
    /// The bookings of each of `showtimes` (all of them of organisations the caller supports) (every one present, zeros included), in two
    /// grouped reads per 500 showtimes.
    pub async fn bookings_at(
        &self,
        staff: &Staff,
        showtimes: &[ShowtimeId],
    ) -> Result<HashMap<ShowtimeId, ShowtimeBookings>, BookingError> {
        for owner in owners::of_showtimes(&self.db, showtimes)
            .await?
            .into_values()
        {
            staff.support(owner)?;
        }
        let now = self.clock.now();
        let mut found: HashMap<ShowtimeId, ShowtimeBookings> = showtimes
            .iter()
            .map(|id| (*id, ShowtimeBookings::default()))
            .collect();
        for chunk in showtimes.chunks(ROWS_PER_STATEMENT) {
            let ids: Vec<Uuid> = chunk.iter().map(|id| id.uuid()).collect();
            let by_status: Vec<(Uuid, String, i64)> = bookings::Entity::find()
                .select_only()
                .column(bookings::Column::ShowtimeId)
                .column(bookings::Column::Status)
                .column_as(bookings::Column::Id.count(), "n")
                .filter(bookings::Column::ShowtimeId.is_in(ids.clone()))
                .filter(
                    Condition::any()
                        .add(bookings::Column::Status.is_in([
                            BookingStatus::Confirmed.as_str(),
                            BookingStatus::PaymentPending.as_str(),
                        ]))
                        .add(
                            Condition::all()
                                .add(bookings::Column::Status.eq(BookingStatus::Held.as_str()))
                                .add(bookings::Column::ExpiresAt.gt(now)),
                        ),
                )
                .group_by(bookings::Column::ShowtimeId)
                .group_by(bookings::Column::Status)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (showtime, status, n) in by_status {
                let entry = found.entry(ShowtimeId::from(showtime)).or_default();
                let n = u64::try_from(n).unwrap_or(0);
                match BookingStatus::parse(&status) {
                    Some(BookingStatus::Confirmed) => entry.confirmed = n,
                    Some(BookingStatus::PaymentPending) => entry.payment_pending = n,
                    Some(BookingStatus::Held) => entry.held = n,
                    _ => {}
                }
            }
            let live: Vec<(Uuid, i64)> = tickets::Entity::find()
                .select_only()
                .column(tickets::Column::ShowtimeId)
                .column_as(tickets::Column::Id.count(), "n")
                .filter(tickets::Column::ShowtimeId.is_in(ids))
                .filter(tickets::Column::Status.ne("void"))
                .group_by(tickets::Column::ShowtimeId)
                .into_tuple()
                .all(&self.db)
                .await?;
            for (showtime, n) in live {
                found.entry(ShowtimeId::from(showtime)).or_default().tickets =
                    u64::try_from(n).unwrap_or(0);
            }
        }
        Ok(found)
    }
}
