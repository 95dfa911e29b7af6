use async_graphql::{Context, ID, Object};
use chrono::Duration;
use marquee_domain::ids::ShowtimeId;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::WaitingRoomPlace;

#[derive(Default)]
pub struct WaitingRoomQuery;

#[Object]
impl WaitingRoomQuery {
    /// Where the caller stands in the showtime's waiting room. With `waitMs` (at most
    /// 30000) a caller still in line gets the answer as soon as it is admitted, or when
    /// the time is up, instead of asking again and again.
    async fn waiting_room(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        #[graphql(default = 0)] wait_ms: i32,
    ) -> ApiResult<WaitingRoomPlace> {
        let who = principal(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let wait = Duration::milliseconds(i64::from(wait_ms));
        Ok(WaitingRoomPlace(
            services(ctx)
                .waiting_rooms
                .place_of(who.user_id, showtime, wait)
                .await?,
        ))
    }
}
