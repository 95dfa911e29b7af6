//! Mutation roots, one per area, merged into [`Mutation`].

mod accounts;
mod admin;
mod admin_inputs;
mod alerts;
mod booking;
mod emails;
mod gift_cards;
mod inbox;
mod organisations;
mod reviews;
mod support;
mod waiting_room;
mod waitlist;

use async_graphql::MergedObject;

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountMutation,
    alerts::AlertMutation,
    admin::AdminMutation,
    booking::BookingMutation,
    emails::EmailMutation,
    gift_cards::GiftCardMutation,
    inbox::InboxMutation,
    organisations::OrganisationMutation,
    reviews::ReviewMutation,
    support::SupportMutation,
    waiting_room::WaitingRoomMutation,
    waitlist::WaitlistMutation,
);
