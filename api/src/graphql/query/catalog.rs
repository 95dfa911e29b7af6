use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use marquee_domain::catalog::{GeoFilter, ShowtimeFilter, TheatreFilter, TitleFilter};
use marquee_domain::ids::{EventId, MovieId, ShowtimeId, TheatreId};
use marquee_domain::page::{Page, PageRequest};

use crate::graphql::auth::services;
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::listing_rendering::ShowtimeList;
use crate::graphql::types::{Event, Movie, Showtime, Theatre};

#[derive(Default)]
pub struct CatalogQuery;

/// Narrows a movie or event list. `city` and `date` keep titles with a scheduled
/// showtime there (on that local date).
#[derive(InputObject, Default)]
pub struct TitleFilterInput {
    /// Genre slug such as `comedy`.
    pub genre: Option<String>,
    /// Language such as `English`.
    pub language: Option<String>,
    /// City name.
    pub city: Option<String>,
    /// Local date (YYYY-MM-DD) of a showtime.
    pub date: Option<NaiveDate>,
}

impl From<TitleFilterInput> for TitleFilter {
    fn from(f: TitleFilterInput) -> Self {
        Self {
            genre: f.genre,
            language: f.language,
            city: f.city,
            date: f.date,
        }
    }
}

/// A circle on the map.
#[derive(InputObject)]
pub struct NearInput {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Radius in kilometres (at most 500).
    pub radius_km: f64,
}

pub(crate) fn page_request(first: Option<i32>, after: Option<String>) -> ApiResult<PageRequest> {
    let first = match first {
        Some(n) if n < 1 => return Err(ApiError::bad_input("first", "`first` must be at least 1")),
        Some(n) => Some(n as u64),
        None => None,
    };
    Ok(PageRequest { first, after })
}

pub(crate) fn connection<T, N>(
    page: Page<T>,
    has_previous: bool,
    wrap: fn(T) -> N,
) -> Connection<String, N>
where
    N: async_graphql::OutputType,
{
    let mut conn = Connection::new(has_previous, page.has_next_page);
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, item)| Edge::new(cursor, wrap(item))),
    );
    conn
}

#[Object]
impl CatalogQuery {
    /// Movies by title, as a Relay connection.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn movies(
        &self,
        ctx: &Context<'_>,
        filter: Option<TitleFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, Movie, EmptyFields, EmptyFields>> {
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .catalog
            .movies(&filter.unwrap_or_default().into(), &page)
            .await?;
        Ok(connection(found, has_previous, Movie))
    }

    /// Live events by title, as a Relay connection.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<TitleFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, Event, EmptyFields, EmptyFields>> {
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .catalog
            .events(&filter.unwrap_or_default().into(), &page)
            .await?;
        Ok(connection(found, has_previous, Event))
    }

    /// One movie.
    async fn movie(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Movie>> {
        let id = ApiError::parse_id("id", &id, MovieId::parse)?;
        Ok(services(ctx).catalog.movie(id).await?.map(Movie))
    }

    /// One live event.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Event>> {
        let id = ApiError::parse_id("id", &id, EventId::parse)?;
        Ok(services(ctx).catalog.event(id).await?.map(Event))
    }

    /// Theatres by city, zip or distance (nearest first with `near`).
    #[graphql(complexity = "complexity::list(20, child_complexity)")]
    async fn theatres(
        &self,
        ctx: &Context<'_>,
        city: Option<String>,
        zip: Option<String>,
        near: Option<NearInput>,
    ) -> ApiResult<Vec<Theatre>> {
        let filter = TheatreFilter {
            city,
            zip,
            near: near.map(|n| GeoFilter {
                lat: n.lat,
                lon: n.lon,
                radius_km: n.radius_km,
            }),
        };
        Ok(services(ctx)
            .catalog
            .theatres(&filter)
            .await?
            .into_iter()
            .map(Theatre)
            .collect())
    }

    /// One theatre.
    async fn theatre(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Theatre>> {
        let id = ApiError::parse_id("id", &id, TheatreId::parse)?;
        Ok(services(ctx).catalog.theatre(id).await?.map(Theatre))
    }

    /// Showtimes, earliest first; by default upcoming and scheduled ones.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "complexity::page(first, 100, 500, child_complexity)")]
    async fn showtimes(
        &self,
        movie_id: Option<ID>,
        event_id: Option<ID>,
        theatre_id: Option<ID>,
        city: Option<String>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default = false)] include_cancelled: bool,
        first: Option<i32>,
    ) -> ApiResult<ShowtimeList> {
        let filter = ShowtimeFilter {
            movie_id: movie_id
                .map(|id| ApiError::parse_id("movieId", &id, MovieId::parse))
                .transpose()?,
            event_id: event_id
                .map(|id| ApiError::parse_id("eventId", &id, EventId::parse))
                .transpose()?,
            theatre_id: theatre_id
                .map(|id| ApiError::parse_id("theatreId", &id, TheatreId::parse))
                .transpose()?,
            city,
            from,
            to,
            include_cancelled,
            limit: match first {
                Some(n) if n < 1 => {
                    return Err(ApiError::bad_input("first", "`first` must be at least 1"));
                }
                Some(n) => Some(n as u64),
                None => None,
            },
        };
        Ok(ShowtimeList(filter))
    }

    /// One showtime.
    async fn showtime(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Showtime>> {
        let id = ApiError::parse_id("id", &id, ShowtimeId::parse)?;
        Ok(services(ctx).catalog.showtime(id).await?.map(Showtime))
    }
}
