//! The rollup worker: adds booking changes from the outbox to the sales rollups. It reads
//! rows not yet rolled up, in id order, one reader at a time across instances (a
//! transaction-scoped advisory lock on PostgreSQL), and marks them in the transaction that
//! adds their figures, so each outbox row counts exactly once whatever crashes or restarts.

use std::collections::{HashMap, HashSet};
use std::time::Duration as StdDuration;

use marquee_entity::{bookings, outbox, refunds, show_seats, showtimes, tickets};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::entries::WAITING_ROOM_ENTERED;
use super::figures::{Deltas, Figures, ShowtimeFacts};
use crate::booking::ExecutionOutcome;
use crate::clock::SharedClock;
use crate::events::{BOOKING_STATUS, Claim, claim};

/// Rows rolled up per pass.
const BATCH: u64 = 512;
/// The advisory lock that makes one rollup worker read at a time.
pub const ROLLUP_LOCK: i64 = 0x006d_6172_7172_6f6c; // "marqrol"

/// Keeps the sales rollups current from the outbox.
#[derive(Clone)]
pub struct RollupWorker {
    db: DatabaseConnection,
    clock: SharedClock,
}

/// New places in a waiting room's line, as the outbox tells them.
struct Entries {
    showtime: Uuid,
    n: i64,
    at: chrono::DateTime<chrono::Utc>,
}

/// A booking change as the outbox tells it.
struct Change {
    booking: Uuid,
    status: String,
    admitted: bool,
    at: chrono::DateTime<chrono::Utc>,
}

impl RollupWorker {
    /// Wires the worker.
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// Rolls up the next batch, if there is one and no other worker is at it.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let now = self.clock.now();
        let claimed = match claim(
            &self.db,
            ROLLUP_LOCK,
            outbox::Column::RolledUpAt,
            BATCH,
            now,
        )
        .await?
        {
            Claim::Idle => return Ok(ExecutionOutcome::EmptyQueue),
            Claim::Raced => return Ok(ExecutionOutcome::TaskCompleted),
            Claim::Rows(claimed) => claimed,
        };
        let rows = claimed.rows();
        let entries: Vec<Entries> = rows
            .iter()
            .filter(|r| r.topic == WAITING_ROOM_ENTERED)
            .filter_map(|r| {
                Some(Entries {
                    showtime: r.key.parse().ok()?,
                    n: r.payload.get("entries")?.as_i64()?,
                    at: r.created_at,
                })
            })
            .collect();
        let changes: Vec<Change> = rows
            .iter()
            .filter(|r| r.topic == BOOKING_STATUS)
            .filter_map(|r| {
                Some(Change {
                    booking: r.key.parse().ok()?,
                    status: r.payload.get("status")?.as_str()?.to_owned(),
                    admitted: r.payload.get("admitted").and_then(|a| a.as_bool()) == Some(true),
                    at: r.created_at,
                })
            })
            .collect();
        let deltas = deltas_of(claimed.txn(), &changes, &entries).await?;
        if !deltas.is_empty() {
            deltas.apply(claimed.txn()).await?;
        }
        claimed.commit().await?;
        Ok(ExecutionOutcome::TaskCompleted)
    }

    /// Runs until the process stops, rolling up at least every `idle`.
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => {}
                Err(e) => tracing::warn!(error = %e, "sales rollup pass failed; retrying"),
            }
            tokio::time::sleep(idle).await;
        }
    }
}

