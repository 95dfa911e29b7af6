use async_graphql::{Context, ID, Object};
use marquee_domain::catalog;

use super::{SeatCategory, load};
use crate::graphql::error::ApiResult;
use crate::graphql::loaders::ScreensOf;

/// A venue.
pub struct Theatre(pub catalog::Theatre);

#[Object]
impl Theatre {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The chain that runs it; none for the platform's own.
    async fn organisation_id(&self) -> Option<ID> {
        self.0.organisation.map(|o| ID(o.to_string()))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn city(&self) -> &str {
        &self.0.city
    }
    async fn state(&self) -> &str {
        &self.0.state
    }
    async fn zip(&self) -> &str {
        &self.0.zip
    }
    async fn latitude(&self) -> f64 {
        self.0.latitude
    }
    async fn longitude(&self) -> f64 {
        self.0.longitude
    }
    /// IANA time zone of the venue; showtimes are local to it.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }
    /// Distance from the point of a `near` search, in km.
    async fn distance_km(&self) -> Option<f64> {
        self.0.distance_km
    }
    /// Its screens, by name.
    async fn screens(&self, ctx: &Context<'_>) -> ApiResult<Vec<Screen>> {
        Ok(load(ctx, ScreensOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Screen)
            .collect())
    }
}

/// An auditorium.
pub struct Screen(pub catalog::Screen);

#[Object]
impl Screen {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn seat_count(&self) -> i32 {
        self.0.seat_count
    }
    /// The seat categories it has.
    async fn categories(&self) -> Vec<SeatCategory> {
        self.0.categories.iter().map(|c| (*c).into()).collect()
    }
    async fn theatre(&self, ctx: &Context<'_>) -> ApiResult<Option<Theatre>> {
        Ok(load(ctx, self.0.theatre_id).await?.map(Theatre))
    }
}
