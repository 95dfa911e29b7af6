//! Sales analytics for organisations: rollups per showtime and hour kept current from the
//! outbox ([`RollupWorker`]), reports over them ([`AnalyticsService`]), and a generator of
//! booking history to measure them at volume ([`seed`]).

mod dimensions;
mod entries;
mod figures;
mod names;
mod plan;
mod report;
mod rollup;
pub mod seed;
#[cfg(test)]
mod tests;
mod totals;
mod upsert;

use sea_orm::DatabaseConnection;

use crate::error::{Classify, ErrorKind};
use crate::organisations::{OrganisationError, Staff};

pub use entries::{EntryTally, WAITING_ROOM_ENTERED};
pub use figures::{Deltas, Figures, ShowtimeFacts, hour_of};
pub use report::{Granularity, GroupBy, ReportQuery, ReportRow};
pub use rollup::{ROLLUP_LOCK, RollupWorker};

/// Everything that can go wrong with analytics.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    /// The caller may not read this organisation's figures.
    #[error(transparent)]
    Scope(#[from] OrganisationError),
    /// A value outside what is accepted.
    #[error("{field} {message}")]
    Invalid {
        /// The input field, as the API names it.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl AnalyticsError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl Classify for AnalyticsError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Scope(e) => e.kind(),
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Scope(e) => e.field(),
            Self::Invalid { field, .. } => Some(field),
            Self::Database(_) => None,
        }
    }
}

/// Answers sales reports for the staff allowed to read them.
#[derive(Clone)]
pub struct AnalyticsService {
    db: DatabaseConnection,
}

impl AnalyticsService {
    /// Wires the service.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The report `query` asks for, when `staff` manages its organisation (platform admins
    /// read any).
    #[tracing::instrument(skip_all, fields(organisation_id = %query.organisation()), err)]
    pub async fn sales_report(
        &self,
        staff: &Staff,
        query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, AnalyticsError> {
        let mut rows = self.sales_figures(staff, query).await?;
        names::name_groups(&self.db, query.group_by(), &mut rows).await?;
        Ok(rows)
    }

    /// The report's rows without the groups' names (`group_name` stays empty): what a
    /// caller that shows no names asks, a thousand showtimes' names being a read of their
    /// own.
    pub async fn sales_figures(
        &self,
        staff: &Staff,
        query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, AnalyticsError> {
        staff.manage(Some(query.organisation()))?;
        report::run(&self.db, query).await
    }
}
