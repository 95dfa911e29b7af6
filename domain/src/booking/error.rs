use crate::error::{Classify, ErrorKind};
use crate::ids::SeatId;

/// Everything that can go wrong on the booking path.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    /// A bad request (seat count, duplicates, foreign seats…).
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No such showtime or booking (or not the caller's).
    #[error("{what} {id} does not exist")]
    NotFound {
        /// Kind of object.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// The showtime cannot be booked now.
    #[error("{0}")]
    NotOnSale(String),
    /// Some seats are held or sold by someone else.
    #[error("{} of the requested seats are no longer available", .0.len())]
    SeatUnavailable(Vec<SeatId>),
    /// The hold ran out.
    #[error("the hold has expired; hold the seats again")]
    HoldExpired,
    /// The showtime sells through its waiting room, and the buyer has not been let in.
    #[error("this showtime sells through its waiting room: enter it and wait to be admitted")]
    AdmissionRequired,
    /// The payment gateway is failing; the hold is kept.
    #[error("payments are unavailable right now; your seats stay held, try again shortly")]
    PaymentsUnavailable,
    /// A per-account cap (seats per showtime, holds at once) would be passed.
    #[error("{0}")]
    LimitReached(String),
    /// The booking is past the point where this action applies.
    #[error("{0}")]
    Conflict(String),
    /// This instance's clock is too far from the database's to judge holds.
    #[error("{0}; try again shortly")]
    ClockSkewed(#[from] crate::clock_skew::ClockSkewed),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl BookingError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

impl Classify for BookingError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::NotOnSale(_) | Self::Conflict(_) => ErrorKind::Conflict,
            Self::SeatUnavailable(_) => ErrorKind::SeatUnavailable,
            Self::HoldExpired => ErrorKind::HoldExpired,
            Self::AdmissionRequired => ErrorKind::AdmissionRequired,
            Self::LimitReached(_) => ErrorKind::LimitReached,
            Self::PaymentsUnavailable | Self::ClockSkewed(_) => ErrorKind::Unavailable,
            Self::Database(_) => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    fn ids(&self) -> Option<(&'static str, Vec<String>)> {
        match self {
            Self::SeatUnavailable(seats) => {
                Some(("seats", seats.iter().map(ToString::to_string).collect()))
            }
            _ => None,
        }
    }
}
