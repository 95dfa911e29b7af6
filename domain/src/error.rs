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
