//! DataLoaders: every parent→child field batches its lookups into one query per tick.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use marquee_domain::Services;
use marquee_domain::accounts::Principal;
use marquee_domain::booking::{BookingError, PaymentView, ShowtimeBookings};
use marquee_domain::catalog::{CatalogError, Event, Movie, Price, Screen, Theatre};
use marquee_domain::ids::{BookingId, EventId, MovieId, ScreenId, ShowtimeId, TheatreId, UserId};
use marquee_domain::organisations::Staff;
use marquee_domain::reviews::{Review, ReviewError};

/// Batches catalog lookups.
pub struct CatalogLoader(pub Arc<Services>);

/// The screens of a theatre.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScreensOf(pub TheatreId);

/// The prices of a showtime.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PricesOf(pub ShowtimeId);

/// The latest payment of a booking (its id and owner), as `reader` may see it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaymentOf {
    pub booking: BookingId,
    pub owner: UserId,
    pub reader: Principal,
}

/// The bookings of a showtime, for its organisation's staff.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BookingsAt(pub ShowtimeId, pub Arc<Staff>);

/// The review `reader` wrote of a movie.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReviewBy {
    pub movie: MovieId,
    pub reader: Principal,
}

/// Keys grouped by who reads them, in first-seen order: one request has one reader, but a
/// batch is grouped all the same should it ever mix them.
fn by_reader<K>(keys: &[K], reader_of: impl Fn(&K) -> Principal) -> Vec<(Principal, Vec<&K>)> {
    let mut groups: Vec<(Principal, Vec<&K>)> = Vec::new();
    for key in keys {
        let reader = reader_of(key);
        match groups.iter_mut().find(|(r, _)| *r == reader) {
            Some((_, mine)) => mine.push(key),
            None => groups.push((reader, vec![key])),
        }
    }
    groups
}

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<CatalogError>>;

impl Loader<TheatreId> for CatalogLoader {
    type Value = Theatre;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[TheatreId]) -> LoadResult<TheatreId, Theatre> {
        self.0.catalog.theatres_by_ids(keys).await.map_err(Arc::new)
    }
}

impl Loader<ScreenId> for CatalogLoader {
    type Value = Screen;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[ScreenId]) -> LoadResult<ScreenId, Screen> {
        self.0.catalog.screens_by_ids(keys).await.map_err(Arc::new)
    }
}

impl Loader<MovieId> for CatalogLoader {
    type Value = Movie;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[MovieId]) -> LoadResult<MovieId, Movie> {
        self.0.catalog.movies_by_ids(keys).await.map_err(Arc::new)
    }
}

impl Loader<EventId> for CatalogLoader {
    type Value = Event;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[EventId]) -> LoadResult<EventId, Event> {
        self.0.catalog.events_by_ids(keys).await.map_err(Arc::new)
    }
}

impl Loader<ScreensOf> for CatalogLoader {
    type Value = Vec<Screen>;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[ScreensOf]) -> LoadResult<ScreensOf, Vec<Screen>> {
        let ids: Vec<TheatreId> = keys.iter().map(|k| k.0).collect();
        let mut found = self
            .0
            .catalog
            .screens_by_theatres(&ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<PricesOf> for CatalogLoader {
    type Value = Vec<Price>;
    type Error = Arc<CatalogError>;
    async fn load(&self, keys: &[PricesOf]) -> LoadResult<PricesOf, Vec<Price>> {
        let ids: Vec<ShowtimeId> = keys.iter().map(|k| k.0).collect();
        let mut found = self
            .0
            .catalog
            .prices_by_showtimes(&ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<BookingsAt> for CatalogLoader {
    type Value = ShowtimeBookings;
    type Error = Arc<BookingError>;
    async fn load(
        &self,
        keys: &[BookingsAt],
    ) -> Result<HashMap<BookingsAt, ShowtimeBookings>, Arc<BookingError>> {
        let Some(BookingsAt(_, staff)) = keys.first() else {
            return Ok(HashMap::new());
        };
        let ids: Vec<ShowtimeId> = keys.iter().map(|k| k.0).collect();
        let mut found = self
            .0
            .bookings
            .bookings_at(staff, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (k.clone(), found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

impl Loader<PaymentOf> for CatalogLoader {
    type Value = PaymentView;
    type Error = Arc<BookingError>;
    async fn load(
        &self,
        keys: &[PaymentOf],
    ) -> Result<HashMap<PaymentOf, PaymentView>, Arc<BookingError>> {
        let mut found = HashMap::new();
        for (reader, mine) in by_reader(keys, |k| k.reader) {
            let asked: Vec<(BookingId, UserId)> =
                mine.iter().map(|k| (k.booking, k.owner)).collect();
            let mut views = self
                .0
                .bookings
                .payments_of(&reader, &asked)
                .await
                .map_err(Arc::new)?;
            for key in mine {
                if let Some(view) = views.remove(&key.booking) {
                    found.insert(*key, view);
                }
            }
        }
        Ok(found)
    }
}

impl Loader<ReviewBy> for CatalogLoader {
    type Value = Review;
    type Error = Arc<ReviewError>;
    async fn load(&self, keys: &[ReviewBy]) -> Result<HashMap<ReviewBy, Review>, Arc<ReviewError>> {
        let mut found = HashMap::new();
        for (reader, mine) in by_reader(keys, |k| k.reader) {
            let movies: Vec<MovieId> = mine.iter().map(|k| k.movie).collect();
            let written = self
                .0
                .reviews
                .written_by(&reader, &movies)
                .await
                .map_err(Arc::new)?;
            for (movie, review) in written {
                found.insert(ReviewBy { movie, reader }, review);
            }
        }
        Ok(found)
    }
}
