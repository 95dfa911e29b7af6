//! Movie and event lists, with the "playing in this city on this local date" filter.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use marquee_entity::{events, movies, showtimes, theatres};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::ids::{EventId, MovieId};
use crate::page::{Page, PageError, PageRequest, decode_cursor, encode_cursor};

use super::super::{CatalogError, Event, Movie, ShowtimeStatus, genres};
use super::*;

impl CatalogReader {
    /// The "has a scheduled showtime matching city/date" subquery for movies or events.
    pub(super) async fn playing_condition(
        &self,
        title_col: showtimes::Column,
        parent: (
            impl sea_orm::sea_query::IntoIden + Copy + 'static,
            impl sea_orm::sea_query::IntoIden + Copy + 'static,
        ),
        filter: &TitleFilter,
    ) -> Result<Option<SelectStatement>, CatalogError> {
        if filter.city.is_none() && filter.date.is_none() {
            return Ok(None);
        }
        let mut sub = Query::select();
        sub.expr(Expr::val(1))
            .from(showtimes::Entity)
            .inner_join(
                theatres::Entity,
                Expr::col((theatres::Entity, theatres::Column::Id))
                    .equals((showtimes::Entity, showtimes::Column::TheatreId)),
            )
            .and_where(Expr::col((showtimes::Entity, title_col)).equals(parent))
            .and_where(
                Expr::col((showtimes::Entity, showtimes::Column::Status))
                    .eq(ShowtimeStatus::Scheduled.as_str()),
            )
            .and_where(Expr::col((theatres::Entity, theatres::Column::DeletedAt)).is_null());
        if let Some(city) = &filter.city {
            sub.and_where(lower_eq((theatres::Entity, theatres::Column::City), city));
        }
        match filter.date {
            Some(date) => {
                sub.cond_where(
                    self.local_date_condition(date, filter.city.as_deref())
                        .await?,
                );
            }
            None => {
                sub.and_where(
                    Expr::col((showtimes::Entity, showtimes::Column::StartsAt))
                        .gte(self.clock.now()),
                );
            }
        }
        Ok(Some(sub))
    }

    /// `starts_at` falls on `date` in the theatre's own time zone: one UTC window per time
    /// zone in use (there are few).
    pub(super) async fn local_date_condition(
        &self,
        date: NaiveDate,
        city: Option<&str>,
    ) -> Result<Condition, CatalogError> {
        let mut q = theatres::Entity::find()
            .select_only()
            .column(theatres::Column::Timezone)
            .distinct()
            .filter(theatres::Column::DeletedAt.is_null());
        if let Some(city) = city {
            q = q.filter(lower_eq(theatres::Column::City, city));
        }
        let zones: Vec<String> = q.into_tuple().all(&self.db).await?;
        let mut any = Condition::any();
        for zone in zones {
            let Ok(tz) = zone.parse::<Tz>() else { continue };
            let (Some(start), Some(end)) = (
                local_midnight(tz, date),
                date.succ_opt().and_then(|d| local_midnight(tz, d)),
            ) else {
                continue;
            };
            any = any.add(
                Condition::all()
                    .add(Expr::col((theatres::Entity, theatres::Column::Timezone)).eq(zone))
                    .add(Expr::col((showtimes::Entity, showtimes::Column::StartsAt)).gte(start))
                    .add(Expr::col((showtimes::Entity, showtimes::Column::StartsAt)).lt(end)),
            );
        }
        // No theatre at all: nothing can match.
        if any.is_empty() {
            any = any.add(Expr::val(1).eq(0));
        }
        Ok(any)
    }

    /// A page of movies ordered by title.
    pub async fn movies(
        &self,
        filter: &TitleFilter,
        page: &PageRequest,
    ) -> Result<Page<Movie>, CatalogError> {
        let size = page.size()?;
        let rows = self
            .listed("movies", filter, page, || {
                self.movie_rows(filter, page, size)
            })
            .await?;
        Ok(title_page(rows, size, |m| (m.title.clone(), m.id)))
    }

