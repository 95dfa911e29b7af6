use async_graphql::{Context, ID, Object};
use marquee_domain::ids::ShowtimeId;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::WaitingRoomPlace;

#[derive(Default)]
pub struct WaitingRoomMutation;

#[Object]
impl WaitingRoomMutation {
    /// Takes the caller's place in line for a showtime flagged `waitingRoom` (one place
    /// per account; entering again keeps it). Holds on such a showtime are accepted once
    /// admitted (`ADMISSION_REQUIRED` before). Showtimes without a room answer NOT_REQUIRED.
    async fn enter_waiting_room(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
    ) -> ApiResult<WaitingRoomPlace> {
        let who = principal(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        Ok(WaitingRoomPlace(
            services(ctx)
                .waiting_rooms
                .enter(who.user_id, showtime)
                .await?,
        ))
    }

    /// Gives up the caller's place or unused admission, letting the next buyer in.
    async fn leave_waiting_room(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
    ) -> ApiResult<WaitingRoomPlace> {
        let who = principal(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        Ok(WaitingRoomPlace(
            services(ctx)
                .waiting_rooms
                .leave(who.user_id, showtime)
                .await?,
        ))
    }
}
