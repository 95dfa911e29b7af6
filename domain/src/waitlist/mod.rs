//! Waitlists of sold-out showtimes: a buyer waits for N seats together; when seats come
//! back, the first in line whose N fits is offered them as an ordinary held booking with a
//! short hold, and an unclaimed offer passes to the next. Seats that come back while anyone
//! waits are kept from buyers' holds (see `booking::offers`), so the line is served first.

mod line;
mod service;
mod worker;

use chrono::{DateTime, Utc};
use marquee_entity::waitlist_entries;
use uuid::Uuid;

use crate::error::{Classify, ErrorKind};
use crate::ids::{BookingId, ShowtimeId};

pub use service::{WaitlistService, WaitlistSettings};
pub use worker::WaitlistWorker;

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    /// In line.
    Waiting,
    /// Seats are held for the buyer until the offer's expiry.
    Offered,
    /// The buyer bought the offered seats.
    Claimed,
    /// The offer ran out (or could not be made) and passed to the next.
    Lapsed,
    /// The buyer left the line.
    Left,
}

impl EntryStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Offered => "offered",
            Self::Claimed => "claimed",
            Self::Lapsed => "lapsed",
            Self::Left => "left",
        }
    }

    fn from_stored(s: &str) -> Self {
        match s {
            "waiting" => Self::Waiting,
            "offered" => Self::Offered,
            "claimed" => Self::Claimed,
            "lapsed" => Self::Lapsed,
            _ => Self::Left,
        }
    }
}

/// A buyer's place in a showtime's line.
#[derive(Debug, Clone)]
pub struct WaitlistEntry {
    /// Id.
    pub id: Uuid,
    /// The showtime waited for.
    pub showtime_id: ShowtimeId,
    /// Seats wanted together.
    pub seats: u32,
    /// Where it stands.
    pub status: EntryStatus,
    /// 1 for the first in line, while waiting.
    pub position: Option<u64>,
    /// The id the offered booking has (or will have): watch it with `bookingStatus`.
    pub offer_booking_id: BookingId,
    /// Until when the offered seats are held.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// When the buyer joined.
    pub created_at: DateTime<Utc>,
}

impl WaitlistEntry {
    fn from_row(m: waitlist_entries::Model, position: Option<u64>) -> Self {
        Self {
            id: m.id,
            showtime_id: m.showtime_id.into(),
            seats: u32::try_from(m.seats).unwrap_or(0),
            status: EntryStatus::from_stored(&m.status),
            position,
            offer_booking_id: m.offer_booking_id.into(),
            offer_expires_at: m.offer_expires_at,
            created_at: m.created_at,
        }
    }
}

/// Everything that can go wrong with a waitlist.
#[derive(Debug, thiserror::Error)]
pub enum WaitlistError {
    /// A value outside what is accepted.
    #[error("{field}: {message}")]
    Invalid {
        /// The input field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No such showtime or entry (or not the caller's).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Enough seats are free to hold them directly.
    #[error("seats are available for this showtime: hold them instead")]
    SeatsAvailable,
    /// Past the seats one account may have of a showtime.
    #[error("{0}")]
    LimitReached(String),
    /// The request clashes with the state (already in line, not on sale, an offer out).
    #[error("{0}")]
    Conflict(String),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl WaitlistError {
    fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl Classify for WaitlistError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::SeatsAvailable | Self::Conflict(_) => ErrorKind::Conflict,
            Self::LimitReached(_) => ErrorKind::LimitReached,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    fn reason(&self) -> Option<&'static str> {
        match self {
            Self::SeatsAvailable => Some("SEATS_AVAILABLE"),
            _ => None,
        }
    }
}
