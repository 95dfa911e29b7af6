//! Showtimes and seat maps.

use chrono::{DateTime, Utc};
use marquee_entity::{showtimes, theatres};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::ids::ShowtimeId;

use super::super::{CatalogError, Showtime, ShowtimeStatus};
use super::*;

impl CatalogReader {
    /// One showtime.
    pub async fn showtime(&self, id: ShowtimeId) -> Result<Option<Showtime>, CatalogError> {
        let mut found = self
            .rows
            .showtimes
            .load(&self.listings, &[id], async |_| {
                Ok(showtimes::Entity::find_by_id(id.uuid())
                    .one(&self.db)
                    .await?
                    .and_then(Showtime::from_model)
                    .map(|s| (id, s))
                    .into_iter()
                    .collect())
            })
            .await?;
        Ok(found.remove(&id))
    }

    /// Showtimes matching the filter, earliest first.
    pub async fn showtimes(&self, filter: &ShowtimeFilter) -> Result<Vec<Showtime>, CatalogError> {
        self.showtimes_from(self.reads.get(), filter).await
    }

    /// The newest catalog change heard here. What the catalog lists (titles, theatres,
    /// showtimes and their prices) stays as read until a change after it is heard.
    pub fn generation(&self) -> i64 {
        self.listings.generation()
    }

    /// Showtimes matching the filter, read from the primary so that a list kept at the
    /// generation read before it is never older than that generation; and, when the list
    /// starts now, the moment it stops standing without any change: the first start in it
    /// (before then, time takes nothing off the list and brings nothing onto it).
    pub async fn showtimes_to_keep(
        &self,
        filter: &ShowtimeFilter,
    ) -> Result<(Vec<Showtime>, Option<DateTime<Utc>>), CatalogError> {
        let found = self.showtimes_from(&self.db, filter).await?;
        let until = match filter.from {
            Some(_) => None,
            None => found.iter().map(|s| s.starts_at).min(),
        };
        Ok((found, until))
    }

    /// The clock listings are read by.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn showtimes_from(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        filter: &ShowtimeFilter,
    ) -> Result<Vec<Showtime>, CatalogError> {
        let limit = filter.limit.unwrap_or(100);
        if !(1..=MAX_SHOWTIMES).contains(&limit) {
            return Err(CatalogError::invalid(
                "first",
                format!("must be between 1 and {MAX_SHOWTIMES}"),
            ));
        }
        let from = filter.from.unwrap_or_else(|| self.clock.now());
        let mut q = showtimes::Entity::find().filter(showtimes::Column::StartsAt.gte(from));
        if let Some(to) = filter.to {
            if to <= from {
                return Err(CatalogError::invalid("to", "must be after `from`"));
            }
            q = q.filter(showtimes::Column::StartsAt.lt(to));
        }
        if let Some(id) = filter.movie_id {
            q = q.filter(showtimes::Column::MovieId.eq(id.uuid()));
        }
        if let Some(id) = filter.event_id {
            q = q.filter(showtimes::Column::EventId.eq(id.uuid()));
        }
        if let Some(id) = filter.theatre_id {
            q = q.filter(showtimes::Column::TheatreId.eq(id.uuid()));
        }
        if let Some(city) = &filter.city {
            let mut sub = Query::select();
            sub.column(theatres::Column::Id)
                .from(theatres::Entity)
                .and_where(lower_eq(theatres::Column::City, city))
                .and_where(Expr::col(theatres::Column::DeletedAt).is_null());
            q = q.filter(showtimes::Column::TheatreId.in_subquery(sub));
        }
        if !filter.include_cancelled {
            q = q.filter(showtimes::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()));
        }
        let rows = q
            .order_by_asc(showtimes::Column::StartsAt)
            .order_by_asc(showtimes::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        Ok(rows.into_iter().filter_map(Showtime::from_model).collect())
    }
}
