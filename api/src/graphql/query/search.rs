//! Discovery: full-text search over titles and theatres, and autocomplete.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Enum, ID, Object, SimpleObject, Union};
use chrono::NaiveDate;
use marquee_domain::catalog::{GeoFilter, HitRef, NearbyFilter, TheatreFilter};
use marquee_domain::ids::{EventId, MovieId, TheatreId};
use marquee_domain::page::{decode_cursor, encode_cursor};
use marquee_search::geo::LatLon;
use marquee_search::index::{Filters, Hit, Kind, SearchRequest};

use super::catalog::NearInput;
use crate::graphql::auth::services;
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Event, Movie, Showtime, Theatre};

/// What to search among.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum SearchKind {
    /// Films.
    Movie,
    /// Live events.
    Event,
    /// Venues.
    Theatre,
}

impl From<SearchKind> for Kind {
    fn from(k: SearchKind) -> Self {
        match k {
            SearchKind::Movie => Self::Movie,
            SearchKind::Event => Self::Event,
            SearchKind::Theatre => Self::Theatre,
        }
    }
}

/// A movie, an event or a theatre.
#[derive(Union)]
pub enum SearchItem {
    /// A film.
    Movie(Movie),
    /// A live event.
    Event(Event),
    /// A venue.
    Theatre(Theatre),
}

/// One search result.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// What was found.
    pub item: SearchItem,
    /// Relevance (higher is better).
    pub score: f64,
    /// The description with the matched words in `<b>`.
    pub snippet: Option<String>,
    /// Distance from `near`, in kilometres (for titles: to the nearest theatre playing it).
    pub distance_km: Option<f64>,
    /// When the search named a place (`city`, `zip`, `near`) or a `date`: the next
    /// performances of this title there and then, or at this theatre then, earliest first
    /// (at most five). Empty otherwise.
    #[graphql(complexity = "complexity::list(5, child_complexity)")]
    pub showtimes: Vec<Showtime>,
}

/// A title for the search box.
#[derive(SimpleObject)]
pub struct Suggestion {
    /// Id of the movie, event or theatre.
    pub id: ID,
    /// What it is.
    pub kind: SearchKind,
    /// Its title.
    pub title: String,
}

fn kind_of(k: Kind) -> Option<SearchKind> {
    match k {
        Kind::Movie => Some(SearchKind::Movie),
        Kind::Event => Some(SearchKind::Event),
        Kind::Theatre => Some(SearchKind::Theatre),
        // Help articles have a search of their own.
        Kind::Article => None,
    }
}

/// Most hits one page may hold, and how deep paging may go.
const MAX_FIRST: i32 = 50;
const MAX_OFFSET: usize = 500;

/// Search queries.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Movies, events and theatres matching `query` (typos forgiven), best first, narrowed
    /// by the filters; with `near` and no words, nearest first.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "complexity::page(first, 20, MAX_FIRST as usize, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        kinds: Option<Vec<SearchKind>>,
        city: Option<String>,
        zip: Option<String>,
        near: Option<NearInput>,
        genres: Option<Vec<String>>,
        date: Option<NaiveDate>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, SearchHit, EmptyFields, EmptyFields>> {
        let first = first.unwrap_or(20);
        if !(1..=MAX_FIRST).contains(&first) {
            return Err(ApiError::bad_input(
                "first",
                format!("`first` must be between 1 and {MAX_FIRST}"),
            ));
        }
        let offset = match &after {
            None => 0,
            Some(c) => decode_cursor(c, 1)
                .ok()
                .and_then(|p| p[0].parse::<usize>().ok())
                .filter(|o| *o < MAX_OFFSET)
                .ok_or_else(|| ApiError::bad_input("after", "not a cursor returned by this API"))?,
        };
        let first = first as usize;
        let nearby = wants_showtimes(ctx, &city, &zip, &near, date).then(|| NearbyFilter {
            place: TheatreFilter {
                city: city.clone(),
                zip: zip.clone(),
                near: near.as_ref().map(|n| GeoFilter {
                    lat: n.lat,
                    lon: n.lon,
                    radius_km: n.radius_km,
                }),
            },
            date,
            per_hit: SHOWTIMES_PER_HIT,
        });
        let request = SearchRequest {
            text: query.unwrap_or_default(),
            filters: Filters {
                kinds: kinds
                    .unwrap_or_default()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                cities: city.into_iter().collect(),
                zips: zip.into_iter().collect(),
                genres: genres.unwrap_or_default(),
                dates: date.map(|d| d.to_string()).into_iter().collect(),
                near: near.map(|n| {
                    (
                        LatLon {
                            lat: n.lat,
                            lon: n.lon,
                        },
                        n.radius_km,
                    )
                }),
                ..Filters::default()
            },
            // One more than the page: whether another page follows.
            limit: offset + first + 1,
            snippets: wants_snippets(ctx),
        };
        let hits = services(ctx).discovery.search(request).await?;
        let more = hits.len() > offset + first;
        let page: Vec<(usize, Hit)> = hits
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(first)
            .collect();
        let mut found = items(ctx, page).await?;
        if let Some(filter) = nearby {
            let refs: Vec<HitRef> = found.iter().map(|(_, h)| hit_ref(h)).collect();
            let mut showtimes = services(ctx)
                .catalog
                .nearby_showtimes(&refs, &filter)
                .await?;
            for (_, hit) in found.iter_mut() {
                if let Some(list) = showtimes.remove(&hit_ref(hit)) {
                    hit.showtimes = list.into_iter().map(Showtime).collect();
                }
            }
        }
        let mut connection = Connection::new(offset > 0, more);
        for (i, hit) in found {
            connection
                .edges
                .push(Edge::new(encode_cursor(&[&(i + 1).to_string()]), hit));
        }
        Ok(connection)
    }

    /// Titles starting with what was typed (or with a word starting so), for the search box.
    #[graphql(complexity = "complexity::page(first, 8, 20, child_complexity)")]
    async fn autocomplete(
        &self,
        ctx: &Context<'_>,
        prefix: String,
        first: Option<i32>,
    ) -> ApiResult<Vec<Suggestion>> {
        let first = first.unwrap_or(8);
        if !(1..=20).contains(&first) {
            return Err(ApiError::bad_input(
                "first",
                "`first` must be between 1 and 20",
            ));
        }
        Ok(services(ctx)
            .discovery
            .autocomplete(prefix, first as usize)
            .await?
            .into_iter()
            .filter_map(|s| {
                Some(Suggestion {
                    kind: kind_of(s.kind)?,
                    id: ID(s.id),
                    title: s.title,
                })
            })
            .collect())
    }
}

