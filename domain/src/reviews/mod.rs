//! Ratings and reviews: one review per user and movie, "verified" when its author holds a
//! confirmed ticket to the movie. The movie's count, total and star histogram change in the
//! review's own transaction by atomic increments, so they stay exact under concurrent
//! writes; hidden reviews count for nothing.

mod service;

pub use service::ReviewService;

use chrono::{DateTime, Utc};

use crate::error::{Classify, ErrorKind};
use crate::ids::{MovieId, ReviewId, UserId};
use crate::page::PageError;

/// The longest review text.
pub const MAX_BODY_CHARS: usize = 4_000;

/// A review as readers see it.
#[derive(Debug, Clone)]
pub struct Review {
    /// Id.
    pub id: ReviewId,
    /// The movie.
    pub movie_id: MovieId,
    /// The author.
    pub user_id: UserId,
    /// The author's display name ("Former customer" once the account is deleted).
    pub author_name: String,
    /// 1 to 5 stars.
    pub rating: i32,
    /// What the author wrote (may be empty).
    pub body: String,
    /// The author held a confirmed ticket to the movie when writing it.
    pub verified: bool,
    /// Hidden by an admin.
    pub hidden: bool,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What can go wrong with reviews.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Not 1 to 5 stars.
    #[error("a rating is 1 to 5 stars")]
    BadRating,
    /// Too long.
    #[error("a review is at most {MAX_BODY_CHARS} characters")]
    BodyTooLong,
    /// No such movie (or retired).
    #[error("no such movie")]
    MovieNotFound,
    /// No such review, or not the caller's.
    #[error("no such review")]
    NotFound,
    /// One review per user and movie.
    #[error("you have already reviewed this movie; update that review instead")]
    AlreadyReviewed,
    /// A bad page request.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl Classify for ReviewError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::BadRating | Self::BodyTooLong | Self::Page(_) => ErrorKind::BadInput,
            Self::MovieNotFound | Self::NotFound => ErrorKind::NotFound,
            Self::AlreadyReviewed => ErrorKind::Conflict,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadRating => Some("rating"),
            Self::BodyTooLong => Some("body"),
            Self::Page(PageError::BadCursor) => Some("after"),
            Self::Page(PageError::BadSize) => Some("first"),
            _ => None,
        }
    }
}

/// Checks a rating and a body.
fn check(rating: Option<i32>, body: Option<&str>) -> Result<(), ReviewError> {
    if rating.is_some_and(|r| !(1..=5).contains(&r)) {
        return Err(ReviewError::BadRating);
    }
    if body.is_some_and(|b| b.chars().count() > MAX_BODY_CHARS) {
        return Err(ReviewError::BodyTooLong);
    }
    Ok(())
}
