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
    /// A promotion code that cannot be used for this checkout.
    #[error("promoCode: {0}")]
    Promotion(PromoRefusal),
    /// The showtime cannot be booked now.
    #[error("{0}")]
    NotOnSale(String),
    /// Some seats are held or sold by someone else.
    #[error("{} of the requested seats are no longer available", .0.len())]
    SeatUnavailable(Vec<SeatId>),
    /// A general-admission section has fewer places left than asked for.
    #[error("`{0}` has fewer places left than asked for")]
    PlacesUnavailable(String),
    /// The seats came back while people wait for this showtime: they are offered in turn.
    #[error("seats that come back go to this showtime's waitlist first: join the waitlist")]
    ReservedForWaitlist,
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
    /// The caller's staff role does not cover the showtime.
    #[error(transparent)]
    Scope(#[from] crate::organisations::OrganisationError),
    /// The gift card given at checkout cannot pay (unknown, refused, spent meanwhile).
    #[error(transparent)]
    GiftCard(#[from] crate::gift_cards::GiftCardError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

/// Why a promotion code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PromoRefusal {
    /// No promotion has this code.
    #[error("no such promotion code")]
    Unknown,
    /// Before its start or after its end.
    #[error("this code is not valid now")]
    NotValidNow,
    /// Every use it allows is taken.
    #[error("this code has been used up")]
    UsedUp,
    /// The buyer has used it as often as allowed.
    #[error("you have already used this code")]
    AlreadyUsed,
    /// A fixed amount in another currency than the booking's.
    #[error("this code is for another currency")]
    OtherCurrency,
    /// An organisation's code used on another organisation's showtime.
    #[error("this code is not valid at this theatre")]
    OtherOrganisation,
}

impl PromoRefusal {
    /// The reason as clients match on it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unknown => "PROMO_UNKNOWN",
            Self::NotValidNow => "PROMO_NOT_VALID_NOW",
            Self::UsedUp => "PROMO_USED_UP",
            Self::AlreadyUsed => "PROMO_ALREADY_USED",
            Self::OtherCurrency => "PROMO_OTHER_CURRENCY",
            Self::OtherOrganisation => "PROMO_OTHER_ORGANISATION",
        }
    }
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
            Self::Invalid { .. } | Self::Promotion(_) => ErrorKind::BadInput,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::NotOnSale(_) | Self::Conflict(_) => ErrorKind::Conflict,
            Self::SeatUnavailable(_) | Self::PlacesUnavailable(_) | Self::ReservedForWaitlist => {
                ErrorKind::SeatUnavailable
            }
            Self::HoldExpired => ErrorKind::HoldExpired,
            Self::AdmissionRequired => ErrorKind::AdmissionRequired,
            Self::LimitReached(_) => ErrorKind::LimitReached,
            Self::PaymentsUnavailable | Self::ClockSkewed(_) => ErrorKind::Unavailable,
            Self::Scope(e) => e.kind(),
            Self::GiftCard(e) => e.kind(),
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Promotion(_) => Some("promoCode"),
            Self::GiftCard(e) => e.field(),
            _ => None,
        }
    }

    fn reason(&self) -> Option<&'static str> {
        match self {
            Self::Promotion(why) => Some(why.code()),
            Self::ReservedForWaitlist => Some("RESERVED_FOR_WAITLIST"),
            Self::GiftCard(e) => e.reason(),
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