/// The catalog objects behind a page of hits, with their places on the page: one batch
/// per kind (no DataLoader delay, as every id is known at once). A hit whose title or
/// theatre was retired after it was indexed is left out.
async fn items(ctx: &Context<'_>, page: Vec<(usize, Hit)>) -> ApiResult<Vec<(usize, SearchHit)>> {
    let page: Vec<(usize, Hit, HitRef)> = page
        .into_iter()
        .filter_map(|(i, hit)| {
            let found = match hit.kind {
                Kind::Movie => HitRef::Movie(MovieId::parse(&hit.id).ok()?),
                Kind::Event => HitRef::Event(EventId::parse(&hit.id).ok()?),
                Kind::Theatre => HitRef::Theatre(TheatreId::parse(&hit.id).ok()?),
                Kind::Article => return None,
            };
            Some((i, hit, found))
        })
        .collect();
    let (mut movies, mut events, mut theatres) = (Vec::new(), Vec::new(), Vec::new());
    for (.., found) in &page {
        match *found {
            HitRef::Movie(id) => movies.push(id),
            HitRef::Event(id) => events.push(id),
            HitRef::Theatre(id) => theatres.push(id),
        }
    }
    let catalog = &services(ctx).catalog;
    let (mut movies, mut events, mut theatres) = futures_util::try_join!(
        catalog.movies_by_ids(&movies),
        catalog.events_by_ids(&events),
        catalog.theatres_by_ids(&theatres),
    )?;
    Ok(page
        .into_iter()
        .filter_map(|(i, hit, found)| {
            let item = match found {
                HitRef::Movie(id) => SearchItem::Movie(Movie(movies.remove(&id)?)),
                HitRef::Event(id) => SearchItem::Event(Event(events.remove(&id)?)),
                HitRef::Theatre(id) => SearchItem::Theatre(Theatre(theatres.remove(&id)?)),
            };
            let hit = SearchHit {
                item,
                score: f64::from(hit.score),
                snippet: hit.snippet,
                distance_km: hit.distance_km,
                showtimes: Vec::new(),
            };
            Some((i, hit))
        })
        .collect())
}

/// Showtimes listed under each hit at most.
const SHOWTIMES_PER_HIT: usize = 5;

/// Whether hits get their showtimes: a place or date was given and the client asked.
/// Whether the client selected the hits' snippets: highlighting costs a pass over every
/// hit's description.
fn wants_snippets(ctx: &Context<'_>) -> bool {
    let ahead = ctx.look_ahead();
    ahead.field("edges").field("node").field("snippet").exists()
        || ahead.field("nodes").field("snippet").exists()
}

fn wants_showtimes(
    ctx: &Context<'_>,
    city: &Option<String>,
    zip: &Option<String>,
    near: &Option<NearInput>,
    date: Option<NaiveDate>,
) -> bool {
    let placed = city.is_some() || zip.is_some() || near.is_some() || date.is_some();
    let ahead = ctx.look_ahead();
    placed
        && (ahead
            .field("edges")
            .field("node")
            .field("showtimes")
            .exists()
            || ahead.field("nodes").field("showtimes").exists())
}

fn hit_ref(hit: &SearchHit) -> HitRef {
    match &hit.item {
        SearchItem::Movie(m) => HitRef::Movie(m.0.id),
        SearchItem::Event(e) => HitRef::Event(e.0.id),
        SearchItem::Theatre(t) => HitRef::Theatre(t.0.id),
    }
}
