//! Catalog reads: lists with filters and keyset pages, lookups, and the batch loads that
//! back the API's DataLoaders (one query per relation, whatever the number of parents).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use marquee_entity::{
    events, movies, screens, seats, show_seats, showtime_prices, showtimes, theatres,
};
use marquee_search::geo::{BoundingBox, LatLon, distance_km};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::clock::SharedClock;
use crate::ids::{EventId, MovieId, ScreenId, ShowtimeId, TheatreId};
use crate::page::{Page, PageRequest, decode_cursor, encode_cursor};

use super::{
    CatalogError, Event, Movie, Price, Screen, SeatCategory, SeatMap, SeatMapSeat, SeatStatus,
    Showtime, ShowtimeStatus, Theatre, genres,
};

/// Filters for movie and event lists. City and date select titles with a scheduled
/// showtime there (on that local date).
#[derive(Debug, Clone, Default)]
pub struct TitleFilter {
    /// Genre slug.
    pub genre: Option<String>,
    /// Language, case-insensitive.
    pub language: Option<String>,
    /// City, case-insensitive.
    pub city: Option<String>,
    /// Local date at the theatre.
    pub date: Option<NaiveDate>,
}

/// A circle around a point.
#[derive(Debug, Clone, Copy)]
pub struct GeoFilter {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Radius in km.
    pub radius_km: f64,
}

/// Filters for the theatre list.
#[derive(Debug, Clone, Default)]
pub struct TheatreFilter {
    /// City, case-insensitive.
    pub city: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Within a radius; results then come nearest first.
    pub near: Option<GeoFilter>,
}

/// Filters for the showtime list.
#[derive(Debug, Clone, Default)]
pub struct ShowtimeFilter {
    /// Of this movie.
    pub movie_id: Option<MovieId>,
    /// Of this event.
    pub event_id: Option<EventId>,
    /// At this theatre.
    pub theatre_id: Option<TheatreId>,
    /// In this city.
    pub city: Option<String>,
    /// Starting at or after (default: now).
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
    /// Include cancelled showtimes.
    pub include_cancelled: bool,
    /// At most this many (default 100, at most 500).
    pub limit: Option<u64>,
}

const MAX_THEATRES: u64 = 500;
const MAX_SHOWTIMES: u64 = 500;
const MAX_RADIUS_KM: f64 = 500.0;

/// Read access to the catalog.
#[derive(Clone)]
pub struct CatalogReader {
    db: DatabaseConnection,
    clock: SharedClock,
}

fn uuids<T: Into<Uuid> + Copy>(ids: &[T]) -> Vec<Uuid> {
    ids.iter().map(|id| (*id).into()).collect()
}

fn lower_eq<C: sea_orm::sea_query::IntoColumnRef>(
    col: C,
    value: &str,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col))).eq(value.trim().to_lowercase())
}

