//! Per-buyer caps, checked inside the hold's transaction: seats (and general-admission
//! places) held or bought per
//! showtime, and holds open at once. Once a hold has its seats, the buyer's row is locked
//! (PostgreSQL; SQLite serialises writers anyway) and counted by a later statement, whose
//! snapshot then sees every hold of the buyer that committed before: one account's
//! concurrent or aliased holds are counted one after the other and cannot pass a cap
//! together.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement};
use uuid::Uuid;

use super::{BookingError, BookingStatus};

/// How much one account may take.
#[derive(Debug, Clone, Copy)]
pub struct BuyerCaps {
    /// Seats held, awaiting payment or bought per showtime.
    pub seats_per_showtime: usize,
    /// Bookings on hold (unexpired) at once, over all showtimes.
    pub active_holds: usize,
}

/// Locks the buyer's row until the hold's transaction ends (PostgreSQL; SQLite serialises
/// writers anyway). Taken only once the seats are taken, so a hold that loses its seats
/// never waits for the buyer's other holds.
async fn lock_buyer(txn: &DatabaseTransaction, user: Uuid) -> Result<(), BookingError> {
    let backend = txn.get_database_backend();
    if backend != DbBackend::Postgres {
        return Ok(());
    }
    let locked = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM users WHERE id = $1 FOR UPDATE",
            [user.into()],
        ))
        .await?;
    if locked.is_none() {
        return Err(BookingError::not_found("user", user));
    }
    Ok(())
}

/// Refuses a hold of `adding` seats of `showtime` that would take the buyer past a cap.
/// Runs once the hold has taken its seats and before its own booking row is written: the
/// buyer is locked, then counted by a statement of its own, whose snapshot sees every hold
/// of the buyer that committed while this one waited for the lock.
pub(super) async fn check_buyer_caps(
    txn: &DatabaseTransaction,
    caps: BuyerCaps,
    user: Uuid,
    showtime: Uuid,
    adding: usize,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    lock_buyer(txn, user).await?;
    let backend = txn.get_database_backend();
    let (held, pending, confirmed) = (
        BookingStatus::Held.as_str(),
        BookingStatus::PaymentPending.as_str(),
        BookingStatus::Confirmed.as_str(),
    );
    let sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id \
             WHERE b.user_id = $1 AND b.showtime_id = $2 AND bs.active \
               AND (b.status IN ('{pending}', '{confirmed}') OR (b.status = '{held}' AND b.expires_at > $3))) \
           + (SELECT COALESCE(SUM(bp.quantity), 0) FROM booking_places bp JOIN bookings b ON b.id = bp.booking_id \
             WHERE b.user_id = $1 AND b.showtime_id = $2 AND bp.status IN ('held', 'sold') \
               AND (b.status IN ('{pending}', '{confirmed}') OR (b.status = '{held}' AND b.expires_at > $3))) AS seats, \
           (SELECT COUNT(*) FROM bookings b \
             WHERE b.user_id = $1 AND b.status = '{held}' AND b.expires_at > $3) AS holds \
         FROM users WHERE id = $1"
    );
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [user.into(), showtime.into(), now.into()],
        ))
        .await?
        .ok_or_else(|| BookingError::not_found("user", user))?;
    let seats = usize::try_from(row.try_get::<i64>("", "seats")?).unwrap_or(usize::MAX);
    let holds = usize::try_from(row.try_get::<i64>("", "holds")?).unwrap_or(usize::MAX);
    if seats + adding > caps.seats_per_showtime {
        return Err(BookingError::LimitReached(format!(
            "one account may hold or buy at most {} seats of a showtime; you have {seats}",
            caps.seats_per_showtime
        )));
    }
    if holds >= caps.active_holds {
        return Err(BookingError::LimitReached(format!(
            "one account may have at most {} holds open at once: pay for or release one first",
            caps.active_holds
        )));
    }
    Ok(())
}
