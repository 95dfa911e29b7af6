//! Writing reviews, and hiding them (admins).

use async_graphql::{Context, ID, Object};
use marquee_domain::ids::{MovieId, ReviewId};

use crate::graphql::auth::{admin, principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::Review;

/// Review mutations.
#[derive(Default)]
pub struct ReviewMutation;

#[Object]
impl ReviewMutation {
    /// Rates and reviews a movie (one review per user and movie; `CONFLICT` for a second).
    async fn add_review(
        &self,
        ctx: &Context<'_>,
        movie_id: ID,
        rating: i32,
        body: Option<String>,
    ) -> ApiResult<Review> {
        let who = principal(ctx).await?;
        let movie = ApiError::parse_id("movieId", &movie_id, MovieId::parse)?;
        Ok(services(ctx)
            .reviews
            .add(&who, movie, rating, body.as_deref().unwrap_or_default())
            .await?
            .into())
    }

    /// Changes the caller's review; omitted values stay.
    async fn update_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        rating: Option<i32>,
        body: Option<String>,
    ) -> ApiResult<Review> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("id", &id, ReviewId::parse)?;
        Ok(services(ctx)
            .reviews
            .update(&who, id, rating, body.as_deref())
            .await?
            .into())
    }

    /// Deletes the caller's review.
    async fn delete_review(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("id", &id, ReviewId::parse)?;
        services(ctx).reviews.delete(&who, id).await?;
        Ok(true)
    }

    /// Hides a review from listings and from the movie's rating, or shows it again (admins).
    async fn hide_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] hidden: bool,
    ) -> ApiResult<Review> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, ReviewId::parse)?;
        Ok(services(ctx)
            .reviews
            .set_hidden(&admin, id, hidden)
            .await?
            .into())
    }
}
