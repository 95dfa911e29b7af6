//! Admin operations on the catalog. Every method takes an [`Admin`] capability, so the role
//! is checked once, where the capability is made.

mod inputs;
mod promotions;
mod showtimes;
mod titles;
mod venues;

use chrono::Duration;
use marquee_entity::showtimes as showtime_rows;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::clock::SharedClock;

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
}

impl CatalogAdmin {
    /// Builds the service; `cleaning_buffer` separates consecutive shows on a screen.
    pub fn new(db: DatabaseConnection, clock: SharedClock, cleaning_buffer: Duration) -> Self {
        Self {
            db,
            clock,
            cleaning_buffer,
        }
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
