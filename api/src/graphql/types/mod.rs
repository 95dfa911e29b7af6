//! GraphQL views over domain values: thin wrappers, converted with `From`.

mod alert;
mod analytics;
mod booking;
mod cancellation;
mod checkout_quote;
mod email;
mod enums;
mod gift_card;
mod live;
mod notification;
mod organisation;
mod payment;
mod promotion;
mod review;
mod seat_audit;
mod section;
mod showtime;
mod support;
mod theatre;
mod title;
mod user;
mod waiting_room;
mod waitlist;

pub use alert::{TitleAlert, TitleInterest};
pub use analytics::{ReportGranularity, ReportGroupBy, SalesReportRow};
pub use booking::{Booking, BookingStatus};
pub use cancellation::Cancellation;
pub use checkout_quote::CheckoutQuote;
pub use email::{Email, EmailStatus};
pub use enums::*;
pub use gift_card::{GiftCard, GiftCardBalance, IssuedGiftCard};
pub use live::{BookingStatusUpdate, SeatMapUpdate, SeatUpdate};
pub use notification::Notification;
pub use organisation::{
    AuditLogEntry, InviteStaffPayload, Organisation, StaffMember, StaffMembership, audit_page,
};
pub use payment::{BookingPayment, PaymentConfig};
pub use promotion::Promotion;
pub use review::Review;
pub use seat_audit::SeatAudit;
pub use section::VenueSection;
pub use showtime::{Price, ShowSeat, Showtime, showtime_seat_map};
pub use support::{HelpArticle, SupportMessage, SupportTicket, TicketRefund, TicketStatus};
pub use theatre::{Screen, Theatre};
pub use title::{Event, Movie};
pub use user::{AuthPayload, User};
pub use waiting_room::WaitingRoomPlace;
pub use waitlist::WaitlistEntry;

use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use marquee_domain::catalog::CatalogError;

use super::error::ApiResult;
use super::loaders::CatalogLoader;

/// Loads one value through the request's catalog DataLoader.
pub(crate) async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<CatalogLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    CatalogLoader: Loader<K, Error = Arc<CatalogError>>,
{
    let loader = ctx.data_unchecked::<DataLoader<CatalogLoader>>();
    loader.load_one(key).await.map_err(|e| {
        let err = Arc::try_unwrap(e).unwrap_or_else(|e| CatalogError::Conflict(e.to_string()));
        err.into()
    })
}
