//! A section's own prices at a showtime: the lower bowl dearer than the balcony.

use marquee_entity::{section_prices, sections};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::ids::{SectionId, ShowtimeId};
use crate::organisations::{Staff, audit};

use super::super::{CatalogError, Price};
use super::showtimes::{by_category, parse_prices, price_list};
use super::{CatalogAdmin, audited};

impl CatalogAdmin {
    /// Sets the prices of a section of the showtime's venue, replacing the ones it had:
    /// its places of those categories cost these instead of the showtime's prices, its
    /// other categories keep the showtime's (an empty list gives them all back). Holds
    /// already placed keep what they were priced at. Returns the section's prices.
    #[tracing::instrument(skip_all, fields(showtime_id = %id, section_id = %section), err)]
    pub async fn set_section_prices(
        &self,
        staff: &Staff,
        id: ShowtimeId,
        section: SectionId,
        prices: &[(String, i64)],
    ) -> Result<Vec<Price>, CatalogError> {
        let (owner, current) = self.repriceable(staff, id).await?;
        let prices = parse_prices(prices)?;
        let found = sections::Entity::find_by_id(section.uuid())
            .filter(sections::Column::ScreenId.eq(current.screen_id))
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("section", section))?;
        let txn = self.begin_repricing(id).await?;
        let of_section = || {
            section_prices::Entity::find()
                .filter(section_prices::Column::ShowtimeId.eq(id.uuid()))
                .filter(section_prices::Column::SectionId.eq(found.id))
        };
        let before = listed(of_section().all(&txn).await?);
        section_prices::Entity::delete_many()
            .filter(section_prices::Column::ShowtimeId.eq(id.uuid()))
            .filter(section_prices::Column::SectionId.eq(found.id))
            .exec(&txn)
            .await?;
        if !prices.is_empty() {
            section_prices::Entity::insert_many(prices.iter().map(|p| {
                section_prices::ActiveModel {
                    showtime_id: Set(id.uuid()),
                    section_id: Set(found.id),
                    category: Set(p.category.as_str().to_owned()),
                    price_cents: Set(p.price_cents),
                }
            }))
            .exec(&txn)
            .await?;
        }
        let after = listed(of_section().all(&txn).await?);
        let entry = audited(
            staff,
            owner,
            "showtime.set_section_prices",
            "showtime",
            id.uuid(),
        )
        .before(&serde_json::json!({ "section": found.name, "prices": price_list(&before) }))
        .after(&serde_json::json!({ "section": found.name, "prices": price_list(&after) }));
        audit::record(&txn, entry, self.clock.now()).await?;
        txn.commit().await?;
        Ok(after)
    }
}

/// Stored prices as a list by category.
fn listed(rows: Vec<section_prices::Model>) -> Vec<Price> {
    by_category(rows.into_iter().map(|p| (p.category, p.price_cents)))
}
