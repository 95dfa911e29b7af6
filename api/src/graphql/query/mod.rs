//! Query roots, one per area, merged into [`Query`].

mod accounts;
mod alerts;
pub(crate) mod analytics;
mod booking;
pub(crate) mod catalog;
mod emails;
mod gift_cards;
mod inbox;
mod organisations;
mod promotions;
mod reviews;
mod search;
mod support;
mod waiting_room;
mod waitlist;

use async_graphql::MergedObject;

/// Every query.
#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountQuery,
    alerts::AlertQuery,
    analytics::AnalyticsQuery,
    booking::BookingQuery,
    catalog::CatalogQuery,
    emails::EmailQuery,
    gift_cards::GiftCardQuery,
    inbox::InboxQuery,
    organisations::OrganisationQuery,
    promotions::PromotionQuery,
    reviews::ReviewQuery,
    search::SearchQuery,
    support::SupportQuery,
    waiting_room::WaitingRoomQuery,
    waitlist::WaitlistQuery,
);
