//! Closing resolved tickets the buyer did not answer: after the configured wait, a
//! resolved ticket becomes closed for good (a later answer must open a new ticket).

use std::time::Duration as StdDuration;

use marquee_entity::support_tickets;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{SupportError, SupportService, TicketStatus};

impl SupportService {
    /// Closes every ticket resolved longer ago than the wait; returns how many. One
    /// conditional update: instances running it at once close each ticket once.
    #[tracing::instrument(name = "support.close_resolved", skip_all, err)]
    pub async fn close_resolved(&self) -> Result<u64, SupportError> {
        let now = self.clock.now();
        let closed = support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::Status,
                Expr::value(TicketStatus::Closed.as_str()),
            )
            .col_expr(support_tickets::Column::ClosedAt, Expr::value(now))
            .col_expr(support_tickets::Column::UpdatedAt, Expr::value(now))
            .filter(support_tickets::Column::Status.eq(TicketStatus::Resolved.as_str()))
            .filter(support_tickets::Column::ResolvedAt.lt(now - self.settings.close_after))
            .exec(&self.db)
            .await?;
        Ok(closed.rows_affected)
    }

    /// Runs until the process stops, closing due tickets every `every`.
    pub async fn run_closing(self, every: StdDuration) {
        loop {
            match self.close_resolved().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "closed resolved support tickets"),
                Err(e) => tracing::warn!(error = %e, "closing resolved tickets failed; retrying"),
            }
            tokio::time::sleep(every).await;
        }
    }
}
