//! The outbox rows the booking path writes.

use chrono::{DateTime, Utc};
use marquee_entity::outbox;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Set, Statement};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Topic of seat status changes, keyed by showtime.
pub const SEAT_CHANGES: &str = "seat.changes";
/// Topic of booking status changes, keyed by booking.
pub const BOOKING_STATUS: &str = "booking.status";

/// Topic of a showtime scheduled, keyed by showtime (no buyer is concerned yet).
pub const SHOWTIME_ADDED: &str = "showtime.added";
/// Topic of a showtime moved to another time or screen, keyed by showtime.
pub const SHOWTIME_CHANGED: &str = "showtime.changed";
/// Topic of a showtime's change that concerns no buyer (its on-sale time or waiting-room
/// flag), keyed by showtime: listings and search follow it, nobody is told.
pub const SHOWTIME_UPDATED: &str = "showtime.updated";
/// Topic of a showtime cancelled by the theatre, keyed by showtime.
pub const SHOWTIME_CANCELLED: &str = "showtime.cancelled";
/// Topic of a movie, event or theatre added, changed or retired, keyed by its id.
pub const CATALOG_CHANGED: &str = "catalog.changed";
/// Topic of the tickets a confirmation issued, keyed by booking id.
pub const TICKETS_ISSUED: &str = "booking.confirmed";
/// Topic of "your show starts soon", keyed by booking id.
pub const BOOKING_REMINDER: &str = "booking.reminder";
/// Topic of seats offered to a waiter as a held booking, keyed by that booking.
pub const WAITLIST_OFFERED: &str = "waitlist.offered";

/// One seat's new state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatChange {
    /// The seat.
    pub seat_id: Uuid,
    /// `available`, `held` or `sold`.
    pub status: String,
    /// When a hold lapses.
    pub hold_expires_at: Option<DateTime<Utc>>,
}

/// The row announcing that seats of `showtime` changed.
pub(crate) fn seat_changes_row(
    showtime: Uuid,
    changes: &[SeatChange],
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        SEAT_CHANGES,
        showtime.to_string(),
        serde_json::json!({ "showtimeId": showtime, "seats": changes }),
        now,
    )
}

/// The row announcing a booking's new status.
pub(crate) fn booking_status_row(
    booking: Uuid,
    status: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        BOOKING_STATUS,
        booking.to_string(),
        serde_json::json!({ "bookingId": booking, "status": status, "expiresAt": expires_at }),
        now,
    )
}

/// The row announcing a change the theatre made to a showtime.
pub(crate) fn showtime_row(topic: &str, showtime: Uuid, now: DateTime<Utc>) -> outbox::ActiveModel {
    row(
        topic,
        showtime.to_string(),
        serde_json::json!({ "showtimeId": showtime }),
        now,
    )
}

/// [`booking_status_row`] with the reason a client or the inbox words differently.
pub(crate) fn booking_status_row_because(
    booking: Uuid,
    status: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        BOOKING_STATUS,
        booking.to_string(),
        serde_json::json!({ "bookingId": booking, "status": status, "expiresAt": null, "reason": reason }),
        now,
    )
}

/// The row announcing a new hold ([`booking_status_row`] for `held`), saying whether it
/// spent a waiting-room admission, for the sales rollups to count admissions that bought.
pub(crate) fn hold_placed_row(
    booking: Uuid,
    expires_at: DateTime<Utc>,
    admitted: bool,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        BOOKING_STATUS,
        booking.to_string(),
        serde_json::json!({
            "bookingId": booking,
            "status": "held",
            "expiresAt": expires_at,
            "admitted": admitted,
        }),
        now,
    )
}

/// The row announcing that a movie, event or theatre (`kind`) changed.
pub(crate) fn catalog_changed_row(kind: &str, id: Uuid, now: DateTime<Utc>) -> outbox::ActiveModel {
    row(
        CATALOG_CHANGED,
        id.to_string(),
        serde_json::json!({ "kind": kind, "id": id }),
        now,
    )
}

/// The row listing the ticket codes a confirmation issued.
pub(crate) fn tickets_issued_row(
    booking: Uuid,
    showtime: Uuid,
    codes: &[&str],
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        TICKETS_ISSUED,
        booking.to_string(),
        serde_json::json!({ "bookingId": booking, "showtimeId": showtime, "tickets": codes }),
        now,
    )
}

/// The row asking for a booking's reminder (relayed into one inbox entry and one email
/// however many times it is written).
pub(crate) fn reminder_row(booking: Uuid, now: DateTime<Utc>) -> outbox::ActiveModel {
    row(
        BOOKING_REMINDER,
        booking.to_string(),
        serde_json::json!({ "bookingId": booking }),
        now,
    )
}

/// The row announcing that a waiter was offered seats as the held booking `booking`.
pub(crate) fn waitlist_offered_row(
    booking: Uuid,
    entry: Uuid,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    row(
        WAITLIST_OFFERED,
        booking.to_string(),
        serde_json::json!({ "bookingId": booking, "entryId": entry, "expiresAt": expires_at }),
        now,
    )
}

fn row(
    topic: &str,
    key: String,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        topic: Set(topic.to_owned()),
        key: Set(key),
        payload: Set(payload),
        created_at: Set(now),
        published_at: Set(None),
        // The inbox deriver reads only rows it has something to make of.
        derived_at: Set((!crate::inbox::derives_from(topic)).then_some(now)),
        exported_at: Set(None),
        // The sales rollups read booking changes only.
        rolled_up_at: Set((topic != BOOKING_STATUS).then_some(now)),
        attempts: Set(0),
        // The writer's span, for the relay and the inbox deriver to continue its trace.
        trace_parent: Set(crate::trace::current()),
        ..Default::default()
    }
}

/// The advisory lock that makes catalog changes commit one at a time.
const CATALOG_CHANGE_LOCK: i64 = 0x006d_6172_7163_6174; // "marqcat"

/// Adds a catalog-change row (movie, event, theatre, showtime) to the transaction `db`.
/// On PostgreSQL these transactions take one lock first and hold it to commit, so their
/// rows commit in id order: the newest id heard then stands for every change before it,
/// which cached listings rely on. (SQLite has one writer at a time anyway.)
pub(crate) async fn insert_catalog_row<C: ConnectionTrait>(
    db: &C,
    row: outbox::ActiveModel,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [CATALOG_CHANGE_LOCK.into()],
        ))
        .await?;
    }
    outbox::Entity::insert(row).exec(db).await?;
    Ok(())
}
