//! Reminders: a confirmed booking hears of its show a set time before it starts, once.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{bookings, notifications, outbox, showtimes};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::ROWS_PER_STATEMENT;
use crate::events::outbox::reminder_row;

/// Asks the relay for a reminder for each confirmed booking whose show starts within `lead`
/// and that was made before that window opened (a ticket bought an hour before the show
/// needs no reminder). The relay turns each request into one inbox entry and one email,
/// however many instances ask; bookings already reminded are not asked for again.
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
    let mut reminded = std::collections::HashSet::new();
    for chunk in booked.chunks(ROWS_PER_STATEMENT) {
        let found = notifications::Entity::find()
            .filter(
                notifications::Column::DedupeKey
                    .is_in(chunk.iter().map(|b| format!("reminder:{b}"))),
            )
            .all(db)
            .await?;
        reminded.extend(found.into_iter().map(|n| n.dedupe_key));
    }
    let rows: Vec<outbox::ActiveModel> = booked
        .into_iter()
        .filter(|b| !reminded.contains(&format!("reminder:{b}")))
        .map(|b| reminder_row(b, now))
        .collect();
    let asked = rows.len();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        outbox::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(asked)
}
