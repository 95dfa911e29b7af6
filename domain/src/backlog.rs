//! Depths of the queues an operator alerts on: events not yet published, email given up
//! on, payments whose reconciliation is overdue. Each is one indexed query, read when
//! metrics are scraped rather than tracked in memory, so that every instance reports the
//! same truth whichever of them runs the workers.

use chrono::Duration;
use marquee_entity::{emails, outbox, payments};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::booking::UNSETTLED_PAYMENTS;
use crate::clock::SharedClock;

/// One reading of the queues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog {
    /// Age of the oldest outbox row not yet published (zero when none waits).
    pub relay_lag: Duration,
    /// Outbox rows not yet published.
    pub unpublished: u64,
    /// Emails given up on after their last attempt.
    pub dead_letters: u64,
    /// Unsettled payments whose check with the gateway is due.
    pub payments_due: u64,
}

/// Reads the queues.
pub async fn read(db: &DatabaseConnection, clock: &SharedClock) -> Result<Backlog, DbErr> {
    let now = clock.now();
    let oldest: Option<Option<chrono::DateTime<chrono::Utc>>> = outbox::Entity::find()
        .select_only()
        .expr(Expr::col(outbox::Column::CreatedAt).min())
        .filter(outbox::Column::PublishedAt.is_null())
        .into_tuple()
        .one(db)
        .await?;
    let unpublished = outbox::Entity::find()
        .filter(outbox::Column::PublishedAt.is_null())
        .count(db)
        .await?;
    let dead_letters = emails::Entity::find()
        .filter(emails::Column::Status.eq("dead"))
        .count(db)
        .await?;
    let payments_due = payments::Entity::find()
        .filter(payments::Column::Status.is_in(UNSETTLED_PAYMENTS))
        .filter(payments::Column::NextCheckAt.lte(now))
        .count(db)
        .await?;
    let relay_lag = oldest
        .flatten()
        .map_or(Duration::zero(), |t| (now - t).max(Duration::zero()));
    Ok(Backlog {
        relay_lag,
        unpublished,
        dead_letters,
        payments_due,
    })
}
