use crate::error::{Classify, ErrorKind};
use crate::page::PageError;

/// Everything that can go wrong in the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A field's value is not acceptable.
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field, as the API names it.
        field: &'static str,
        /// What is wrong, for a person.
        reason: String,
    },
    /// A referenced object does not exist.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// Kind of object.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// The screen is already booked at that time.
    #[error(
        "the screen is busy from {starts_at} to {ends_at} (showtime {other}, cleaning included)"
    )]
    Overlap {
        /// The clashing showtime.
        other: String,
        /// Its start.
        starts_at: String,
        /// Its end plus the cleaning buffer.
        ends_at: String,
    },
    /// The change clashes with existing bookings or schedule.
    #[error("{0}")]
    Conflict(String),
    /// Bad pagination arguments.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The caller's staff role does not cover the object, or the organisation is unknown.
    #[error(transparent)]
    Scope(#[from] crate::organisations::OrganisationError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// Storage failure of a read shared by several requests.
    #[error("database error")]
    SharedDatabase(std::sync::Arc<sea_orm::DbErr>),
}

impl CatalogError {
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

impl Classify for CatalogError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } | Self::Overlap { .. } | Self::Page(_) => ErrorKind::BadInput,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Scope(e) => e.kind(),
            Self::Database(e) => crate::error::database_error_kind(e),
            Self::SharedDatabase(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Overlap { .. } => Some("startsAt"),
            Self::Page(PageError::BadCursor) => Some("after"),
            Self::Page(PageError::BadSize) => Some("first"),
            Self::Scope(e) => e.field(),
            _ => None,
        }
    }
}
