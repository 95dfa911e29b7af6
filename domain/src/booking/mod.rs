//! The booking path: holds on seats, and the bookings they belong to.

mod error;
mod expiry;
mod fencing;
pub mod front_line;
mod holds;
mod reads;
mod types;

pub use error::BookingError;
pub use expiry::{ExecutionOutcome, ExpiryWorker};
pub use front_line::{Claim, InProcessSeatHolds, RedisSeatHolds, SeatHolds};
pub use holds::{BookingService, BookingSettings, HoldRequest};
pub use types::{BookedSeat, Booking, BookingStatus};
