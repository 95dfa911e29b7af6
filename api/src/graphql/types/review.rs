//! A movie review.

use async_graphql::{ComplexObject, Context, ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::ids::{MovieId, UserId};
use marquee_domain::reviews;

use super::{Movie, load};
use crate::graphql::auth::viewer;
use crate::graphql::error::ApiResult;

/// What a viewer thought of a movie.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Review {
    /// Id.
    pub id: ID,
    /// The movie.
    pub movie_id: ID,
    /// 1 to 5 stars.
    pub rating: i32,
    /// What the author wrote.
    pub body: String,
    /// The author's display name.
    pub author_name: String,
    /// The author held a confirmed ticket to the movie when writing it.
    pub verified: bool,
    /// Hidden by an admin (hidden reviews are not listed and do not count in the rating).
    pub hidden: bool,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    movie: MovieId,
    #[graphql(skip)]
    author: UserId,
}

#[ComplexObject]
impl Review {
    /// The movie reviewed (null once it is retired), e.g. for its title in a moderation list.
    async fn movie(&self, ctx: &Context<'_>) -> ApiResult<Option<Movie>> {
        Ok(load(ctx, self.movie).await?.map(Movie))
    }

    /// Written by the signed-in caller (false for anonymous readers): the review the
    /// caller may edit or delete.
    async fn mine(&self, ctx: &Context<'_>) -> bool {
        // A token that no longer works reads as anonymous here: a movie's reviews must
        // not fail for it (the fields that need an account say UNAUTHENTICATED).
        viewer(ctx)
            .await
            .ok()
            .flatten()
            .is_some_and(|p| p.user_id == self.author)
    }
}

impl From<reviews::Review> for Review {
    fn from(r: reviews::Review) -> Self {
        Self {
            id: ID(r.id.to_string()),
            movie_id: ID(r.movie_id.to_string()),
            rating: r.rating,
            body: r.body,
            author_name: r.author_name,
            verified: r.verified,
            hidden: r.hidden,
            created_at: r.created_at,
            updated_at: r.updated_at,
            movie: r.movie_id,
            author: r.user_id,
        }
    }
}
