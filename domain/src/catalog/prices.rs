//! What a place costs at a showtime: its section's price of its category when the section
//! has one, else the showtime's price of the category.

use std::collections::HashMap;

use marquee_entity::{section_prices, showtime_prices};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::SeatCategory;

/// A showtime's prices: per category, and per section and category where a section has
/// its own.
#[derive(Debug, Clone, Default)]
pub struct PriceList {
    base: HashMap<SeatCategory, i64>,
    by_section: HashMap<(Uuid, SeatCategory), i64>,
}

impl PriceList {
    /// From the stored rows (unknown categories are left out).
    pub fn from_rows(
        base: Vec<showtime_prices::Model>,
        by_section: Vec<section_prices::Model>,
    ) -> Self {
        Self {
            base: base
                .into_iter()
                .filter_map(|p| Some((SeatCategory::parse(&p.category)?, p.price_cents)))
                .collect(),
            by_section: by_section
                .into_iter()
                .filter_map(|p| {
                    Some((
                        (p.section_id, SeatCategory::parse(&p.category)?),
                        p.price_cents,
                    ))
                })
                .collect(),
        }
    }

    /// The showtime's prices, read in two statements at once.
    pub async fn load<C: ConnectionTrait>(db: &C, showtime: Uuid) -> Result<Self, DbErr> {
        let (base, by_section) = tokio::try_join!(
            showtime_prices::Entity::find()
                .filter(showtime_prices::Column::ShowtimeId.eq(showtime))
                .all(db),
            section_prices::Entity::find()
                .filter(section_prices::Column::ShowtimeId.eq(showtime))
                .all(db),
        )?;
        Ok(Self::from_rows(base, by_section))
    }

    /// The price of a place of `category` in `section`, if it is on sale.
    pub fn price(&self, section: Uuid, category: SeatCategory) -> Option<i64> {
        self.by_section
            .get(&(section, category))
            .or_else(|| self.base.get(&category))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sections_price_replaces_the_showtimes_for_its_category_only() {
        let (showtime, lower, upper) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let base = |category: &str, cents| showtime_prices::Model {
            showtime_id: showtime,
            category: category.into(),
            price_cents: cents,
        };
        let list = PriceList::from_rows(
            vec![base("standard", 5_000), base("premium", 8_000)],
            vec![section_prices::Model {
                showtime_id: showtime,
                section_id: lower,
                category: "standard".into(),
                price_cents: 9_000,
            }],
        );
        assert_eq!(list.price(lower, SeatCategory::Standard), Some(9_000));
        assert_eq!(list.price(lower, SeatCategory::Premium), Some(8_000));
        assert_eq!(list.price(upper, SeatCategory::Standard), Some(5_000));
        assert_eq!(list.price(upper, SeatCategory::Accessible), None);
    }
}
