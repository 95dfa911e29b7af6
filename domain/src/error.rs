//! What every domain error can say about itself, so the API maps errors to codes once.

/// The class of a domain error; the API turns each into one GraphQL error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is wrong (bad value, unknown category, …).
    BadInput,
    /// A referenced object does not exist (or is not visible to the caller).
    NotFound,
    /// No valid credentials.
    Unauthenticated,
    /// Valid credentials without the right to do this.
    Forbidden,
    /// The request is well-formed but clashes with the current state.
    Conflict,
    /// Sign-up or e-mail change to an address already in use.
    EmailTaken,
    /// Some of the requested seats are held or sold by someone else.
    SeatUnavailable,
    /// The hold ran out before the action.
    HoldExpired,
    /// The showtime sells through its waiting room and the caller has not been admitted.
    AdmissionRequired,
    /// A per-account cap would be passed (seats per showtime, holds at once).
    LimitReached,
    /// A dependency (the payment gateway) is down; try again shortly.
    Unavailable,
    /// The database cannot be reached for now (a failover, a full pool, a node shutting
    /// down); try again shortly. Its cause is logged, never shown.
    DatabaseUnavailable,
    /// Our fault: logged with its cause, shown generically.
    Internal,
}

/// Implemented by every domain error enum.
pub trait Classify: std::error::Error {
    /// Which class of error this is.
    fn kind(&self) -> ErrorKind;

    /// The input field at fault, as the API names it, when there is one.
    fn field(&self) -> Option<&str> {
        None
    }

    /// A finer reason within the class, as clients match on it (`extensions.reason`).
    fn reason(&self) -> Option<&'static str> {
        None
    }

    /// Ids the client needs to act on the error (for example the seats that were taken).
    fn ids(&self) -> Option<(&'static str, Vec<String>)> {
        None
    }
}

/// How a database error reads to a client: a connection lost, refused or not to be had (a
/// failover, a full pool, a node shutting down, a primary demoted to read-only) is worth
/// retrying shortly; anything else is our fault.
pub fn database_error_kind(err: &sea_orm::DbErr) -> ErrorKind {
    use sea_orm::{DbErr, RuntimeErr};
    let retryable = match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            connection_lost(e)
        }
        _ => false,
    };
    if retryable {
        ErrorKind::DatabaseUnavailable
    } else {
        ErrorKind::Internal
    }
}

fn connection_lost(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), 57P01-03 (shutting down, cannot
        // connect now), 25006 (a read-only transaction: the node was demoted).
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "25006")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbErr, error::ConnAcquireErr};

    #[test]
    fn a_connection_that_cannot_be_had_is_worth_retrying_and_a_bad_statement_is_not() {
        assert_eq!(
            database_error_kind(&DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)),
            ErrorKind::DatabaseUnavailable
        );
        assert_eq!(
            database_error_kind(&DbErr::Custom("bad".into())),
            ErrorKind::Internal
        );
        assert_eq!(
            database_error_kind(&DbErr::RecordNotFound("x".into())),
            ErrorKind::Internal
        );
    }
}
