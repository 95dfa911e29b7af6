//! The booking path: holds on seats, and the bookings they belong to.

mod authentication;
mod best_available;
mod buyer_caps;
mod cancel;
mod checkout;
mod error;
mod events;
mod expiry;
mod fencing;
pub mod front_line;
mod holds;
mod late_charges;
mod promotion_uses;
mod reads;
mod reconcile;
mod refunds;
mod release;
mod reseat;
mod seat_audit;
mod seat_prices;
mod settle;
mod showtime_bookings;
mod types;

pub use authentication::{PaymentState, PaymentView};
pub use buyer_caps::BuyerCaps;
pub use cancel::{CancellationQuote, RefundQuote, SHOWTIME_CANCELLED_REASON};
pub use checkout::{CheckoutInput, CheckoutQuote};
pub use error::{BookingError, PromoRefusal};
pub use events::{EventOutcome, GatewayEvent, GatewayEventKind};
pub use expiry::{ExecutionOutcome, ExpiryWorker};
pub use front_line::{Claim, InProcessSeatHolds, NoFrontLine, RedisSeatHolds, SeatHolds};
pub use holds::{BookingService, BookingSettings, HoldRequest};
pub use reconcile::ReconcileWorker;
pub use seat_audit::SeatAudit;
pub use showtime_bookings::ShowtimeBookings;
pub use types::{BookedSeat, Booking, BookingStatus, Ticket};
