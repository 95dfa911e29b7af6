//! Inbox entries from relayed events: a booking that ended one way or another.

use std::collections::HashMap;

use marquee_entity::{bookings, events, movies, notifications, showtimes};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use crate::booking::SHOWTIME_CANCELLED_REASON;
use crate::db::ROWS_PER_STATEMENT;
use crate::events::{
    BOOKING_REMINDER, BOOKING_STATUS, DomainEvent, SHOWTIME_CHANGED, WAITLIST_OFFERED,
};

/// The topics inbox entries are made of.
const TOPICS: [&str; 4] = [
    BOOKING_STATUS,
    BOOKING_REMINDER,
    SHOWTIME_CHANGED,
    WAITLIST_OFFERED,
];

/// An entry's kind, title and body (with `{title}`).
type Wording = (&'static str, &'static str, &'static str);

/// Whether rows of `topic` may make inbox entries (the others are written derived).
pub(crate) fn derives_from(topic: &str) -> bool {
    TOPICS.contains(&topic)
}

/// The entry a booking status deserves, if any: (kind, title, body with `{title}`).
fn wording(status: &str, reason: Option<&str>) -> Option<Wording> {
    if reason == Some(SHOWTIME_CANCELLED_REASON) {
        return Some((
            "booking.showtime_cancelled",
            "Show cancelled",
            "{title} was cancelled by the theatre; your booking is refunded in full.",
        ));
    }
    Some(match status {
        "confirmed" => (
            "booking.confirmed",
            "Booking confirmed",
            "Your tickets for {title} are ready.",
        ),
        "payment_failed" => (
            "booking.payment_failed",
            "Payment failed",
            "Your payment for {title} did not go through; the seats were released.",
        ),
        "expired" => (
            "booking.expired",
            "Hold expired",
            "Your seats for {title} were released because the hold ran out.",
        ),
        "refunded" => (
            "booking.refunded",
            "Booking refunded",
            "Your booking for {title} could not be completed and has been refunded in full.",
        ),
        "cancelled" => (
            "booking.cancelled",
            "Booking cancelled",
            "Your booking for {title} is cancelled.",
        ),
        _ => return None,
    })
}

/// Writes the inbox entries of `batch` (once per outbox row), and their emails with the
/// `trace_parent` of the event they come of; returns the new entries.
pub(crate) async fn derive_notifications<C: ConnectionTrait>(
    db: &C,
    batch: &[DomainEvent],
    now: chrono::DateTime<chrono::Utc>,
    email_hourly_cap: u32,
) -> Result<Vec<notifications::Model>, DbErr> {
    // (dedupe key, booking, wording, trace): one entry per event and booking, and one
    // reminder per booking however often it is asked for.
    let mut due: Vec<(String, Uuid, Wording, Option<&str>)> = batch
        .iter()
        .filter(|e| e.topic == BOOKING_STATUS)
        .filter_map(|e| {
            let words = wording(e.payload["status"].as_str()?, e.payload["reason"].as_str())?;
            let booking = Uuid::parse_str(&e.key).ok()?;
            Some((
                format!("outbox:{}:{booking}", e.id),
                booking,
                words,
                e.trace_parent.as_deref(),
            ))
        })
        .collect();
    due.extend(
        batch
            .iter()
            .filter(|e| e.topic == BOOKING_REMINDER)
            .filter_map(|e| Some((Uuid::parse_str(&e.key).ok()?, e.trace_parent.as_deref())))
            .map(|(booking, trace)| {
                (
                    format!("reminder:{booking}"),
                    booking,
                    (
                        "booking.reminder",
                        "Your show starts soon",
                        "{title} starts soon. Your tickets are in your booking.",
                    ),
                    trace,
                )
            }),
    );
    due.extend(
        batch
            .iter()
            .filter(|e| e.topic == WAITLIST_OFFERED)
            .filter_map(|e| Some((Uuid::parse_str(&e.key).ok()?, e.trace_parent.as_deref())))
            .map(|(booking, trace)| {
                (
                    format!("waitlist:{booking}"),
                    booking,
                    (
                        "waitlist.offered",
                        "Seats for you from the waitlist",
                        "Seats for {title} came back and are held for you for a few minutes: check out your booking before the hold runs out.",
                    ),
                    trace,
                )
            }),
    );
    // A new time or screen reaches every confirmed booking of the showtime.
    for e in batch.iter().filter(|e| e.topic == SHOWTIME_CHANGED) {
        let Ok(showtime) = Uuid::parse_str(&e.key) else {
            continue;
        };
        let affected: Vec<Uuid> = bookings::Entity::find()
            .select_only()
            .column(bookings::Column::Id)
            .filter(bookings::Column::ShowtimeId.eq(showtime))
            .filter(bookings::Column::Status.eq("confirmed"))
            .into_tuple()
            .all(db)
            .await?;
        due.extend(affected.into_iter().map(|b| {
            (
                format!("outbox:{}:{b}", e.id),
                b,
                (
                    "showtime.changed",
                    "Showtime changed",
                    "{title} has a new time or screen; your tickets stay valid. Check your booking for the details.",
                ),
                e.trace_parent.as_deref(),
            )
        }));
    }
    let mut seen = std::collections::HashSet::new();
    due.retain(|d| seen.insert(d.0.clone()));
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = due.iter().map(|(_, b, _, _)| *b).collect();
    let mut booked: HashMap<Uuid, bookings::Model> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let found = bookings::Entity::find()
            .filter(bookings::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        booked.extend(found.into_iter().map(|b| (b.id, b)));
    }
    let titles = titles_of(db, booked.values().map(|b| b.showtime_id).collect()).await?;
    let mut rows = Vec::with_capacity(due.len());
    let mut traces: HashMap<String, String> = HashMap::new();
    for (dedupe_key, booking, (kind, title, body), trace) in due {
        let Some(b) = booked.get(&booking) else {
            continue;
        };
        let show = titles
            .get(&b.showtime_id)
            .map_or("your show", String::as_str);
        if let Some(trace) = trace {
            traces.insert(dedupe_key.clone(), trace.to_owned());
        }
        rows.push(notifications::Model {
            id: Uuid::now_v7(),
            user_id: b.user_id,
            kind: kind.to_owned(),
            title: title.to_owned(),
            body: body.replace("{title}", show),
            data: serde_json::json!({ "bookingId": booking, "showtimeId": b.showtime_id }),
            dedupe_key,
            read_at: None,
            created_at: now,
        });
    }
    if rows.is_empty() {
        return Ok(rows);
    }
    let keys: Vec<String> = rows.iter().map(|r| r.dedupe_key.clone()).collect();
    let mut existing = std::collections::HashSet::new();
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        let found = notifications::Entity::find()
            .filter(notifications::Column::DedupeKey.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        existing.extend(found.into_iter().map(|n| n.dedupe_key));
    }
    rows.retain(|r| !existing.contains(&r.dedupe_key));
    if rows.is_empty() {
        return Ok(rows);
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        notifications::Entity::insert_many(chunk.iter().cloned().map(|m| {
            notifications::ActiveModel {
                id: Set(m.id),
                user_id: Set(m.user_id),
                kind: Set(m.kind),
                title: Set(m.title),
                body: Set(m.body),
                data: Set(m.data),
                dedupe_key: Set(m.dedupe_key),
                read_at: Set(None),
                created_at: Set(m.created_at),
            }
        }))
        .exec(db)
        .await?;
    }
    // The emails commit with the entries, so each entry has exactly one.
    crate::mail::queue_emails(db, &rows, &traces, now, email_hourly_cap).await?;
    Ok(rows)
}

/// The title (movie or event) of each showtime.
async fn titles_of<C: ConnectionTrait>(
    db: &C,
    showtime_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let shows = showtimes::Entity::find()
        .filter(showtimes::Column::Id.is_in(showtime_ids))
        .all(db)
        .await?;
    let movie_ids: Vec<Uuid> = shows.iter().filter_map(|s| s.movie_id).collect();
    let event_ids: Vec<Uuid> = shows.iter().filter_map(|s| s.event_id).collect();
    let movies: HashMap<Uuid, String> = movies::Entity::find()
        .filter(movies::Column::Id.is_in(movie_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    let events: HashMap<Uuid, String> = events::Entity::find()
        .filter(events::Column::Id.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    Ok(shows
        .into_iter()
        .filter_map(|s| {
            let title = s
                .movie_id
                .and_then(|m| movies.get(&m))
                .or_else(|| s.event_id.and_then(|e| events.get(&e)))?;
            Some((s.id, title.clone()))
        })
        .collect())
}
