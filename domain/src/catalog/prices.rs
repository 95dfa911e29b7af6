//! What a place costs at a showtime: its section's price of its category when the section
//! has one, else the showtime's price of the category.

use std::collections::HashMap;

use marquee_entity::{section_prices, showtime_prices};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
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

    /// The showtime's prices and its sections' own, in one statement (a hold reads them).
    pub async fn load<C: ConnectionTrait>(db: &C, showtime: Uuid) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let (none, mark, binds) = match backend {
            DbBackend::Postgres => ("CAST(NULL AS UUID)", "$1", 1),
            _ => ("NULL", "?", 2),
        };
        let sql = format!(
            "SELECT {none} AS section_id, category, price_cents FROM showtime_prices \
             WHERE showtime_id = {mark} UNION ALL SELECT section_id, category, price_cents \
             FROM section_prices WHERE showtime_id = {mark}"
        );
        let mut list = Self::default();
        for row in db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                vec![Value::from(showtime); binds],
            ))
            .await?
        {
            let section: Option<Uuid> = row.try_get("", "section_id")?;
            let category: String = row.try_get("", "category")?;
            let cents: i64 = row.try_get("", "price_cents")?;
            let Some(category) = SeatCategory::parse(&category) else {
                continue;
            };
            match section {
                Some(section) => list.by_section.insert((section, category), cents),
                None => list.base.insert(category, cents),
            };
        }
        Ok(list)
    }

    /// From the prices aggregated by SQL: `category=cents` pairs of the showtime, and
    /// `section:category=cents` triples of its sections (the section's id as text or hex),
    /// each list comma-separated. Unknown categories are left out.
    pub fn from_aggregates(base: Option<&str>, by_section: Option<&str>) -> Self {
        fn entries(list: Option<&str>) -> impl Iterator<Item = (&str, SeatCategory, i64)> {
            list.into_iter()
                .flat_map(|l| l.split(','))
                .filter_map(|entry| {
                    let (key, cents) = entry.rsplit_once('=')?;
                    let (section, category) = key.rsplit_once(':').unwrap_or(("", key));
                    Some((section, SeatCategory::parse(category)?, cents.parse().ok()?))
                })
        }
        Self {
            base: entries(base).map(|(_, c, cents)| (c, cents)).collect(),
            by_section: entries(by_section)
                .filter_map(|(section, c, cents)| {
                    Some(((Uuid::parse_str(section).ok()?, c), cents))
                })
                .collect(),
        }
    }

    /// A hash of the prices: equal lists have equal fingerprints.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut base: Vec<_> = self.base.iter().collect();
        base.sort_unstable();
        let mut by_section: Vec<_> = self.by_section.iter().collect();
        by_section.sort_unstable();
        let mut hasher = DefaultHasher::new();
        (base, by_section).hash(&mut hasher);
        hasher.finish()
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
    fn aggregated_prices_read_as_the_rows_do() {
        let section = Uuid::now_v7();
        let hex = section.simple().to_string().to_uppercase();
        let list = PriceList::from_aggregates(
            Some("standard=1200,premium=1800,unknown=5"),
            Some(&format!(
                "{hex}:premium=2500,{section}:standard=900,bad:standard=1"
            )),
        );
        assert_eq!(list.price(Uuid::nil(), SeatCategory::Standard), Some(1200));
        assert_eq!(list.price(section, SeatCategory::Premium), Some(2500));
        assert_eq!(list.price(section, SeatCategory::Standard), Some(900));
        assert_eq!(list.price(section, SeatCategory::Accessible), None);
        assert_eq!(list.base.len(), 2);
        assert_eq!(list.by_section.len(), 2);
        assert_eq!(
            PriceList::from_aggregates(None, None).fingerprint(),
            PriceList::default().fingerprint()
        );
    }

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
