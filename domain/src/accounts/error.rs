use crate::error::{Classify, ErrorKind};

/// Everything that can go wrong with accounts.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Not an e-mail address.
    #[error("`{0}` is not a valid e-mail address")]
    InvalidEmail(String),
    /// Password outside the policy.
    #[error("password must be between {min} and {max} characters", min = super::password::MIN_LEN, max = super::password::MAX_LEN)]
    WeakPassword,
    /// Display name empty or too long.
    #[error("name must be between 1 and 100 characters")]
    InvalidName,
    /// Sign-up or e-mail change to an address that already has an account.
    #[error("an account with this e-mail address already exists")]
    EmailTaken,
    /// Wrong e-mail or password (never says which).
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    /// The current password given to confirm a sensitive change is wrong.
    #[error("the current password is not correct")]
    WrongCurrentPassword,
    /// No token, a bad token, or the account is gone.
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in, but not allowed.
    #[error("this needs the admin role")]
    Forbidden,
    /// Unknown user.
    #[error("no such user")]
    NotFound,
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// Hashing or token machinery failed.
    #[error("credential processing failed: {0}")]
    Crypto(String),
}

impl Classify for AccountError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidEmail(_) | Self::WeakPassword | Self::InvalidName => ErrorKind::BadInput,
            Self::WrongCurrentPassword => ErrorKind::BadInput,
            Self::EmailTaken => ErrorKind::EmailTaken,
            Self::InvalidCredentials | Self::Unauthenticated => ErrorKind::Unauthenticated,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::NotFound => ErrorKind::NotFound,
            Self::Database(e) => crate::error::database_error_kind(e),
            Self::Crypto(_) => ErrorKind::Internal,
        }
    }
}
