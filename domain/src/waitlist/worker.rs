//! Making offers: for every showtime with people waiting and seats free, the first in line
//! whose seats fit is offered them; offers that were bought or ran out are settled. Any
//! number of instances may run it: an offer is one hold transaction whose conditional
//! updates (the seats still free, the entry still waiting) let only one of them through.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use marquee_entity::{bookings, showtimes, waitlist_entries};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::booking::{BookingError, BookingService, BookingStatus, ExecutionOutcome, Offer};
use crate::catalog::ShowtimeStatus;
use crate::clock::SharedClock;
use crate::ids::SeatId;

use super::service::WaitlistSettings;
use super::{EntryStatus, WaitlistError, line};

/// Showtimes looked at per pass.
const SHOWTIMES_PER_PASS: u64 = 100;
/// Offers settled per pass.
const OFFERS_PER_PASS: u64 = 500;

/// Offers freed seats to the waitlists.
#[derive(Clone)]
pub struct WaitlistWorker {
    db: DatabaseConnection,
    clock: SharedClock,
    bookings: BookingService,
    settings: WaitlistSettings,
    wake: Arc<Notify>,
}

impl WaitlistWorker {
    /// Wires the worker; `wake` is the service's.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        bookings: BookingService,
        settings: WaitlistSettings,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            bookings,
            settings,
            wake,
        }
    }

    /// One pass: settles finished offers, then offers free seats line by line.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, WaitlistError> {
        let settled = self.settle_offers().await?;
        let showtimes: Vec<Uuid> = waitlist_entries::Entity::find()
            .select_only()
            .column(waitlist_entries::Column::ShowtimeId)
            .distinct()
            .filter(waitlist_entries::Column::Status.eq(EntryStatus::Waiting.as_str()))
            .limit(SHOWTIMES_PER_PASS)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut offered = 0;
        for showtime in showtimes {
            offered += self.offer_for(showtime).await?;
        }
        Ok(if settled + offered > 0 {
            ExecutionOutcome::TaskCompleted
        } else {
            ExecutionOutcome::EmptyQueue
        })
    }

    /// Offers the free seats of `showtime` to its line, in order; how many offers it made.
    async fn offer_for(&self, showtime: Uuid) -> Result<usize, WaitlistError> {
        let now = self.clock.now();
        let Some(show) = showtimes::Entity::find_by_id(showtime)
            .one(&self.db)
            .await?
        else {
            return Ok(0);
        };
        if show.status != ShowtimeStatus::Scheduled.as_str() || show.starts_at <= now {
            // Nothing will come back for a show cancelled or begun: its line ends.
            waitlist_entries::Entity::update_many()
                .col_expr(
                    waitlist_entries::Column::Status,
                    Expr::value(EntryStatus::Lapsed.as_str()),
                )
                .col_expr(waitlist_entries::Column::UpdatedAt, Expr::value(now))
                .filter(waitlist_entries::Column::ShowtimeId.eq(showtime))
                .filter(waitlist_entries::Column::Status.eq(EntryStatus::Waiting.as_str()))
                .exec(&self.db)
                .await?;
            return Ok(0);
        }
        let mut free = line::free_seats(&self.db, showtime, now).await?;
        let mut made = 0;
        for entry in line::waiting(&self.db, showtime).await? {
            if free.is_empty() {
                break;
            }
            let wanted = usize::try_from(entry.seats).unwrap_or(usize::MAX);
            // The first in line whose seats fit: a larger party ahead keeps its place.
            let Some(chosen) = line::pick(&free, wanted) else {
                continue;
            };
            let offer = Offer {
                entry: entry.id,
                user_id: entry.user_id.into(),
                showtime_id: showtime,
                seat_ids: chosen.iter().copied().map(SeatId::from).collect(),
                booking_id: entry.offer_booking_id.into(),
                ttl: self.settings.offer_ttl,
            };
            match self.bookings.offer_to_waiter(offer).await {
                Ok(_) => {
                    made += 1;
                    free.retain(|s| !chosen.contains(&s.0));
                    tracing::info!(entry_id = %entry.id, showtime_id = %showtime, "waitlist offer made");
                }
                // Another instance is serving this line, or a buyer's hold got in first:
                // the next pass reads it anew.
                Err(BookingError::SeatUnavailable(_) | BookingError::Conflict(_)) => break,
                // The buyer cannot take more seats of this showtime now: the place passes on.
                Err(BookingError::LimitReached(why)) => {
                    tracing::info!(entry_id = %entry.id, %why, "waitlist offer refused by a cap");
                    self.finish(entry.id, EntryStatus::Waiting, EntryStatus::Lapsed)
                        .await?;
                }
                Err(BookingError::Database(e)) => return Err(e.into()),
                Err(e) => {
                    tracing::warn!(entry_id = %entry.id, error = %e, "waitlist offer not made");
                    break;
                }
            }
        }
        line::announce_if_line_ended(&self.db, showtime, now).await?;
        Ok(made)
    }

    /// Offers bought become claimed; offers that ran out, were released or failed lapse
    /// (their seats are free again and go to the next in line).
    async fn settle_offers(&self) -> Result<usize, WaitlistError> {
        let now = self.clock.now();
        let offered = waitlist_entries::Entity::find()
            .filter(waitlist_entries::Column::Status.eq(EntryStatus::Offered.as_str()))
            .limit(OFFERS_PER_PASS)
            .all(&self.db)
            .await?;
        if offered.is_empty() {
            return Ok(0);
        }
        let booked: std::collections::HashMap<Uuid, bookings::Model> = bookings::Entity::find()
            .filter(bookings::Column::Id.is_in(offered.iter().map(|e| e.offer_booking_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        let mut settled = 0;
        for entry in offered {
            let Some(b) = booked.get(&entry.offer_booking_id) else {
                continue;
            };
            let to = match BookingStatus::parse(&b.status) {
                Some(BookingStatus::Confirmed) => EntryStatus::Claimed,
                Some(BookingStatus::PaymentPending) => continue,
                Some(BookingStatus::Held) if b.expires_at > now => continue,
                _ => EntryStatus::Lapsed,
            };
            if self.finish(entry.id, EntryStatus::Offered, to).await? {
                settled += 1;
            }
        }
        Ok(settled)
    }

    async fn finish(
        &self,
        entry: Uuid,
        from: EntryStatus,
        to: EntryStatus,
    ) -> Result<bool, WaitlistError> {
        let moved = waitlist_entries::Entity::update_many()
            .col_expr(waitlist_entries::Column::Status, Expr::value(to.as_str()))
            .col_expr(
                waitlist_entries::Column::UpdatedAt,
                Expr::value(self.clock.now()),
            )
            .filter(waitlist_entries::Column::Id.eq(entry))
            .filter(waitlist_entries::Column::Status.eq(from.as_str()))
            .exec(&self.db)
            .await?;
        Ok(moved.rows_affected == 1)
    }

    /// Runs until the process stops: passes while there is work, then waits `idle` (or
    /// until someone joins a line).
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => {}
                Err(e) => tracing::warn!(error = %e, "waitlist pass failed; retrying"),
            }
            tokio::select! {
                () = tokio::time::sleep(idle) => {}
                () = self.wake.notified() => {}
            }
        }
    }
}
