//! Writing and reading reviews, with the movie's rating kept in step.

use std::collections::HashMap;
use std::sync::Arc;

use marquee_entity::{bookings, movies, reviews, showtimes, users};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::{Review, ReviewError, check};
use crate::accounts::{Admin, Principal};
use crate::booking::BookingStatus;
use crate::cache::QueryCache;
use crate::clock::SharedClock;
use crate::db::is_unique_violation;
use crate::events::{catalog_changed_row, insert_catalog_row};
use crate::ids::{MovieId, ReviewId};
use crate::page::{Page, PageRequest, newest_first_after, newest_first_page};

/// How often a change is tried again when a concurrent one changed the review first.
const TRIES: usize = 5;

/// Reviews and ratings.
#[derive(Clone)]
pub struct ReviewService {
    db: DatabaseConnection,
    clock: SharedClock,
    listings: Arc<QueryCache>,
}

/// The histogram column of `stars`.
fn star_column(stars: i32) -> movies::Column {
    match stars {
        1 => movies::Column::Ratings1,
        2 => movies::Column::Ratings2,
        3 => movies::Column::Ratings3,
        4 => movies::Column::Ratings4,
        _ => movies::Column::Ratings5,
    }
}

/// Counts (`by` = 1) or uncounts (`by` = -1) one rating of `stars` in the movie's aggregate,
/// by increments that compose with concurrent ones.
/// Moves the movie's rating by `by` reviews of `stars`, and announces the change (search
/// ranks rated titles by it).
async fn count<C: ConnectionTrait>(
    db: &C,
    movie: Uuid,
    stars: i32,
    by: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    movies::Entity::update_many()
        .col_expr(
            movies::Column::RatingCount,
            Expr::col(movies::Column::RatingCount).add(by),
        )
        .col_expr(
            movies::Column::RatingTotal,
            Expr::col(movies::Column::RatingTotal).add(i64::from(by * stars)),
        )
        .col_expr(star_column(stars), Expr::col(star_column(stars)).add(by))
        .filter(movies::Column::Id.eq(movie))
        .exec(db)
        .await?;
    insert_catalog_row(db, catalog_changed_row("movie", movie, now)).await?;
    Ok(())
}

impl ReviewService {
    /// Wires the service.
    pub fn new(db: DatabaseConnection, clock: SharedClock, listings: Arc<QueryCache>) -> Self {
        Self {
            db,
            clock,
            listings,
        }
    }

    /// Whether `who` holds a confirmed booking of a showtime of `movie`.
    async fn holds_ticket(&self, who: &Principal, movie: Uuid) -> Result<bool, DbErr> {
        let shows = Query::select()
            .column(showtimes::Column::Id)
            .from(showtimes::Entity)
            .and_where(Expr::col(showtimes::Column::MovieId).eq(movie))
            .to_owned();
        Ok(bookings::Entity::find()
            .filter(bookings::Column::UserId.eq(who.user_id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::Confirmed.as_str()))
            .filter(bookings::Column::ShowtimeId.in_subquery(shows))
            .count(&self.db)
            .await?
            > 0)
    }