impl CatalogReader {
    /// Builds the reader.
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// The "has a scheduled showtime matching city/date" subquery for movies or events.
    async fn playing_condition(
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
    async fn local_date_condition(
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
            let parts = decode_cursor(after, 2)?;
            let id = Uuid::parse_str(&parts[1]).map_err(|_| crate::page::PageError::BadCursor)?;
            q = q.filter(
                Condition::any()
                    .add(movies::Column::Title.gt(parts[0].clone()))
                    .add(
                        Condition::all()
                            .add(movies::Column::Title.eq(parts[0].clone()))
                            .add(movies::Column::Id.gt(id)),
                    ),
            );
        }
        let mut rows = q
            .order_by_asc(movies::Column::Title)
            .order_by_asc(movies::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        let has_next_page = rows.len() as u64 > size;
        rows.truncate(size as usize);
        Ok(Page {
            items: rows
                .into_iter()
                .map(|m| {
                    (
                        encode_cursor(&[&m.title, &m.id.to_string()]),
                        Movie::from(m),
                    )
                })
                .collect(),
            has_next_page,
        })
    }

    /// A page of live events ordered by title.
    pub async fn events(
        &self,
        filter: &TitleFilter,
        page: &PageRequest,
    ) -> Result<Page<Event>, CatalogError> {
        let size = page.size()?;
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
            let parts = decode_cursor(after, 2)?;
            let id = Uuid::parse_str(&parts[1]).map_err(|_| crate::page::PageError::BadCursor)?;
            q = q.filter(
                Condition::any()
                    .add(events::Column::Title.gt(parts[0].clone()))
                    .add(
                        Condition::all()
                            .add(events::Column::Title.eq(parts[0].clone()))
                            .add(events::Column::Id.gt(id)),
                    ),
            );
        }
        let mut rows = q
            .order_by_asc(events::Column::Title)
            .order_by_asc(events::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        let has_next_page = rows.len() as u64 > size;
        rows.truncate(size as usize);
        Ok(Page {
            items: rows
                .into_iter()
                .map(|m| {
                    (
                        encode_cursor(&[&m.title, &m.id.to_string()]),
                        Event::from(m),
                    )
                })
                .collect(),
            has_next_page,
        })
    }

    /// Theatres matching the filter: nearest first with `near`, else by city and name.
    pub async fn theatres(&self, filter: &TheatreFilter) -> Result<Vec<Theatre>, CatalogError> {
        let mut q = theatres::Entity::find().filter(theatres::Column::DeletedAt.is_null());
        if let Some(city) = &filter.city {
            q = q.filter(lower_eq(theatres::Column::City, city));
        }
        if let Some(zip) = &filter.zip {
            q = q.filter(theatres::Column::Zip.eq(zip.trim().to_uppercase()));
        }
        let Some(near) = filter.near else {
            let rows = q
                .order_by_asc(theatres::Column::City)
                .order_by_asc(theatres::Column::Name)
                .limit(MAX_THEATRES)
                .all(&self.db)
                .await?;
            return Ok(rows.into_iter().map(Theatre::from).collect());
        };
        super::validate::coordinates(near.lat, near.lon)?;
        if !(near.radius_km.is_finite() && near.radius_km > 0.0 && near.radius_km <= MAX_RADIUS_KM)
        {
            return Err(CatalogError::invalid(
                "radiusKm",
                format!("must be more than 0 and at most {MAX_RADIUS_KM}"),
            ));
        }
        let center = LatLon {
            lat: near.lat,
            lon: near.lon,
        };
        let bbox = BoundingBox::around(center, near.radius_km);
        q = q.filter(theatres::Column::Latitude.between(bbox.min_lat, bbox.max_lat));
        q = q.filter(if bbox.crosses_antimeridian() {
            Condition::any()
                .add(theatres::Column::Longitude.gte(bbox.min_lon))
                .add(theatres::Column::Longitude.lte(bbox.max_lon))
        } else {
            Condition::all().add(theatres::Column::Longitude.between(bbox.min_lon, bbox.max_lon))
        });
        let mut found: Vec<Theatre> = q
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|m| {
                let d = distance_km(
                    center,
                    LatLon {
                        lat: m.latitude,
                        lon: m.longitude,
                    },
                );
                (d <= near.radius_km).then(|| Theatre {
                    distance_km: Some(d),
                    ..Theatre::from(m)
                })
            })
            .collect();
        found.sort_by(|a, b| {
            a.distance_km
                .partial_cmp(&b.distance_km)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        found.truncate(MAX_THEATRES as usize);
        Ok(found)
    }

    /// One theatre, unless retired.
    pub async fn theatre(&self, id: TheatreId) -> Result<Option<Theatre>, CatalogError> {
        Ok(theatres::Entity::find_by_id(id.uuid())
            .filter(theatres::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .map(Theatre::from))
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

    /// One showtime.
    pub async fn showtime(&self, id: ShowtimeId) -> Result<Option<Showtime>, CatalogError> {
        Ok(showtimes::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .and_then(Showtime::from_model))
    }

    /// Showtimes matching the filter, earliest first.
    pub async fn showtimes(&self, filter: &ShowtimeFilter) -> Result<Vec<Showtime>, CatalogError> {
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
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().filter_map(Showtime::from_model).collect())
    }

    /// The seat map of a showtime, with prices and live statuses.
    pub async fn seat_map(&self, id: ShowtimeId) -> Result<SeatMap, CatalogError> {
        let showtime = self
            .showtime(id)
            .await?
            .ok_or_else(|| CatalogError::not_found("showtime", id))?;
        let prices: HashMap<SeatCategory, i64> = self
            .prices_by_showtimes(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.category, p.price_cents))
            .collect();
        let now = self.clock.now();
        let rows = show_seats::Entity::find()
            .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
            .find_also_related(seats::Entity)
            .order_by_asc(seats::Column::Y)
            .order_by_asc(seats::Column::X)
            .all(&self.db)
            .await?;
        let seats = rows
            .into_iter()
            .filter_map(|(state, seat)| {
                let seat = super::Seat::from(seat?);
                let mut status = SeatStatus::parse(&state.status).unwrap_or(SeatStatus::Blocked);
                // An expired hold is available by definition; no sweeper needs to have run.
                if status == SeatStatus::Held && state.hold_expires_at.is_none_or(|t| t <= now) {
                    status = SeatStatus::Available;
                }
                Some(SeatMapSeat {
                    price_cents: prices.get(&seat.category).copied(),
                    seat,
                    status,
                })
            })
            .collect();
        Ok(SeatMap {
            showtime_id: id,
            currency: showtime.currency,
            seats,
        })
    }

    /// Theatres by id (deleted ones included, so old showtimes still name their venue).
    pub async fn theatres_by_ids(
        &self,
        ids: &[TheatreId],
    ) -> Result<HashMap<TheatreId, Theatre>, CatalogError> {
        let rows = theatres::Entity::find()
            .filter(theatres::Column::Id.is_in(uuids(ids)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (TheatreId::from(m.id), Theatre::from(m)))
            .collect())
    }

    /// Screens by id.
    pub async fn screens_by_ids(
        &self,
        ids: &[ScreenId],
    ) -> Result<HashMap<ScreenId, Screen>, CatalogError> {
        let rows = screens::Entity::find()
            .filter(screens::Column::Id.is_in(uuids(ids)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (ScreenId::from(m.id), Screen::from(m)))
            .collect())
    }

    /// The live screens of each theatre, by name.
    pub async fn screens_by_theatres(
        &self,
        ids: &[TheatreId],
    ) -> Result<HashMap<TheatreId, Vec<Screen>>, CatalogError> {
        let rows = screens::Entity::find()
            .filter(screens::Column::TheatreId.is_in(uuids(ids)))
            .filter(screens::Column::DeletedAt.is_null())
            .order_by_asc(screens::Column::Name)
            .all(&self.db)
            .await?;
        let mut out: HashMap<TheatreId, Vec<Screen>> = HashMap::new();
        for m in rows {
            out.entry(m.theatre_id.into())
                .or_default()
                .push(Screen::from(m));
        }
        Ok(out)
    }

    /// Movies by id (deleted ones included, for booking history).
    pub async fn movies_by_ids(
        &self,
        ids: &[MovieId],
    ) -> Result<HashMap<MovieId, Movie>, CatalogError> {
        let rows = movies::Entity::find()
            .filter(movies::Column::Id.is_in(uuids(ids)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (MovieId::from(m.id), Movie::from(m)))
            .collect())
    }

    /// Events by id.
    pub async fn events_by_ids(
        &self,
        ids: &[EventId],
    ) -> Result<HashMap<EventId, Event>, CatalogError> {
        let rows = events::Entity::find()
            .filter(events::Column::Id.is_in(uuids(ids)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (EventId::from(m.id), Event::from(m)))
            .collect())
    }

    /// Prices of each showtime, in category order.
    pub async fn prices_by_showtimes(
        &self,
        ids: &[ShowtimeId],
    ) -> Result<HashMap<ShowtimeId, Vec<Price>>, CatalogError> {
        let rows = showtime_prices::Entity::find()
            .filter(showtime_prices::Column::ShowtimeId.is_in(uuids(ids)))
            .all(&self.db)
            .await?;
        let mut out: HashMap<ShowtimeId, Vec<Price>> = HashMap::new();
        for m in rows {
            if let Some(category) = SeatCategory::parse(&m.category) {
                out.entry(m.showtime_id.into()).or_default().push(Price {
                    category,
                    price_cents: m.price_cents,
                });
            }
        }
        for prices in out.values_mut() {
            prices.sort_by_key(|p| p.category);
        }
        Ok(out)
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
