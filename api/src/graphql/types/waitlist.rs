//! A place in a sold-out showtime's waitlist.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::waitlist;

use super::WaitlistStatus;

/// The caller's place in a showtime's waitlist.
#[derive(SimpleObject)]
pub struct WaitlistEntry {
    /// Id.
    pub id: ID,
    /// The showtime waited for.
    pub showtime_id: ID,
    /// Seats wanted together.
    pub seats: i32,
    /// Where it stands.
    pub status: WaitlistStatus,
    /// 1 for the first in line, while waiting.
    pub position: Option<i32>,
    /// The booking the offer is (or will be) made as: subscribe to its `bookingStatus`
    /// to hear of the offer as it is made.
    pub offer_booking_id: ID,
    /// Until when the offered seats are held.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// When the buyer joined.
    pub created_at: DateTime<Utc>,
}

impl From<waitlist::WaitlistEntry> for WaitlistEntry {
    fn from(e: waitlist::WaitlistEntry) -> Self {
        Self {
            id: ID(e.id.to_string()),
            showtime_id: ID(e.showtime_id.to_string()),
            seats: i32::try_from(e.seats).unwrap_or(i32::MAX),
            status: e.status.into(),
            position: e.position.map(|p| i32::try_from(p).unwrap_or(i32::MAX)),
            offer_booking_id: ID(e.offer_booking_id.to_string()),
            offer_expires_at: e.offer_expires_at,
            created_at: e.created_at,
        }
    }
}
