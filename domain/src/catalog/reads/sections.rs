//! The overview of a large venue: each section's availability and price range, read from
//! the same snapshot as the seat map, so that a stadium's buyers can pick a section before
//! any of its 50,000 seats are sent to them.

use crate::ids::ShowtimeId;

use super::super::{CatalogError, SectionSummary};
use super::CatalogReader;

impl CatalogReader {
    /// Every section of a showtime's venue, in the venue's order.
    pub async fn section_overview(
        &self,
        id: ShowtimeId,
    ) -> Result<Vec<SectionSummary>, CatalogError> {
        let live = self.live_seats(id).await?;
        Ok(live
            .snapshot
            .sections
            .iter()
            .map(|s| {
                let (available, price_min, price_max) = live.summary(s);
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
}
