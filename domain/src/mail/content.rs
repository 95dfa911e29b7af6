//! What an email says, read from the database when it is sent (so a changed showtime shows
//! its new time, and a message queued before a refund does not claim tickets are valid).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{
    booking_seats, bookings, events, movies, refunds, screens, seats, showtimes, theatres, tickets,
    users,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

/// One seat of the booking, as printed.
#[derive(Debug, Serialize)]
pub(super) struct SeatLine {
    /// Named in a venue of more than one section.
    pub section: Option<String>,
    pub row: String,
    pub number: i32,
    pub category: String,
    pub price: String,
}

/// One ticket, with the content id of its inline QR image.
#[derive(Debug, Serialize)]
pub(super) struct TicketLine {
    pub code: String,
    pub seat: String,
    pub cid: String,
}

/// Everything the templates may print.
#[derive(Debug, Serialize)]
pub(super) struct EmailContext {
    pub name: String,
    pub title: String,
    pub booking_id: Uuid,
    pub booking_status: String,
    pub reason: Option<String>,
    pub theatre: String,
    pub address: String,
    pub screen: String,
    /// The start in the theatre's own time zone.
    pub starts_at: String,
    pub seats: Vec<SeatLine>,
    pub tickets: Vec<TicketLine>,
    pub subtotal: String,
    pub discount: Option<String>,
    pub fee: Option<String>,
    pub total: String,
    pub refunded: Option<String>,
}

/// `1250, "USD"` → `12.50 USD`.
pub(crate) fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
}

/// `instant` as a reader in `timezone` would say it.
pub(super) fn local_time(instant: DateTime<Utc>, timezone: &str) -> String {
    match timezone.parse::<chrono_tz::Tz>() {
        Ok(tz) => instant
            .with_timezone(&tz)
            .format("%A %-d %B %Y, %H:%M %Z")
            .to_string(),
        Err(_) => instant.format("%A %-d %B %Y, %H:%M UTC").to_string(),
    }
}

/// Reads the booking an email is about; `None` when it (or its showtime) no longer exists.
pub(super) async fn load(
    db: &DatabaseConnection,
    booking_id: Uuid,
) -> Result<Option<EmailContext>, DbErr> {
    let Some(booking) = bookings::Entity::find_by_id(booking_id).one(db).await? else {
        return Ok(None);
    };
    let Some(show) = showtimes::Entity::find_by_id(booking.showtime_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let theatre = theatres::Entity::find_by_id(show.theatre_id)
        .one(db)
        .await?;
    let screen = screens::Entity::find_by_id(show.screen_id).one(db).await?;
    let user = users::Entity::find_by_id(booking.user_id).one(db).await?;
    let title = match (show.movie_id, show.event_id) {
        (Some(m), _) => movies::Entity::find_by_id(m)
            .one(db)
            .await?
            .map(|m| m.title),
        (None, Some(e)) => events::Entity::find_by_id(e)
            .one(db)
            .await?
            .map(|e| e.title),
        (None, None) => None,
    };
    let held = booking_seats::Entity::find()
        .filter(booking_seats::Column::BookingId.eq(booking_id))
        .find_also_related(seats::Entity)
        .all(db)
        .await?;
    let sections = crate::catalog::section_labels(
        db,
        held.iter()
            .filter_map(|(_, s)| s.as_ref().map(|s| s.screen_id)),
    )
    .await?;
    let mut seat_lines: Vec<(Uuid, SeatLine)> = held
        .into_iter()
        .filter_map(|(b, s)| {
            let s = s?;
            Some((
                s.id,
                SeatLine {
                    section: sections.get(&s.section_id).cloned(),
                    row: s.row_label,
                    number: s.number,
                    category: b.category,
                    price: money(b.price_cents, &booking.currency),
                },
            ))
        })
        .collect();
    seat_lines.sort_by(|(_, a), (_, b)| {
        (&a.section, a.row.as_str(), a.number).cmp(&(&b.section, b.row.as_str(), b.number))
    });
    let names: HashMap<Uuid, String> = seat_lines
        .iter()
        .map(|(id, s)| {
            let seat = format!("Row {} seat {}", s.row, s.number);
            let name = match &s.section {
                Some(section) => format!("Section {section}, {seat}"),
                None => seat,
            };
            (*id, name)
        })
        .collect();
    let mut ticket_lines: Vec<TicketLine> = tickets::Entity::find()
        .filter(tickets::Column::BookingId.eq(booking_id))
        .filter(tickets::Column::Status.eq("valid"))
        .all(db)
        .await?
        .into_iter()
        .map(|t| TicketLine {
            cid: format!("qr-{}", t.code),
            seat: names.get(&t.seat_id).cloned().unwrap_or_default(),
            code: t.code,
        })
        .collect();
    ticket_lines.sort_by(|a, b| a.seat.cmp(&b.seat));
    let refunded: i64 = refunds::Entity::find()
        .filter(refunds::Column::BookingId.eq(booking_id))
        .filter(refunds::Column::Status.ne("failed"))
        .all(db)
        .await?
        .iter()
        .map(|r| r.amount_cents)
        .sum();
    let currency = booking.currency.as_str();
    let (theatre_name, address, timezone) = theatre.map_or_else(
        || (String::new(), String::new(), "UTC".to_owned()),
        |t| {
            (
                t.name,
                format!("{}, {}, {} {}", t.address, t.city, t.state, t.zip),
                t.timezone,
            )
        },
    );
    Ok(Some(EmailContext {
        name: user.map(|u| u.name).unwrap_or_default(),
        title: title.unwrap_or_else(|| "your show".to_owned()),
        booking_id,
        booking_status: booking.status.clone(),
        reason: booking.status_reason.clone(),
        theatre: theatre_name,
        address,
        screen: screen.map(|s| s.name).unwrap_or_default(),
        starts_at: local_time(show.starts_at, &timezone),
        seats: seat_lines.into_iter().map(|(_, s)| s).collect(),
        tickets: ticket_lines,
        subtotal: money(booking.subtotal_cents, currency),
        discount: (booking.discount_cents > 0).then(|| money(booking.discount_cents, currency)),
        fee: (booking.fee_cents > 0).then(|| money(booking.fee_cents, currency)),
        total: money(booking.total_cents, currency),
        refunded: (refunded > 0).then(|| money(refunded, currency)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_minor_units() {
        assert_eq!(money(1250, "USD"), "12.50 USD");
        assert_eq!(money(5, "EUR"), "0.05 EUR");
        assert_eq!(money(-300, "USD"), "-3.00 USD");
    }

    #[test]
    fn local_time_uses_the_theatre_zone() {
        let t: DateTime<Utc> = "2026-12-01T00:30:00Z".parse().expect("time");
        assert_eq!(
            local_time(t, "America/New_York"),
            "Monday 30 November 2026, 19:30 EST"
        );
        assert_eq!(
            local_time(t, "nowhere"),
            "Tuesday 1 December 2026, 00:30 UTC"
        );
    }
}
