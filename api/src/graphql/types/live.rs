//! What subscriptions push: seat-map updates and booking status changes.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::booking;
use marquee_domain::catalog;
use marquee_domain::events::SeatChange;

use super::showtime::SeatMap;
use super::{BookingStatus, SeatStatus};

/// One message of `seatMapUpdates`.
#[derive(SimpleObject)]
pub struct SeatMapUpdate {
    /// The whole map: in the first message, and again whenever this client fell behind
    /// (then it replaces everything the client knew).
    pub snapshot: Option<SeatMap>,
    /// Seats whose state changed, in commit order (empty in a snapshot message).
    pub changes: Vec<SeatUpdate>,
    /// When the change was made (its transaction's clock); null for a snapshot.
    pub committed_at: Option<DateTime<Utc>>,
}

/// A seat's new state.
#[derive(SimpleObject)]
pub struct SeatUpdate {
    /// The seat.
    pub seat_id: ID,
    /// Its state now.
    pub status: SeatStatus,
    /// When a hold lapses (then the seat is available again).
    pub hold_expires_at: Option<DateTime<Utc>>,
}

impl From<&SeatChange> for SeatUpdate {
    fn from(c: &SeatChange) -> Self {
        Self {
            seat_id: ID(c.seat_id.to_string()),
            status: catalog::SeatStatus::parse(&c.status)
                .unwrap_or(catalog::SeatStatus::Blocked)
                .into(),
            hold_expires_at: c.hold_expires_at,
        }
    }
}

/// One message of `bookingStatus`.
#[derive(SimpleObject)]
pub struct BookingStatusUpdate {
    /// The booking.
    pub booking_id: ID,
    /// Its status now.
    pub status: BookingStatus,
    /// While HELD or PAYMENT_PENDING: when the seats are let go (the hold countdown).
    pub expires_at: Option<DateTime<Utc>>,
}

impl BookingStatusUpdate {
    /// From the booking as read now.
    pub fn current(b: &booking::Booking) -> Self {
        let counting = matches!(
            b.status,
            booking::BookingStatus::Held | booking::BookingStatus::PaymentPending
        );
        Self {
            booking_id: ID(b.id.to_string()),
            status: b.status.into(),
            expires_at: counting.then_some(b.expires_at),
        }
    }
}