    /// Reviews a movie: one review per user and movie.
    pub async fn add(
        &self,
        who: &Principal,
        movie: MovieId,
        rating: i32,
        body: &str,
    ) -> Result<Review, ReviewError> {
        check(Some(rating), Some(body))?;
        movies::Entity::find_by_id(movie.uuid())
            .filter(movies::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(ReviewError::MovieNotFound)?;
        let verified = self.holds_ticket(who, movie.uuid()).await?;
        let now = self.clock.now();
        let model = reviews::Model {
            id: Uuid::now_v7(),
            user_id: who.user_id.uuid(),
            movie_id: movie.uuid(),
            rating,
            body: body.trim().to_owned(),
            verified,
            hidden: false,
            created_at: now,
            updated_at: now,
        };
        let txn = self.db.begin().await?;
        let inserted = reviews::Entity::insert(reviews::ActiveModel {
            id: Set(model.id),
            user_id: Set(model.user_id),
            movie_id: Set(model.movie_id),
            rating: Set(model.rating),
            body: Set(model.body.clone()),
            verified: Set(model.verified),
            hidden: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&txn)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(ReviewError::AlreadyReviewed),
            other => other?,
        };
        count(&txn, model.movie_id, rating, 1, self.clock.now()).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Ok(self.named(vec![model]).await?.remove(0))
    }

    /// Changes the caller's review; `None` keeps a value.
    pub async fn update(
        &self,
        who: &Principal,
        id: ReviewId,
        rating: Option<i32>,
        body: Option<&str>,
    ) -> Result<Review, ReviewError> {
        check(rating, body)?;
        for _ in 0..TRIES {
            // Read first, then write under a guard on what was read: the write opens the
            // transaction, so SQLite takes its write lock at once instead of upgrading.
            let old = reviews::Entity::find_by_id(id.uuid())
                .filter(reviews::Column::UserId.eq(who.user_id.uuid()))
                .one(&self.db)
                .await?
                .ok_or(ReviewError::NotFound)?;
            let txn = self.db.begin().await?;
            let stars = rating.unwrap_or(old.rating);
            let mut change = reviews::Entity::update_many()
                .col_expr(reviews::Column::Rating, Expr::value(stars))
                .col_expr(reviews::Column::UpdatedAt, Expr::value(self.clock.now()));
            if let Some(b) = body {
                change = change.col_expr(reviews::Column::Body, Expr::value(b.trim()));
            }
            // Only the review as read: a concurrent change means reading it again.
            let changed = change
                .filter(reviews::Column::Id.eq(old.id))
                .filter(reviews::Column::Rating.eq(old.rating))
                .filter(reviews::Column::Hidden.eq(old.hidden))
                .exec(&txn)
                .await?
                .rows_affected;
            if changed == 0 {
                txn.rollback().await?;
                continue;
            }
            if !old.hidden && stars != old.rating {
                count(&txn, old.movie_id, old.rating, -1, self.clock.now()).await?;
                count(&txn, old.movie_id, stars, 1, self.clock.now()).await?;
            }
            txn.commit().await?;
            self.listings.after_write(&self.db).await;
            return self.find(id).await?.ok_or(ReviewError::NotFound);
        }
        Err(ReviewError::Database(DbErr::Custom(
            "the review kept changing; try again".into(),
        )))
    }

    /// Deletes the caller's review.
    pub async fn delete(&self, who: &Principal, id: ReviewId) -> Result<(), ReviewError> {
        for _ in 0..TRIES {
            // Read first, then write under a guard on what was read: the write opens the
            // transaction, so SQLite takes its write lock at once instead of upgrading.
            let old = reviews::Entity::find_by_id(id.uuid())
                .filter(reviews::Column::UserId.eq(who.user_id.uuid()))
                .one(&self.db)
                .await?
                .ok_or(ReviewError::NotFound)?;
            let txn = self.db.begin().await?;
            let gone = reviews::Entity::delete_many()
                .filter(reviews::Column::Id.eq(old.id))
                .filter(reviews::Column::Rating.eq(old.rating))
                .filter(reviews::Column::Hidden.eq(old.hidden))
                .exec(&txn)
                .await?
                .rows_affected;
            if gone == 0 {
                txn.rollback().await?;
                continue;
            }
            if !old.hidden {
                count(&txn, old.movie_id, old.rating, -1, self.clock.now()).await?;
            }
            txn.commit().await?;
            self.listings.after_write(&self.db).await;
            return Ok(());
        }
        Err(ReviewError::Database(DbErr::Custom(
            "the review kept changing; try again".into(),
        )))
    }

    /// Hides a review (or shows it again); a hidden review leaves the movie's rating.
    pub async fn set_hidden(
        &self,
        _admin: &Admin,
        id: ReviewId,
        hidden: bool,
    ) -> Result<Review, ReviewError> {
        for _ in 0..TRIES {
            let old = reviews::Entity::find_by_id(id.uuid())
                .one(&self.db)
                .await?
                .ok_or(ReviewError::NotFound)?;
            if old.hidden == hidden {
                return self.find(id).await?.ok_or(ReviewError::NotFound);
            }
            let txn = self.db.begin().await?;
            let changed = reviews::Entity::update_many()
                .col_expr(reviews::Column::Hidden, Expr::value(hidden))
                .filter(reviews::Column::Id.eq(old.id))
                .filter(reviews::Column::Rating.eq(old.rating))
                .filter(reviews::Column::Hidden.eq(old.hidden))
                .exec(&txn)
                .await?
                .rows_affected;
            if changed == 0 {
                txn.rollback().await?;
                continue;
            }
            count(
                &txn,
                old.movie_id,
                old.rating,
                if hidden { -1 } else { 1 },
                self.clock.now(),
            )
            .await?;
            txn.commit().await?;
            self.listings.after_write(&self.db).await;
            return self.find(id).await?.ok_or(ReviewError::NotFound);
        }
        Err(ReviewError::Database(DbErr::Custom(
            "the review kept changing; try again".into(),
        )))
    }

    /// One review, hidden or not.
    pub async fn find(&self, id: ReviewId) -> Result<Option<Review>, ReviewError> {
        let Some(m) = reviews::Entity::find_by_id(id.uuid()).one(&self.db).await? else {
            return Ok(None);
        };
        Ok(self.named(vec![m]).await?.pop())
    }

    /// The reviews `who` wrote of these movies (hidden ones too: they are still theirs
    /// to change or delete), by movie, in one query.
    pub async fn written_by(
        &self,
        who: &Principal,
        movies: &[MovieId],
    ) -> Result<HashMap<MovieId, Review>, ReviewError> {
        let rows = reviews::Entity::find()
            .filter(reviews::Column::UserId.eq(who.user_id.uuid()))
            .filter(reviews::Column::MovieId.is_in(movies.iter().map(|m| m.uuid())))
            .all(&self.db)
            .await?;
        Ok(self
            .named(rows)
            .await?
            .into_iter()
            .map(|r| (r.movie_id, r))
            .collect())
    }

    /// A movie's visible reviews, newest first.
    pub async fn list(
        &self,
        movie: MovieId,
        verified_only: bool,
        page: &PageRequest,
    ) -> Result<Page<Review>, ReviewError> {
        let size = page.size()?;
        let mut q = reviews::Entity::find()
            .filter(reviews::Column::MovieId.eq(movie.uuid()))
            .filter(reviews::Column::Hidden.eq(false));
        if verified_only {
            q = q.filter(reviews::Column::Verified.eq(true));
        }
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            reviews::Column::CreatedAt,
            reviews::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(reviews::Column::CreatedAt)
            .order_by_desc(reviews::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        let named = self.named(rows).await?;
        Ok(newest_first_page(
            named,
            size,
            |r| (r.created_at, r.id.uuid()),
            |r| r,
        ))
    }

    /// Recent reviews of every movie for moderation, newest first, hidden ones included;
    /// `hidden` keeps only the hidden (or only the visible) ones.
    pub async fn list_for_moderation(
        &self,
        _admin: &Admin,
        hidden: Option<bool>,
        page: &PageRequest,
    ) -> Result<Page<Review>, ReviewError> {
        let size = page.size()?;
        let mut q = reviews::Entity::find();
        if let Some(hidden) = hidden {
            q = q.filter(reviews::Column::Hidden.eq(hidden));
        }
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            reviews::Column::CreatedAt,
            reviews::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(reviews::Column::CreatedAt)
            .order_by_desc(reviews::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        let named = self.named(rows).await?;
        Ok(newest_first_page(
            named,
            size,
            |r| (r.created_at, r.id.uuid()),
            |r| r,
        ))
    }

    /// The reviews with their authors' names, in one query for all of them.
    async fn named(&self, rows: Vec<reviews::Model>) -> Result<Vec<Review>, DbErr> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.user_id).collect();
        let names: HashMap<Uuid, (String, bool)> = users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.name, u.deleted_at.is_some())))
            .collect();
        Ok(rows
            .into_iter()
            .map(|m| Review {
                author_name: match names.get(&m.user_id) {
                    Some((name, false)) => name.clone(),
                    _ => "Former customer".to_owned(),
                },
                id: m.id.into(),
                movie_id: m.movie_id.into(),
                user_id: m.user_id.into(),
                rating: m.rating,
                body: m.body,
                verified: m.verified,
                hidden: m.hidden,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
            .collect())
    }
}
