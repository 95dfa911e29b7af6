use crate::booking::BookingError;
use crate::error::{Classify, ErrorKind};
use crate::organisations::OrganisationError;

/// Everything that can go wrong with help articles and support tickets.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    /// Unknown ticket, article or booking (or one the caller may not see).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A value outside what is accepted.
    #[error("{field} {message}")]
    Invalid {
        /// The input field, as the API names it.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The ticket's state does not allow this (a closed ticket, a booking not confirmed).
    #[error("{0}")]
    Conflict(String),
    /// The refund asked for is above the agent's limit.
    #[error("this refund of {asked} is above your limit of {limit}")]
    OverRefundLimit {
        /// Minor units asked for.
        asked: i64,
        /// Minor units allowed.
        limit: i64,
    },
    /// Inbound mail that does not belong to the ticket's buyer.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Scope or role refused.
    #[error(transparent)]
    Staff(#[from] OrganisationError),
    /// The booking path refused or failed.
    #[error(transparent)]
    Booking(#[from] BookingError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] crate::discovery::DiscoveryError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl SupportError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl Classify for SupportError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::OverRefundLimit { .. } | Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::Staff(e) => e.kind(),
            Self::Booking(e) => e.kind(),
            Self::Search(e) => e.kind(),
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Staff(e) => e.field(),
            Self::Booking(e) => e.field(),
            Self::Search(e) => e.field(),
            _ => None,
        }
    }

    fn reason(&self) -> Option<&'static str> {
        match self {
            Self::OverRefundLimit { .. } => Some("REFUND_LIMIT"),
            Self::Booking(e) => e.reason(),
            _ => None,
        }
    }
}
