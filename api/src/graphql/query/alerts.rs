//! The caller's alerts, and the interest they add up to for staff.

use async_graphql::{Context, ID, Object};
use marquee_domain::alerts::AlertTitle;
use marquee_domain::ids::{EventId, MovieId};

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{TitleAlert, TitleInterest};

/// Alert queries.
#[derive(Default)]
pub struct AlertQuery;

#[Object]
impl AlertQuery {
    /// The caller's alerts, newest first.
    async fn my_alerts(&self, ctx: &Context<'_>) -> ApiResult<Vec<TitleAlert>> {
        let who = principal(ctx).await?;
        Ok(services(ctx)
            .alerts
            .mine(&who)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Buyers waiting to be told, per title and city, most wanted first (platform admins
    /// and organisation managers; for any title, scheduled or not).
    async fn title_interest(
        &self,
        ctx: &Context<'_>,
        movie_id: Option<ID>,
        event_id: Option<ID>,
    ) -> ApiResult<Vec<TitleInterest>> {
        let staff = staff(ctx).await?;
        let title = match (movie_id, event_id) {
            (Some(m), None) => Some(AlertTitle::Movie(
                ApiError::parse_id("movieId", &m, MovieId::parse)?.uuid(),
            )),
            (None, Some(e)) => Some(AlertTitle::Event(
                ApiError::parse_id("eventId", &e, EventId::parse)?.uuid(),
            )),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "movieId",
                    "give at most one of movieId and eventId",
                ));
            }
        };
        Ok(services(ctx)
            .alerts
            .interest(&staff, title)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
