//! Query roots, one per area, merged into [`Query`].

mod accounts;
mod booking;
pub(crate) mod catalog;
mod emails;
mod inbox;
mod promotions;
mod reviews;
mod search;
mod support;
mod waiting_room;

use async_graphql::MergedObject;

/// Every query.
#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountQuery,
    booking::BookingQuery,
    catalog::CatalogQuery,
    emails::EmailQuery,
    inbox::InboxQuery,
    promotions::PromotionQuery,
    reviews::ReviewQuery,
    search::SearchQuery,
    support::SupportQuery,
    waiting_room::WaitingRoomQuery,
);
