//! Staff operations on the catalog. Every method takes the caller's [`Staff`] roles and asks
//! them about the owner of what it changes; every change is audited in its transaction.

mod inputs;
mod promotions;
mod section_prices;
mod showtimes;
mod titles;
mod venues;

use chrono::Duration;
use marquee_entity::showtimes as showtime_rows;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use std::sync::Arc;

use crate::cache::QueryCache;
use crate::clock::SharedClock;
use crate::events::{catalog_changed_row, insert_catalog_row};
use crate::ids::OrganisationId;
use crate::organisations::{AuditEntry, OrganisationError, Staff, Visibility, audit};

use super::{CatalogError, ShowtimeStatus};

pub use inputs::*;
pub(crate) use venues::insert_seats;

fn required<T>(field: &'static str, value: Option<T>) -> Result<T, CatalogError> {
    value.ok_or_else(|| CatalogError::invalid(field, "is required"))
}

/// Longest accepted running time: a marathon screening, not a typo.
const MAX_RUNTIME: i32 = 600;

/// Admin writes to the catalog.
#[derive(Clone)]
pub struct CatalogAdmin {
    db: DatabaseConnection,
    clock: SharedClock,
    cleaning_buffer: Duration,
    listings: Arc<QueryCache>,
}

impl CatalogAdmin {
    /// Builds the service; `cleaning_buffer` separates consecutive shows on a screen.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        cleaning_buffer: Duration,
        listings: Arc<QueryCache>,
    ) -> Self {
        Self {
            db,
            clock,
            cleaning_buffer,
            listings,
        }
    }

    /// Saves a change, announces it (for the search index) and audits it with the saved
    /// state, in one transaction.
    async fn announced<M: serde::Serialize>(
        &self,
        kind: &str,
        id: uuid::Uuid,
        now: chrono::DateTime<chrono::Utc>,
        entry: AuditEntry,
        write: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<M, sea_orm::DbErr>,
    ) -> Result<M, CatalogError> {
        let txn = self.db.begin().await?;
        let saved = write(&txn).await?;
        insert_catalog_row(&txn, catalog_changed_row(kind, id, now)).await?;
        audit::record(&txn, entry.after(&saved), now).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Ok(saved)
    }

    /// Scheduled showtimes in `scope` that have not ended yet.
    async fn upcoming_count(
        &self,
        scope: sea_orm::sea_query::SimpleExpr,
    ) -> Result<u64, CatalogError> {
        Ok(showtime_rows::Entity::find()
            .filter(scope)
            .filter(showtime_rows::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()))
            .filter(showtime_rows::Column::EndsAt.gt(self.clock.now()))
            .count(&self.db)
            .await?)
    }

    /// The owner of something new: the organisation named, or else the caller's only
    /// managed one (a platform admin's own objects have none). The caller must manage it.
    async fn owner_for_new(
        &self,
        staff: &Staff,
        named: Option<OrganisationId>,
    ) -> Result<Option<OrganisationId>, CatalogError> {
        let owner = match (named, staff.managed()) {
            (Some(named), _) => Some(named),
            (None, Visibility::All) => None,
            (None, Visibility::Only(ids)) if ids.len() == 1 => Some(ids[0]),
            (None, Visibility::Only(_)) => {
                return Err(CatalogError::invalid(
                    "organisationId",
                    "name the organisation it belongs to",
                ));
            }
        };
        staff.manage(owner)?;
        if let Some(id) = owner {
            marquee_entity::organisations::Entity::find_by_id(id.uuid())
                .one(&self.db)
                .await?
                .ok_or(OrganisationError::NotFound("organisation"))?;
        }
        Ok(owner)
    }
}

/// An audit entry for `staff`'s action on an object of `owner`.
fn audited(
    staff: &Staff,
    owner: Option<uuid::Uuid>,
    action: &'static str,
    subject_type: &'static str,
    subject: uuid::Uuid,
) -> AuditEntry {
    AuditEntry::new(
        owner.map(OrganisationId::from),
        staff.user_id(),
        action,
        subject_type,
        Some(subject),
    )
}
