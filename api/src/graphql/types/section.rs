use async_graphql::{ID, SimpleObject};
use marquee_domain::catalog;

use super::SectionKind;

/// One section of a showtime's venue on the overview: pick a section here, then read its
/// seats with `seatMap(sectionId:)`.
#[derive(SimpleObject)]
pub struct VenueSection {
    pub id: ID,
    /// Unique within the venue ("Main" for a screen of one section).
    pub name: String,
    pub kind: SectionKind,
    /// Places in it.
    pub capacity: i64,
    /// Places a buyer could hold now.
    pub available: i64,
    /// The lowest price of its places, in minor units; null while none is priced.
    pub price_min: Option<i64>,
    /// The highest price of its places, in minor units.
    pub price_max: Option<i64>,
    /// Where it sits on the overview map (grid units; all 0 when not placed).
    pub map: SectionMap,
}

/// A section's placement on the venue overview.
#[derive(SimpleObject)]
pub struct SectionMap {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl From<catalog::SectionSummary> for VenueSection {
    fn from(s: catalog::SectionSummary) -> Self {
        Self {
            id: ID(s.id.to_string()),
            name: s.name,
            kind: s.kind.into(),
            capacity: s.capacity,
            available: s.available,
            price_min: s.price_min,
            price_max: s.price_max,
            map: SectionMap {
                x: s.map.x,
                y: s.map.y,
                width: s.map.width,
                height: s.map.height,
            },
        }
    }
}
