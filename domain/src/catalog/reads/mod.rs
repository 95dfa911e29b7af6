//! Catalog reads: lists with filters and keyset pages, lookups, and the batch loads that
//! back the API's DataLoaders (one query per relation, whatever the number of parents).

mod batch;
mod memo;
mod nearby;
mod seat_map;
pub(crate) use seat_map::LiveSeats;
mod sections;
mod showtimes;
mod titles;
mod venues;

use std::sync::Arc;

pub use nearby::{HitRef, NearbyFilter};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use uuid::Uuid;

use crate::cache::QueryCache;
use crate::clock::SharedClock;
use crate::ids::{EventId, MovieId, TheatreId};
use crate::replica::ReadPool;

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

pub(super) const MAX_THEATRES: u64 = 500;
pub(super) const MAX_SHOWTIMES: u64 = 500;
pub(super) const MAX_RADIUS_KM: f64 = 500.0;

/// Read access to the catalog.
#[derive(Clone)]
pub struct CatalogReader {
    db: DatabaseConnection,
    /// Lists that are not cached (theatres, showtimes, search's showtimes near a place):
    /// the standby while it is fresh enough. Lookups by id, seat maps, prices and the
    /// cached listings read the primary, so that a change heard is a change seen.
    reads: ReadPool,
    clock: SharedClock,
    snapshots: Arc<seat_map::SeatMapSnapshots>,
    /// Movie and event listings by city and date.
    listings: Arc<QueryCache>,
    /// Movies, events and theatres read at the listings' generation.
    rows: Arc<memo::Rows>,
}

pub(super) fn uuids<T: Into<Uuid> + Copy>(ids: &[T]) -> Vec<Uuid> {
    ids.iter().map(|id| (*id).into()).collect()
}

pub(super) fn lower_eq<C: sea_orm::sea_query::IntoColumnRef>(
    col: C,
    value: &str,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col))).eq(value.trim().to_lowercase())
}

impl CatalogReader {
    /// Builds the reader.
    pub fn new(
        db: DatabaseConnection,
        reads: ReadPool,
        clock: SharedClock,
        listings: Arc<QueryCache>,
    ) -> Self {
        Self {
            db,
            reads,
            clock,
            snapshots: Arc::default(),
            listings,
            rows: Arc::default(),
        }
    }
}
