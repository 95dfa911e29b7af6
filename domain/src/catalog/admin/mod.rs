//! Admin operations on the catalog. Every method takes an [`Admin`] capability, so the role
//! is checked once, where the capability is made.

mod inputs;
mod promotions;
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

    /// Saves a change and announces it (for the search index) in one transaction.
    async fn announced<M>(
        &self,
        kind: &str,
        id: uuid::Uuid,
        now: chrono::DateTime<chrono::Utc>,
        write: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<M, sea_orm::DbErr>,
    ) -> Result<M, CatalogError> {
        let txn = self.db.begin().await?;
        let saved = write(&txn).await?;
        insert_catalog_row(&txn, catalog_changed_row(kind, id, now)).await?;
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
}
