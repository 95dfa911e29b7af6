//! Releasing lapsed holds. Correctness does not depend on it (a lapsed hold is free by
//! definition); it makes the seat map and the booking status say so in storage.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use marquee_entity::{booking_seats, bookings, outbox, show_seats};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::seat_locks::in_seat_order;
use crate::catalog::SeatStatus;
use crate::clock::SharedClock;
use crate::events::{SeatChange, booking_status_row, seat_changes_row};
use crate::ids::BookingId;
use tokio::sync::Notify;
use tracing::Instrument as _;
use uuid::Uuid;

use super::BookingStatus;
use super::front_line::SeatHolds;

/// What one pass of a worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutionOutcome {
    /// It handled an item; there may be more.
    TaskCompleted,
    /// Nothing was due.
    EmptyQueue,
}

/// Puts a booking's still-held seats back on sale, ends its seat claims, and writes the
/// seat changes and the booking's new `status` to the outbox. Only seats still under the
/// booking's own fencing token: a later hold's seats are not its to free.
pub(crate) async fn free_seats(
    txn: &DatabaseTransaction,
    id: BookingId,
    status: BookingStatus,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let held: Vec<(Uuid, Uuid)> = show_seats::Entity::find()
        .select_only()
        .column(show_seats::Column::ShowtimeId)
        .column(show_seats::Column::SeatId)
        .filter(show_seats::Column::BookingId.eq(id.uuid()))
        .filter(
            show_seats::Column::HoldToken.in_subquery(
                Query::select()
                    .column(bookings::Column::FencingToken)
                    .from(bookings::Entity)
                    .and_where(bookings::Column::Id.eq(id.uuid()))
                    .to_owned(),
            ),
        )
        .filter(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
        .into_tuple()
        .all(txn)
        .await?;
    if let Some((showtime, _)) = held.first() {
        let seats: Vec<Uuid> = held.iter().map(|(_, s)| *s).collect();
        back_on_sale(txn, *showtime, &seats, id, now).await?;
    }
    booking_seats::Entity::update_many()
        .col_expr(booking_seats::Column::Active, Expr::value(false))
        .filter(booking_seats::Column::BookingId.eq(id.uuid()))
        .filter(booking_seats::Column::Active.eq(true))
        .exec(txn)
        .await?;
    super::places::release_places(txn, id).await?;
    outbox::Entity::insert(booking_status_row(id.uuid(), status.as_str(), None, now))
        .exec(txn)
        .await?;
    Ok(())
}

/// Puts `seats` of a booking back on sale (whatever their state) and writes their change
/// to the outbox.
pub(crate) async fn back_on_sale(
    txn: &DatabaseTransaction,
    showtime: Uuid,
    seats: &[Uuid],
    booking: BookingId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if seats.is_empty() {
        return Ok(());
    }
    show_seats::Entity::update_many()
        .col_expr(
            show_seats::Column::Status,
            Expr::value(SeatStatus::Available.as_str()),
        )
        .col_expr(
            show_seats::Column::BookingId,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            show_seats::Column::HoldExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            show_seats::Column::Version,
            Expr::col(show_seats::Column::Version).add(1),
        )
        .filter(show_seats::Column::ShowtimeId.eq(showtime))
        .filter(in_seat_order(
            showtime,
            show_seats::Column::SeatId
                .is_in(seats.to_vec())
                .and(show_seats::Column::BookingId.eq(booking.uuid())),
        ))
        .filter(show_seats::Column::BookingId.eq(booking.uuid()))
        .exec(txn)
        .await?;
    // While people wait for the showtime the seats are theirs first, so buyers are shown
    // them taken; the waitlist announces whatever is left when its line empties.
    let shown = if super::offers::anyone_waiting(txn, showtime).await? {
        SeatStatus::Held
    } else {
        SeatStatus::Available
    };
    let changes: Vec<SeatChange> = seats
        .iter()
        .map(|seat_id| SeatChange {
            seat_id: *seat_id,
            status: shown.as_str().to_owned(),
            hold_expires_at: None,
        })
        .collect();
    outbox::Entity::insert(seat_changes_row(showtime, &changes, now))
        .exec(txn)
        .await?;
    Ok(())
}

/// Marks lapsed holds EXPIRED and frees their seats, one booking per task.
#[derive(Clone)]
pub struct ExpiryWorker {
    db: DatabaseConnection,
    clock: SharedClock,
    holds: Arc<dyn SeatHolds>,
    outbox_wake: Arc<Notify>,
}

impl ExpiryWorker {
    /// Wires the worker.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        holds: Arc<dyn SeatHolds>,
        outbox_wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            holds,
            outbox_wake,
        }
    }

    /// Expires the oldest lapsed hold, if any.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let now = self.clock.now();
        let Some(due) = bookings::Entity::find()
            .filter(bookings::Column::Status.eq(BookingStatus::Held.as_str()))
            .filter(bookings::Column::ExpiresAt.lte(now))
            .order_by_asc(bookings::Column::ExpiresAt)
            .limit(1)
            .one(&self.db)
            .await?
        else {
            return Ok(ExecutionOutcome::EmptyQueue);
        };
        let span = tracing::info_span!(
            "hold.expire",
            booking_id = %due.id,
            showtime_id = %due.showtime_id,
        );
        self.expire(due, now).instrument(span).await
    }

    async fn expire(
        &self,
        due: bookings::Model,
        now: DateTime<Utc>,
    ) -> Result<ExecutionOutcome, DbErr> {
        let id = BookingId::from(due.id);
        let txn = self.db.begin().await?;
        // Conditional: a concurrent checkout or release may have moved it already.
        let moved = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::Expired.as_str()),
            )
            .col_expr(
                bookings::Column::StatusReason,
                Expr::value("the hold ran out"),
            )
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(due.id))
            .filter(bookings::Column::Status.eq(BookingStatus::Held.as_str()))
            .filter(bookings::Column::ExpiresAt.lte(now))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 1 {
            free_seats(&txn, id, BookingStatus::Expired, now).await?;
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        let seat_ids: Vec<crate::ids::SeatId> = booking_seats::Entity::find()
            .filter(booking_seats::Column::BookingId.eq(due.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| s.seat_id.into())
            .collect();
        self.holds
            .release(due.showtime_id.into(), &seat_ids, id)
            .await;
        Ok(ExecutionOutcome::TaskCompleted)
    }

    /// Runs until the process stops: drains what is due, then waits `idle`.
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => tokio::time::sleep(idle).await,
                Err(e) => {
                    tracing::warn!(error = %e, "hold expiry pass failed; retrying");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }
}
