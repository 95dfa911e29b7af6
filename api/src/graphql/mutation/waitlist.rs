//! Joining and leaving the waitlists of sold-out showtimes.

use async_graphql::{Context, ID, Object};
use marquee_domain::ids::ShowtimeId;
use uuid::Uuid;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::WaitlistEntry;

/// Waitlist mutations.
#[derive(Default)]
pub struct WaitlistMutation;

#[Object]
impl WaitlistMutation {
    /// Waits for `seats` seats together of a sold-out showtime (`CONFLICT` with reason
    /// `SEATS_AVAILABLE` when they can be held now). When seats come back, the first in
    /// line whose seats fit is offered them as a held booking (`offerBookingId`).
    async fn join_waitlist(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        seats: i32,
    ) -> ApiResult<WaitlistEntry> {
        let who = principal(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        Ok(services(ctx)
            .waitlist
            .join(&who, showtime, seats)
            .await?
            .into())
    }

    /// Leaves a waitlist the caller waits in.
    async fn leave_waitlist(&self, ctx: &Context<'_>, entry_id: ID) -> ApiResult<WaitlistEntry> {
        let who = principal(ctx).await?;
        let id = Uuid::parse_str(&entry_id)
            .map_err(|_| ApiError::bad_input("entryId", "not a waitlist entry id"))?;
        Ok(services(ctx).waitlist.leave(&who, id).await?.into())
    }
}
