use crate::error::{Classify, ErrorKind};

/// Everything that can go wrong with organisations, their staff and the audit log.
#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    /// Signed in, but this belongs to another organisation or needs another role.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Unknown organisation, member or invitation.
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
    /// The request clashes with what is stored (a slug taken, an existing member).
    #[error("{0}")]
    Conflict(String),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl OrganisationError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl Classify for OrganisationError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
