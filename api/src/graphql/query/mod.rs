//! Query roots, one per area, merged into [`Query`].

mod accounts;
pub(crate) mod analytics;
mod booking;
pub(crate) mod catalog;
mod emails;
mod inbox;
mod promotions;
mod reviews;
mod search;
mod waiting_room;

use async_graphql::MergedObject;

/// Every query.
#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountQuery,
    analytics::AnalyticsQuery,
    booking::BookingQuery,
    catalog::CatalogQuery,
    emails::EmailQuery,
    inbox::InboxQuery,
    promotions::PromotionQuery,
    reviews::ReviewQuery,
    search::SearchQuery,
    waiting_room::WaitingRoomQuery,
);
