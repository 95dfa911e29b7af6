//! Mutation roots, one per area, merged into [`Mutation`].

mod accounts;
mod admin;
mod admin_inputs;
mod booking;
mod emails;
mod inbox;
mod reviews;
mod support;
mod waiting_room;

use async_graphql::MergedObject;

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountMutation,
    admin::AdminMutation,
    booking::BookingMutation,
    emails::EmailMutation,
    inbox::InboxMutation,
    reviews::ReviewMutation,
    support::SupportMutation,
    waiting_room::WaitingRoomMutation,
);
