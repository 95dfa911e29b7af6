//! Seat rows are locked in seat order.
//!
//! Two transactions that each change several seats of a showtime, locking them in the
//! order their scans meet them, can lock them in opposite orders (an update moves a row's
//! latest version, and a scan meets rows where those versions lie) and deadlock; PostgreSQL
//! then aborts one of them. So every write of the booking path that may change several
//! seats picks its rows through [`in_seat_order`], whose `FOR UPDATE` sub-select locks
//! them sorted by seat id before the write changes them. SQLite, one writer at a time, has
//! no row locks, and the query builder leaves the clause out there.

use marquee_entity::show_seats;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, IntoCondition, LockType, Order, Query};
use uuid::Uuid;

/// The seats of `showtime` that `pick` chooses, locked in seat order; for the `WHERE` of
/// an update of those seats.
pub(crate) fn in_seat_order(showtime: Uuid, pick: impl IntoCondition) -> Expr {
    show_seats::Column::SeatId.in_subquery(
        Query::select()
            .column(show_seats::Column::SeatId)
            .from(show_seats::Entity)
            .and_where(show_seats::Column::ShowtimeId.eq(showtime))
            .cond_where(pick)
            .order_by(show_seats::Column::SeatId, Order::Asc)
            .lock(LockType::Update)
            .to_owned(),
    )
}
