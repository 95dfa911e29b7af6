//! Lookups by many ids at once, behind the API's DataLoaders.

use std::collections::HashMap;

use marquee_entity::{events, movies, screens, showtime_prices, theatres};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::ids::{EventId, MovieId, ScreenId, ShowtimeId, TheatreId};

use super::super::{CatalogError, Event, Movie, Price, Screen, SeatCategory, Theatre};
use super::*;

impl CatalogReader {
    /// Theatres by id (deleted ones included, so old showtimes still name their venue).
    pub async fn theatres_by_ids(
        &self,
        ids: &[TheatreId],
    ) -> Result<HashMap<TheatreId, Theatre>, CatalogError> {
        self.rows
            .theatres
            .load(&self.listings, ids, async |missing| {
                let rows = theatres::Entity::find()
                    .filter(theatres::Column::Id.is_in(uuids(missing)))
                    .all(&self.db)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|m| (TheatreId::from(m.id), Theatre::from(m)))
                    .collect())
            })
            .await
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
        self.rows
            .movies
            .load(&self.listings, ids, async |missing| {
                let rows = movies::Entity::find()
                    .filter(movies::Column::Id.is_in(uuids(missing)))
                    .all(&self.db)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|m| (MovieId::from(m.id), Movie::from(m)))
                    .collect())
            })
            .await
    }

    /// Events by id.
    pub async fn events_by_ids(
        &self,
        ids: &[EventId],
    ) -> Result<HashMap<EventId, Event>, CatalogError> {
        self.rows
            .events
            .load(&self.listings, ids, async |missing| {
                let rows = events::Entity::find()
                    .filter(events::Column::Id.is_in(uuids(missing)))
                    .all(&self.db)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|m| (EventId::from(m.id), Event::from(m)))
                    .collect())
            })
            .await
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
