//! The overview of a large venue: each section's availability and price range, read from
//! the same snapshot as the seat map, so that a stadium's buyers can pick a section before
//! any of its 50,000 seats are sent to them. General-admission sections are counted from
//! their showtime counters, less the places of holds that lapsed and are not yet reclaimed.

use std::collections::HashMap;

use marquee_entity::{booking_places, show_sections};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::ids::ShowtimeId;

use super::super::{CatalogError, SeatCategory, SectionKind, SectionSummary};
use super::CatalogReader;

impl CatalogReader {
    /// Every section of a showtime's venue, in the venue's order.
    pub async fn section_overview(
        &self,
        id: ShowtimeId,
    ) -> Result<Vec<SectionSummary>, CatalogError> {
        let live = self.live_seats(id).await?;
        let general = if live
            .snapshot
            .venue
            .sections
            .iter()
            .any(|s| s.kind == SectionKind::General)
        {
            self.general_available(id, live.now).await?
        } else {
            HashMap::new()
        };
        Ok(live
            .snapshot
            .venue
            .sections
            .iter()
            .map(|s| {
                let (available, price_min, price_max) = match s.kind {
                    SectionKind::Reserved => live.summary(s),
                    SectionKind::General => {
                        let price =
                            live.price_of(s.id, s.category.unwrap_or(SeatCategory::Standard));
                        (
                            general.get(&s.id.uuid()).copied().unwrap_or(0),
                            price,
                            price,
                        )
                    }
                };
                SectionSummary {
                    id: s.id,
                    name: s.name.clone(),
                    kind: s.kind,
                    capacity: s.capacity,
                    available,
                    price_min,
                    price_max,
                    map: s.map,
                }
            })
            .collect())
    }

    /// Places left now in each general-admission section of the showtime.
    async fn general_available(
        &self,
        id: ShowtimeId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<HashMap<Uuid, i64>, CatalogError> {
        let (counters, lapsed) = tokio::try_join!(
            show_sections::Entity::find()
                .filter(show_sections::Column::ShowtimeId.eq(id.uuid()))
                .all(&self.db),
            booking_places::Entity::find()
                .filter(booking_places::Column::ShowtimeId.eq(id.uuid()))
                .filter(booking_places::Column::Status.eq("held"))
                .filter(booking_places::Column::HoldExpiresAt.lte(now))
                .all(&self.db),
        )?;
        let mut left: HashMap<Uuid, i64> = counters
            .into_iter()
            .map(|c| {
                (
                    c.section_id,
                    i64::from(c.capacity) - i64::from(c.sold) - i64::from(c.held),
                )
            })
            .collect();
        for p in lapsed {
            if let Some(n) = left.get_mut(&p.section_id) {
                *n += i64::from(p.quantity);
            }
        }
        Ok(left)
    }
}
