use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use marquee_domain::Classify;
use marquee_domain::catalog;

use super::Review;
use crate::graphql::auth::{services, viewer};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult, code_of};
use crate::graphql::loaders::{CatalogLoader, ReviewBy};
use crate::graphql::query::catalog::{connection, page_request};

/// Aggregate rating of a movie.
#[derive(SimpleObject)]
pub struct Rating {
    /// Mean of the ratings (0 when there are none).
    pub average: f64,
    /// Number of ratings.
    pub count: i32,
    /// Ratings giving one star, two, … five (five numbers).
    pub histogram: Vec<i32>,
}

/// A film.
pub struct Movie(pub catalog::Movie);

#[Object]
impl Movie {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn synopsis(&self) -> &str {
        &self.0.synopsis
    }
    /// Genre slugs such as `sci-fi`.
    async fn genres(&self) -> &[String] {
        &self.0.genres
    }
    /// Cast in billing order.
    async fn cast(&self) -> &[String] {
        &self.0.cast
    }
    async fn runtime_minutes(&self) -> i32 {
        self.0.runtime_minutes
    }
    /// Age certificate (G, PG, PG-13, R, NC-17…).
    async fn certificate(&self) -> &str {
        &self.0.certificate
    }
    async fn language(&self) -> &str {
        &self.0.language
    }
    async fn release_date(&self) -> NaiveDate {
        self.0.release_date
    }
    async fn poster_url(&self) -> Option<&str> {
        self.0.poster_url.as_deref()
    }
    async fn trailer_url(&self) -> Option<&str> {
        self.0.trailer_url.as_deref()
    }
    async fn rating(&self) -> Rating {
        let count = self.0.rating_count;
        let average = if count > 0 {
            self.0.rating_total as f64 / f64::from(count)
        } else {
            0.0
        };
        Rating {
            average,
            count,
            histogram: self.0.rating_histogram.to_vec(),
        }
    }

    /// Visible reviews, newest first; `verifiedOnly` keeps those by ticket holders.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] verified_only: bool,
    ) -> ApiResult<Connection<String, Review, EmptyFields, EmptyFields>> {
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .reviews
            .list(self.0.id, verified_only, &page)
            .await?;
        Ok(connection(found, has_previous, Review::from))
    }

    /// The signed-in caller's own review of this movie (hidden ones too), to change or
    /// delete; null for anonymous readers and for those who wrote none.
    async fn my_review(&self, ctx: &Context<'_>) -> ApiResult<Option<Review>> {
        // A token that no longer works reads as anonymous, as `Review.mine` does.
        let Some(reader) = viewer(ctx).await.ok().flatten() else {
            return Ok(None);
        };
        let loader = ctx.data_unchecked::<DataLoader<CatalogLoader>>();
        let found = loader
            .load_one(ReviewBy {
                movie: self.0.id,
                reader,
            })
            .await
            .map_err(|e| ApiError::new(code_of(e.kind()), e.to_string()))?;
        Ok(found.map(Review::from))
    }
}

/// A live event: concert, comedy, play, opera, sports screening.
pub struct Event(pub catalog::Event);

#[Object]
impl Event {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The promoter; none for the platform's own.
    async fn organisation_id(&self) -> Option<ID> {
        self.0.organisation.map(|o| ID(o.to_string()))
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Host or performer.
    async fn performer(&self) -> &str {
        &self.0.performer
    }
    /// Category slug (concert, comedy, theatre…).
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn genres(&self) -> &[String] {
        &self.0.genres
    }
    async fn language(&self) -> &str {
        &self.0.language
    }
    async fn duration_minutes(&self) -> i32 {
        self.0.duration_minutes
    }
    async fn age_rating(&self) -> &str {
        &self.0.age_rating
    }
    async fn poster_url(&self) -> Option<&str> {
        self.0.poster_url.as_deref()
    }
}