/// The figures `changes` add. Amounts are read from the booking, which does not change
/// after confirmation; tickets stay (voided) when a booking ends, so they tell a confirmed
/// booking's end from a hold given up.
async fn deltas_of<C: ConnectionTrait>(
    db: &C,
    changes: &[Change],
    entries: &[Entries],
) -> Result<Deltas, DbErr> {
    let mut deltas = Deltas::default();
    if changes.is_empty() && entries.is_empty() {
        return Ok(deltas);
    }
    let ids: HashSet<Uuid> = changes.iter().map(|c| c.booking).collect();
    let booked: HashMap<Uuid, bookings::Model> = bookings::Entity::find()
        .filter(bookings::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let ending: Vec<Uuid> = changes
        .iter()
        .filter(|c| matches!(c.status.as_str(), "confirmed" | "cancelled" | "refunded"))
        .map(|c| c.booking)
        .collect();
    let issued: HashMap<Uuid, i64> = tickets::Entity::find()
        .select_only()
        .column(tickets::Column::BookingId)
        .column_as(tickets::Column::Id.count(), "n")
        .filter(tickets::Column::BookingId.is_in(ending.iter().copied()))
        .group_by(tickets::Column::BookingId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let refunded: HashMap<Uuid, i64> = refunds::Entity::find()
        .select_only()
        .column(refunds::Column::BookingId)
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "amount")
        .filter(refunds::Column::BookingId.is_in(ending.iter().copied()))
        .group_by(refunds::Column::BookingId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let showtime_ids: HashSet<Uuid> = booked
        .values()
        .map(|b| b.showtime_id)
        .chain(entries.iter().map(|e| e.showtime))
        .collect();
    let shows = showtime_facts(db, &showtime_ids).await?;
    for entry in entries {
        if let Some(show) = shows.get(&entry.showtime) {
            let f = Figures {
                waiting_room_entries: entry.n,
                ..Figures::default()
            };
            deltas.add(*show, entry.at, &f);
        }
    }
    for change in changes {
        let Some(booking) = booked.get(&change.booking) else {
            continue;
        };
        let Some(show) = shows.get(&booking.showtime_id) else {
            continue;
        };
        let tickets = issued.get(&booking.id).copied().unwrap_or(0);
        let mut f = Figures::default();
        match change.status.as_str() {
            "held" => {
                f.holds_placed = 1;
                f.waiting_room_admissions = i64::from(change.admitted);
            }
            "payment_pending" => f.checkouts_started = 1,
            "confirmed" => {
                f.confirmations = 1;
                f.tickets_sold = tickets;
                f.gross_cents = booking.total_cents;
                f.fee_cents = booking.fee_cents;
                f.discount_cents = booking.discount_cents;
                f.promotion_uses = i64::from(booking.promotion_id.is_some());
            }
            "expired" => f.holds_lapsed = 1,
            "payment_failed" => f.payment_failures = 1,
            // A hold given up (cancelled before paying) or a late payment refunded
            // without tickets sold no sale: neither counts as a cancellation.
            "cancelled" | "refunded" if tickets > 0 => {
                f.cancellations = 1;
                f.tickets_returned = tickets;
                f.refund_cents = refunded.get(&booking.id).copied().unwrap_or(0);
            }
            _ => continue,
        }
        deltas.add(*show, change.at, &f);
    }
    Ok(deltas)
}

/// The showtimes' dimensions; each one seen for the first time gets its sellable seats
/// (every seat not blocked) recorded for occupancy.
pub(crate) async fn showtime_facts<C: ConnectionTrait>(
    db: &C,
    ids: &HashSet<Uuid>,
) -> Result<HashMap<Uuid, ShowtimeFacts>, DbErr> {
    let mut shows: HashMap<Uuid, ShowtimeFacts> = showtimes::Entity::find()
        .filter(showtimes::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                ShowtimeFacts {
                    id: s.id,
                    theatre_id: s.theatre_id,
                    screen_id: s.screen_id,
                    movie_id: s.movie_id,
                    event_id: s.event_id,
                    sellable_seats: 0,
                },
            )
        })
        .collect();
    // Seats are counted once per showtime, not on every pass.
    let known: HashMap<Uuid, i64> = {
        use sea_orm::sea_query::{Alias, ExprTrait, Query};
        let mut q = Query::select();
        q.column(Alias::new("showtime_id"))
            .column(Alias::new("sellable_seats"))
            .from(Alias::new("analytics_showtimes"))
            .and_where(Expr::col(Alias::new("showtime_id")).is_in(ids.iter().copied()));
        let backend = db.get_database_backend();
        db.query_all_raw(backend.build(&q))
            .await?
            .iter()
            .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
            .collect::<Result<_, DbErr>>()?
    };
    for (id, seats) in &known {
        if let Some(show) = shows.get_mut(id) {
            show.sellable_seats = *seats;
        }
    }
    let unknown: Vec<Uuid> = ids
        .iter()
        .filter(|id| !known.contains_key(id))
        .copied()
        .collect();
    if unknown.is_empty() {
        return Ok(shows);
    }
    let sellable: Vec<(Uuid, i64)> = show_seats::Entity::find()
        .select_only()
        .column(show_seats::Column::ShowtimeId)
        .column_as(show_seats::Column::SeatId.count(), "n")
        .filter(show_seats::Column::ShowtimeId.is_in(unknown))
        .filter(show_seats::Column::Status.ne("blocked"))
        .group_by(show_seats::Column::ShowtimeId)
        .into_tuple()
        .all(db)
        .await?;
    record_sellable(db, &shows, &sellable).await?;
    for (id, seats) in &sellable {
        if let Some(show) = shows.get_mut(id) {
            show.sellable_seats = *seats;
        }
    }
    Ok(shows)
}

/// Records sellable seats of showtimes not recorded yet (the first count stands).
pub(crate) async fn record_sellable<C: ConnectionTrait>(
    db: &C,
    shows: &HashMap<Uuid, ShowtimeFacts>,
    sellable: &[(Uuid, i64)],
) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    for chunk in sellable.chunks(500) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("analytics_showtimes"))
            .columns([
                Alias::new("showtime_id"),
                Alias::new("theatre_id"),
                Alias::new("sellable_seats"),
            ]);
        let mut any = false;
        for (id, n) in chunk {
            if let Some(show) = shows.get(id) {
                insert
                    .values([(*id).into(), show.theatre_id.into(), (*n).into()])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
                any = true;
            }
        }
        if !any {
            continue;
        }
        insert.on_conflict(
            OnConflict::column(Alias::new("showtime_id"))
                .do_nothing()
                .to_owned(),
        );
        let backend = db.get_database_backend();
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}
