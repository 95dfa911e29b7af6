//! Reminders: a confirmed booking hears of its show a set time before it starts, once.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{bookings, notifications, outbox, showtimes};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::ROWS_PER_STATEMENT;
use crate::events::BOOKING_REMINDER;
use crate::events::outbox::reminder_row;

/// Asks the relay for a reminder for each confirmed booking whose show starts within `lead`
/// and that was made before that window opened (a ticket bought an hour before the show
/// needs no reminder). The inbox deriver turns each request into one inbox entry and one
/// email. A booking is asked for once: one already reminded, or already asked for (a
/// reminder row waiting), is passed over, and two instances asking at once write one row
/// (one reminder row per booking is a unique index).
pub(super) async fn request_reminders(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lead: Duration,
) -> Result<usize, DbErr> {
    let soon: Vec<(Uuid, DateTime<Utc>)> = showtimes::Entity::find()
        .filter(showtimes::Column::Status.eq("scheduled"))
        .filter(showtimes::Column::StartsAt.gt(now))
        .filter(showtimes::Column::StartsAt.lte(now + lead))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.starts_at))
        .collect();
    if soon.is_empty() {
        return Ok(0);
    }
    let starts: std::collections::HashMap<Uuid, DateTime<Utc>> = soon.iter().copied().collect();
    let booked: Vec<Uuid> = bookings::Entity::find()
        .filter(bookings::Column::ShowtimeId.is_in(soon.iter().map(|(id, _)| *id)))
        .filter(bookings::Column::Status.eq("confirmed"))
        .all(db)
        .await?
        .into_iter()
        .filter(|b| {
            starts
                .get(&b.showtime_id)
                .is_some_and(|s| b.created_at < *s - lead)
        })
        .map(|b| b.id)
        .collect();
    if booked.is_empty() {
        return Ok(0);
    }
    let mut done = std::collections::HashSet::new();
    for chunk in booked.chunks(ROWS_PER_STATEMENT) {
        let reminded = notifications::Entity::find()
            .filter(
                notifications::Column::DedupeKey
                    .is_in(chunk.iter().map(|b| format!("reminder:{b}"))),
            )
            .all(db)
            .await?;
        done.extend(
            reminded
                .into_iter()
                .filter_map(|n| n.dedupe_key.strip_prefix("reminder:").map(str::to_owned)),
        );
        let asked: Vec<String> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Key)
            .filter(outbox::Column::Topic.eq(BOOKING_REMINDER))
            .filter(outbox::Column::Key.is_in(chunk.iter().map(Uuid::to_string)))
            .into_tuple()
            .all(db)
            .await?;
        done.extend(asked);
    }
    let rows: Vec<outbox::ActiveModel> = booked
        .into_iter()
        .filter(|b| !done.contains(&b.to_string()))
        .map(|b| reminder_row(b, now))
        .collect();
    let mut asked = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        // Another instance may have asked since the look above: its row stands.
        asked += outbox::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(usize::try_from(asked).unwrap_or(usize::MAX))
}
