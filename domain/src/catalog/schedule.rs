//! Placing a showtime on a screen: one transaction that serialises on the screen row,
//! refuses overlaps (running time plus cleaning buffer) and materialises one `show_seats`
//! row per seat.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{screens, seats, sections, show_seats, show_sections, showtimes};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::ids::{ScreenId, ShowtimeId};

use super::{CatalogError, ShowtimeStatus};

/// Locks the screen's schedule for this transaction: on PostgreSQL the row lock queues
/// concurrent writers, on SQLite the write lock does. Returns the screen.
pub(crate) async fn lock_screen(
    txn: &DatabaseTransaction,
    screen: ScreenId,
) -> Result<screens::Model, CatalogError> {
    let bumped = screens::Entity::update_many()
        .col_expr(
            screens::Column::ScheduleVersion,
            Expr::col(screens::Column::ScheduleVersion).add(1),
        )
        .filter(screens::Column::Id.eq(screen.uuid()))
        .filter(screens::Column::DeletedAt.is_null())
        .exec(txn)
        .await?;
    if bumped.rows_affected != 1 {
        return Err(CatalogError::not_found("screen", screen));
    }
    screens::Entity::find_by_id(screen.uuid())
        .one(txn)
        .await?
        .ok_or_else(|| CatalogError::not_found("screen", screen))
}

/// Refuses a slot that overlaps another scheduled showtime of the screen.
pub(crate) async fn ensure_free(
    txn: &DatabaseTransaction,
    screen: ScreenId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    buffer: Duration,
    ignore: Option<ShowtimeId>,
) -> Result<(), CatalogError> {
    // Neighbours can be at most this long, so only this window needs scanning.
    let longest = Duration::hours(24);
    let mut q = showtimes::Entity::find()
        .filter(showtimes::Column::ScreenId.eq(screen.uuid()))
        .filter(showtimes::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()))
        .filter(showtimes::Column::StartsAt.lt(ends_at + buffer))
        .filter(showtimes::Column::StartsAt.gt(starts_at - buffer - longest));
    if let Some(id) = ignore {
        q = q.filter(showtimes::Column::Id.ne(id.uuid()));
    }
    let candidates = q.order_by_asc(showtimes::Column::StartsAt).all(txn).await?;
    if let Some(other) = candidates
        .into_iter()
        .find(|o| o.ends_at + buffer > starts_at)
    {
        return Err(CatalogError::Overlap {
            other: other.id.to_string(),
            starts_at: other.starts_at.to_rfc3339(),
            ends_at: (other.ends_at + buffer).to_rfc3339(),
        });
    }
    Ok(())
}

/// One `available` show seat for every seat of the screen, in a single statement.
pub(crate) async fn materialise_seats(
    txn: &impl ConnectionTrait,
    showtime: Uuid,
    screen: Uuid,
) -> Result<u64, CatalogError> {
    let mut select = Query::select();
    select
        .expr(Expr::val(showtime))
        .column(seats::Column::Id)
        .expr(Expr::val(super::SeatStatus::Available.as_str()))
        .from(seats::Entity)
        .and_where(Expr::col(seats::Column::ScreenId).eq(screen));
    let mut insert = Query::insert();
    insert
        .into_table(show_seats::Entity)
        .columns([
            show_seats::Column::ShowtimeId,
            show_seats::Column::SeatId,
            show_seats::Column::Status,
        ])
        .select_from(select)
        .map_err(|e| CatalogError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
    let backend = txn.get_database_backend();
    let seats = txn
        .execute_raw(backend.build(&insert))
        .await?
        .rows_affected();
    // General admission is counted, not seated: one row per section with its capacity.
    let mut select = Query::select();
    select
        .expr(Expr::val(showtime))
        .column(sections::Column::Id)
        .column(sections::Column::Capacity)
        .from(sections::Entity)
        .and_where(Expr::col(sections::Column::ScreenId).eq(screen))
        .and_where(Expr::col(sections::Column::Kind).eq(super::SectionKind::General.as_str()));
    let mut insert = Query::insert();
    insert
        .into_table(show_sections::Entity)
        .columns([
            show_sections::Column::ShowtimeId,
            show_sections::Column::SectionId,
            show_sections::Column::Capacity,
        ])
        .select_from(select)
        .map_err(|e| CatalogError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
    txn.execute_raw(backend.build(&insert)).await?;
    Ok(seats)
}