    async fn movie_rows(
        &self,
        filter: &TitleFilter,
        page: &PageRequest,
        size: u64,
    ) -> Result<Vec<movies::Model>, CatalogError> {
        let mut q = movies::Entity::find().filter(movies::Column::DeletedAt.is_null());
        if let Some(g) = filter.genre.as_deref().and_then(genres::normalise) {
            q = q.filter(movies::Column::Genres.like(genres::like_pattern(&g)));
        }
        if let Some(lang) = &filter.language {
            q = q.filter(lower_eq(movies::Column::Language, lang));
        }
        if let Some(sub) = self
            .playing_condition(
                showtimes::Column::MovieId,
                (movies::Entity, movies::Column::Id),
                filter,
            )
            .await?
        {
            q = q.filter(Expr::exists(sub));
        }
        if let Some(after) = &page.after {
            q = q.filter(after_title(
                after,
                movies::Column::Title,
                movies::Column::Id,
            )?);
        }
        let rows = q
            .order_by_asc(movies::Column::Title)
            .order_by_asc(movies::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        Ok(rows)
    }

    /// A page of live events ordered by title.
    pub async fn events(
        &self,
        filter: &TitleFilter,
        page: &PageRequest,
    ) -> Result<Page<Event>, CatalogError> {
        let size = page.size()?;
        let rows = self
            .listed("events", filter, page, || {
                self.event_rows(filter, page, size)
            })
            .await?;
        Ok(title_page(rows, size, |m| (m.title.clone(), m.id)))
    }

    async fn event_rows(
        &self,
        filter: &TitleFilter,
        page: &PageRequest,
        size: u64,
    ) -> Result<Vec<events::Model>, CatalogError> {
        let mut q = events::Entity::find().filter(events::Column::DeletedAt.is_null());
        if let Some(g) = filter.genre.as_deref().and_then(genres::normalise) {
            q = q.filter(
                Condition::any()
                    .add(events::Column::Genres.like(genres::like_pattern(&g)))
                    .add(events::Column::Category.eq(g)),
            );
        }
        if let Some(lang) = &filter.language {
            q = q.filter(lower_eq(events::Column::Language, lang));
        }
        if let Some(sub) = self
            .playing_condition(
                showtimes::Column::EventId,
                (events::Entity, events::Column::Id),
                filter,
            )
            .await?
        {
            q = q.filter(Expr::exists(sub));
        }
        if let Some(after) = &page.after {
            q = q.filter(after_title(
                after,
                events::Column::Title,
                events::Column::Id,
            )?);
        }
        let rows = q
            .order_by_asc(events::Column::Title)
            .order_by_asc(events::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        Ok(rows)
    }

    /// One movie, unless retired.
    pub async fn movie(&self, id: MovieId) -> Result<Option<Movie>, CatalogError> {
        Ok(movies::Entity::find_by_id(id.uuid())
            .filter(movies::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .map(Movie::from))
    }

    /// One event, unless retired.
    pub async fn event(&self, id: EventId) -> Result<Option<Event>, CatalogError> {
        Ok(events::Entity::find_by_id(id.uuid())
            .filter(events::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .map(Event::from))
    }
}

/// The UTC instant of local midnight starting `date` (or the first instant after a gap).
pub(crate) fn local_midnight(tz: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let naive = date.and_hms_opt(0, 0, 0)?;
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// The rows after a title cursor: later titles, or the same title with a later id.
fn after_title<C: ColumnTrait>(after: &str, title: C, id: C) -> Result<Condition, CatalogError> {
    let parts = decode_cursor(after, 2)?;
    let after_id = Uuid::parse_str(&parts[1]).map_err(|_| PageError::BadCursor)?;
    Ok(Condition::any().add(title.gt(parts[0].clone())).add(
        Condition::all()
            .add(title.eq(parts[0].clone()))
            .add(id.gt(after_id)),
    ))
}

/// A page from `size + 1` rows ordered by (title, id): the extra row only says more follow.
impl CatalogReader {
    /// The rows of a title list: listings by city or date (what buyers browse on a busy
    /// night) through the cache, others straight from the database.
    async fn listed<M, F, Fut>(
        &self,
        kind: &str,
        filter: &TitleFilter,
        page: &PageRequest,
        rows: F,
    ) -> Result<Vec<M>, CatalogError>
    where
        M: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<M>, CatalogError>>,
    {
        if filter.city.is_none() && filter.date.is_none() {
            return rows().await;
        }
        let query = format!("{filter:?}|{page:?}");
        let found = self.listings.get_or_compute(kind, &query, rows).await?;
        Ok(found.as_ref().clone())
    }
}

fn title_page<M, T: From<M>>(
    mut rows: Vec<M>,
    size: u64,
    key: impl Fn(&M) -> (String, Uuid),
) -> Page<T> {
    let has_next_page = rows.len() as u64 > size;
    rows.truncate(size as usize);
    let items = rows
        .into_iter()
        .map(|m| {
            let (title, id) = key(&m);
            (encode_cursor(&[&title, &id.to_string()]), T::from(m))
        })
        .collect();
    Page {
        items,
        has_next_page,
    }
}
