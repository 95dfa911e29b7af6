//! "Notify me" for titles not yet on sale where the buyer is.

use async_graphql::{Context, ID, InputObject, Object};
use marquee_domain::alerts::{AlertPlace, AlertTitle};
use marquee_domain::ids::{EventId, MovieId};
use uuid::Uuid;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::query::catalog::NearInput;
use crate::graphql::types::TitleAlert;

/// What to be told about, and where: one of `movieId` and `eventId`, one of `city` and
/// `near`.
#[derive(InputObject)]
pub struct NotifyMeInput {
    /// The movie.
    pub movie_id: Option<ID>,
    /// The event.
    pub event_id: Option<ID>,
    /// In this city.
    pub city: Option<String>,
    /// Within this circle.
    pub near: Option<NearInput>,
}

/// Alert mutations.
#[derive(Default)]
pub struct AlertMutation;

#[Object]
impl AlertMutation {
    /// Asks to be told once, by inbox and email, when the title opens for booking there
    /// (`POST /movie/{user}/notify` of the seeds).
    async fn notify_me(&self, ctx: &Context<'_>, input: NotifyMeInput) -> ApiResult<TitleAlert> {
        let who = principal(ctx).await?;
        let title = match (&input.movie_id, &input.event_id) {
            (Some(m), None) => {
                AlertTitle::Movie(ApiError::parse_id("movieId", m, MovieId::parse)?.uuid())
            }
            (None, Some(e)) => {
                AlertTitle::Event(ApiError::parse_id("eventId", e, EventId::parse)?.uuid())
            }
            _ => {
                return Err(ApiError::bad_input(
                    "movieId",
                    "give exactly one of movieId and eventId",
                ));
            }
        };
        let place = match (input.city, input.near) {
            (Some(city), None) => AlertPlace::City(city),
            (None, Some(n)) => AlertPlace::Near {
                lat: n.lat,
                lon: n.lon,
                radius_km: n.radius_km,
            },
            _ => {
                return Err(ApiError::bad_input(
                    "city",
                    "give exactly one of city and near",
                ));
            }
        };
        Ok(services(ctx)
            .alerts
            .notify_me(&who, title, place)
            .await?
            .into())
    }

    /// Ends one of the caller's alerts.
    async fn cancel_alert(&self, ctx: &Context<'_>, id: ID) -> ApiResult<TitleAlert> {
        let who = principal(ctx).await?;
        let id = Uuid::parse_str(&id).map_err(|_| ApiError::bad_input("id", "not an alert id"))?;
        Ok(services(ctx).alerts.cancel(&who, id).await?.into())
    }

    /// Ends the alert whose email carried `token` (no sign-in needed); whether one was
    /// still waiting.
    async fn unsubscribe_alert(&self, ctx: &Context<'_>, token: String) -> ApiResult<bool> {
        Ok(services(ctx).alerts.unsubscribe(&token).await?)
    }
}
