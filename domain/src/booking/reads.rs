//! Reading bookings: by id for their owner (or an admin), and a buyer's own list.

use std::collections::HashMap;

use marquee_entity::{booking_seats, bookings, seats, tickets};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::accounts::{Principal, Role};
use crate::catalog::SeatCategory;
use crate::ids::{BookingId, SeatId};

use super::{BookedSeat, Booking, BookingError, BookingService, BookingStatus, Ticket};

/// Most bookings `my_bookings` returns.
const MAX_LISTED: u64 = 100;

impl BookingService {
    /// A booking, if it exists and the caller owns it or is an admin.
    pub async fn find_owned(
        &self,
        who: &Principal,
        id: BookingId,
    ) -> Result<Option<Booking>, BookingError> {
        let Some(model) = bookings::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if model.user_id != who.user_id.uuid() && who.role != Role::Admin {
            // Someone else's booking is reported exactly like a missing one.
            return Ok(None);
        }
        Ok(self.with_seats(vec![model]).await?.pop())
    }

    /// The caller's bookings, newest first.
    pub async fn my_bookings(&self, who: &Principal) -> Result<Vec<Booking>, BookingError> {
        let models = bookings::Entity::find()
            .filter(bookings::Column::UserId.eq(who.user_id.uuid()))
            .order_by_desc(bookings::Column::CreatedAt)
            .limit(MAX_LISTED)
            .all(&self.db)
            .await?;
        self.with_seats(models).await
    }

    pub(super) async fn with_seats(
        &self,
        models: Vec<bookings::Model>,
    ) -> Result<Vec<Booking>, BookingError> {
        let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
        let mut issued: HashMap<Uuid, Vec<Ticket>> = HashMap::new();
        for t in tickets::Entity::find()
            .filter(tickets::Column::BookingId.is_in(ids.clone()))
            .all(&self.db)
            .await?
        {
            issued.entry(t.booking_id).or_default().push(Ticket {
                code: t.code,
                seat_id: t.seat_id.into(),
                status: t.status,
            });
        }
        let rows = booking_seats::Entity::find()
            .filter(booking_seats::Column::BookingId.is_in(ids.clone()))
            .find_also_related(seats::Entity)
            .all(&self.db)
            .await?;
        let labels = crate::catalog::section_labels(
            &self.db,
            rows.iter()
                .filter_map(|(_, s)| s.as_ref().map(|s| s.screen_id)),
        )
        .await?;
        let with_places: Vec<Uuid> = models
            .iter()
            .filter(|m| m.places > 0)
            .map(|m| m.id)
            .collect();
        let mut places = if with_places.is_empty() {
            HashMap::new()
        } else {
            super::places::load_places(&self.db, &with_places).await?
        };
        let mut by_booking: HashMap<Uuid, Vec<BookedSeat>> = HashMap::new();
        for (held, seat) in rows {
            let Some(seat) = seat else { continue };
            by_booking
                .entry(held.booking_id)
                .or_default()
                .push(BookedSeat {
                    seat_id: SeatId::from(seat.id),
                    section: labels.get(&seat.section_id).cloned(),
                    row: seat.row_label,
                    number: seat.number,
                    category: SeatCategory::parse(&held.category).unwrap_or(SeatCategory::Standard),
                    price_cents: held.price_cents,
                });
        }
        let now = self.clock.now();
        Ok(models
            .into_iter()
            .map(|m| {
                let mut seats = by_booking.remove(&m.id).unwrap_or_default();
                seats.sort_by(|a, b| {
                    (&a.section, a.row.as_str(), a.number).cmp(&(
                        &b.section,
                        b.row.as_str(),
                        b.number,
                    ))
                });
                let mut status =
                    BookingStatus::parse(&m.status).unwrap_or(BookingStatus::Cancelled);
                // A lapsed hold is over whether or not the sweeper has run.
                if status == BookingStatus::Held && m.expires_at <= now {
                    status = BookingStatus::Expired;
                }
                Booking {
                    id: m.id.into(),
                    user_id: m.user_id.into(),
                    showtime_id: m.showtime_id.into(),
                    status,
                    seats,
                    places: places.remove(&m.id).unwrap_or_default(),
                    subtotal_cents: m.subtotal_cents,
                    total_cents: m.total_cents,
                    currency: m.currency,
                    expires_at: m.expires_at,
                    fencing_token: m.fencing_token,
                    status_reason: m.status_reason,
                    tickets: issued.remove(&m.id).unwrap_or_default(),
                    created_at: m.created_at,
                }
            })
            .collect())
    }
}
