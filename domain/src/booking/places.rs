//! General admission: places held by quantity. A section's places at a showtime are
//! counted in `show_sections` (capacity, sold, held) and a booking's in `booking_places`;
//! every move of a booking's places (held → sold → released) is a conditional update of
//! its own row, and the section's counters move in the same transaction only when that
//! row moved, so a place is counted once whatever the interleaving. The last guard of a
//! hold is the conditional update that adds to `held` only while `capacity - sold - held`
//! covers the quantity.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{booking_places, sections, show_sections, showtimes, tickets};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::catalog::{SeatCategory, SectionKind};
use crate::ids::{BookingId, SectionId, ShowtimeId};

use super::{BookedPlaces, Booking, BookingError, BookingService, PlaceClaim, Ticket};

/// A request for places of one general-admission section.
#[derive(Debug, Clone, Copy)]
pub struct PlaceRequest {
    /// The section.
    pub section_id: SectionId,
    /// How many places.
    pub quantity: i32,
}

const HELD: &str = "held";
const SOLD: &str = "sold";
const RELEASED: &str = "released";

/// Section, category and price of every requested quantity, with the front-line claims
/// they make; refuses sections of another venue (not found) and reserved sections (they
/// sell seats).
pub(super) async fn price_places<C: ConnectionTrait>(
    db: &C,
    showtime: &showtimes::Model,
    wanted: &[PlaceRequest],
    prices: &crate::catalog::PriceList,
) -> Result<(Vec<BookedPlaces>, Vec<PlaceClaim>), BookingError> {
    if wanted.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let found: HashMap<Uuid, sections::Model> = sections::Entity::find()
        .filter(sections::Column::Id.is_in(wanted.iter().map(|p| p.section_id.uuid())))
        .filter(sections::Column::ScreenId.eq(showtime.screen_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    wanted
        .iter()
        .map(|p| {
            let section = found
                .get(&p.section_id.uuid())
                .ok_or_else(|| BookingError::not_found("section", p.section_id))?;
            if section.kind != SectionKind::General.as_str() {
                return Err(BookingError::invalid(
                    "sectionId",
                    format!(
                        "section `{}` has numbered seats: hold them by seat",
                        section.name
                    ),
                ));
            }
            let category = section
                .category
                .as_deref()
                .and_then(SeatCategory::parse)
                .unwrap_or(SeatCategory::Standard);
            let price = prices.price(section.id, category).ok_or_else(|| {
                BookingError::NotOnSale(format!("{} places have no price yet", category.as_str()))
            })?;
            Ok((
                BookedPlaces {
                    section_id: p.section_id,
                    section: section.name.clone(),
                    quantity: p.quantity,
                    category,
                    price_cents: price,
                },
                PlaceClaim {
                    section: p.section_id,
                    quantity: i64::from(p.quantity),
                    capacity: i64::from(section.capacity),
                },
            ))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|all| all.into_iter().unzip())
}

/// Gives back the places of lapsed holds of a section: each lapsed row moves to released
/// once (a conditional update), and only then leaves the section's `held`.
async fn reclaim_lapsed(
    txn: &DatabaseTransaction,
    showtime: Uuid,
    section: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let lapsed = booking_places::Entity::find()
        .filter(booking_places::Column::ShowtimeId.eq(showtime))
        .filter(booking_places::Column::SectionId.eq(section))
        .filter(booking_places::Column::Status.eq(HELD))
        .filter(booking_places::Column::HoldExpiresAt.lte(now))
        .all(txn)
        .await?;
    for row in lapsed {
        let moved = booking_places::Entity::update_many()
            .col_expr(booking_places::Column::Status, Expr::value(RELEASED))
            .filter(booking_places::Column::Id.eq(row.id))
            .filter(booking_places::Column::Status.eq(HELD))
            .filter(booking_places::Column::HoldExpiresAt.lte(now))
            .exec(txn)
            .await?;
        if moved.rows_affected == 1 {
            count(txn, showtime, section, -row.quantity, 0).await?;
        }
    }
    Ok(())
}

/// Adds to a section's counters (no condition: the caller moved the places' own row).
async fn count(
    txn: &DatabaseTransaction,
    showtime: Uuid,
    section: Uuid,
    held: i32,
    sold: i32,
) -> Result<(), DbErr> {
    show_sections::Entity::update_many()
        .col_expr(
            show_sections::Column::Held,
            Expr::col(show_sections::Column::Held).add(held),
        )
        .col_expr(
            show_sections::Column::Sold,
            Expr::col(show_sections::Column::Sold).add(sold),
        )
        .col_expr(
            show_sections::Column::Version,
            Expr::col(show_sections::Column::Version).add(1),
        )
        .filter(show_sections::Column::ShowtimeId.eq(showtime))
        .filter(show_sections::Column::SectionId.eq(section))
        .exec(txn)
        .await?;
    Ok(())
}

/// Holds every requested quantity for the booking, or reports the first section that
/// has too few places left (the caller then rolls back). Sections in id order, so two
/// holds over the same sections lock them in the same order.
pub(super) async fn take_places(
    txn: &DatabaseTransaction,
    showtime: Uuid,
    booking: BookingId,
    places: &[BookedPlaces],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Option<String>, BookingError> {
    let mut ordered: Vec<&BookedPlaces> = places.iter().collect();
    ordered.sort_by_key(|p| p.section_id.uuid());
    for p in ordered {
        let section = p.section_id.uuid();
        reclaim_lapsed(txn, showtime, section, now).await?;
        // The last guard: places are added to `held` only while they remain.
        let taken = show_sections::Entity::update_many()
            .col_expr(
                show_sections::Column::Held,
                Expr::col(show_sections::Column::Held).add(p.quantity),
            )
            .col_expr(
                show_sections::Column::Version,
                Expr::col(show_sections::Column::Version).add(1),
            )
            .filter(show_sections::Column::ShowtimeId.eq(showtime))
            .filter(show_sections::Column::SectionId.eq(section))
            .filter(
                Expr::col(show_sections::Column::Capacity)
                    .sub(Expr::col(show_sections::Column::Sold))
                    .sub(Expr::col(show_sections::Column::Held))
                    .gte(p.quantity),
            )
            .exec(txn)
            .await?;
        if taken.rows_affected != 1 {
            return Ok(Some(p.section.clone()));
        }
    }
    if places.is_empty() {
        return Ok(None);
    }
    booking_places::Entity::insert_many(places.iter().map(|p| booking_places::ActiveModel {
        id: Set(Uuid::now_v7()),
        booking_id: Set(booking.uuid()),
        showtime_id: Set(showtime),
        section_id: Set(p.section_id.uuid()),
        quantity: Set(p.quantity),
        category: Set(p.category.as_str().to_owned()),
        price_cents: Set(p.price_cents),
        status: Set(HELD.to_owned()),
        hold_expires_at: Set(Some(expires_at)),
    }))
    .exec(txn)
    .await?;
    Ok(None)
}

/// Extends the booking's unexpired held places to `until`; how many rows it extended.
pub(super) async fn extend_places(
    txn: &DatabaseTransaction,
    booking: BookingId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(booking_places::Entity::update_many()
        .col_expr(booking_places::Column::HoldExpiresAt, Expr::value(until))
        .filter(booking_places::Column::BookingId.eq(booking.uuid()))
        .filter(booking_places::Column::Status.eq(HELD))
        .filter(booking_places::Column::HoldExpiresAt.gt(now))
        .exec(txn)
        .await?
        .rows_affected)
}

/// Sells the booking's held places (lapsed or not: a row still `held` was reclaimed by
/// nobody) and issues one ticket per place; `None` when some row is no longer held.
pub(super) async fn sell_places(
    txn: &DatabaseTransaction,
    booking: BookingId,
    showtime: ShowtimeId,
    expected: usize,
) -> Result<Option<Vec<Ticket>>, BookingError> {
    if expected == 0 {
        return Ok(Some(Vec::new()));
    }
    let rows = booking_places::Entity::find()
        .filter(booking_places::Column::BookingId.eq(booking.uuid()))
        .filter(booking_places::Column::Status.eq(HELD))
        .order_by_asc(booking_places::Column::SectionId)
        .all(txn)
        .await?;
    if rows.len() != expected {
        return Ok(None);
    }
    let mut tickets = Vec::new();
    for row in rows {
        let moved = booking_places::Entity::update_many()
            .col_expr(booking_places::Column::Status, Expr::value(SOLD))
            .col_expr(
                booking_places::Column::HoldExpiresAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(booking_places::Column::Id.eq(row.id))
            .filter(booking_places::Column::Status.eq(HELD))
            .exec(txn)
            .await?;
        if moved.rows_affected != 1 {
            return Ok(None);
        }
        count(
            txn,
            showtime.uuid(),
            row.section_id,
            -row.quantity,
            row.quantity,
        )
        .await?;
        for _ in 0..row.quantity {
            // A general-admission ticket names its section where a seat ticket names its seat.
            tickets.push(Ticket {
                code: super::settle::ticket_code()?,
                seat_id: row.section_id.into(),
                status: "valid".to_owned(),
            });
        }
    }
    Ok(Some(tickets))
}

/// Stores issued tickets (of seats and of general-admission places).
pub(super) async fn record_tickets(
    txn: &DatabaseTransaction,
    booking: BookingId,
    showtime: ShowtimeId,
    issued: &[Ticket],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if let Some(rows) = ticket_rows(booking, showtime, issued, now) {
        rows.exec(txn).await?;
    }
    Ok(())
}

/// The insert of issued tickets, or `None` when there are none.
pub(super) fn ticket_rows(
    booking: BookingId,
    showtime: ShowtimeId,
    issued: &[Ticket],
    now: DateTime<Utc>,
) -> Option<sea_orm::InsertMany<tickets::ActiveModel>> {
    (!issued.is_empty()).then(|| {
        tickets::Entity::insert_many(issued.iter().map(|t| tickets::ActiveModel {
            id: Set(Uuid::now_v7()),
            code: Set(t.code.clone()),
            booking_id: Set(booking.uuid()),
            showtime_id: Set(showtime.uuid()),
            seat_id: Set(t.seat_id.uuid()),
            status: Set(t.status.clone()),
            issued_at: Set(now),
        }))
    })
}

/// Gives the booking's held and sold places back to their sections.
pub(crate) async fn release_places(
    txn: &DatabaseTransaction,
    booking: BookingId,
) -> Result<(), DbErr> {
    let rows = booking_places::Entity::find()
        .filter(booking_places::Column::BookingId.eq(booking.uuid()))
        .filter(booking_places::Column::Status.is_in([HELD, SOLD]))
        .all(txn)
        .await?;
    for row in rows {
        let moved = booking_places::Entity::update_many()
            .col_expr(booking_places::Column::Status, Expr::value(RELEASED))
            .filter(booking_places::Column::Id.eq(row.id))
            .filter(booking_places::Column::Status.eq(row.status.as_str()))
            .exec(txn)
            .await?;
        if moved.rows_affected == 1 {
            let (held, sold) = if row.status == HELD {
                (-row.quantity, 0)
            } else {
                (0, -row.quantity)
            };
            count(txn, row.showtime_id, row.section_id, held, sold).await?;
        }
    }
    Ok(())
}

/// The places of these bookings, by booking.
pub(super) async fn load_places<C: ConnectionTrait>(
    db: &C,
    bookings: &[Uuid],
) -> Result<HashMap<Uuid, Vec<BookedPlaces>>, DbErr> {
    let rows = booking_places::Entity::find()
        .filter(booking_places::Column::BookingId.is_in(bookings.to_vec()))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let names: HashMap<Uuid, String> = sections::Entity::find()
        .filter(sections::Column::Id.is_in(rows.iter().map(|r| r.section_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut by_booking: HashMap<Uuid, Vec<BookedPlaces>> = HashMap::new();
    for r in rows {
        by_booking
            .entry(r.booking_id)
            .or_default()
            .push(BookedPlaces {
                section_id: r.section_id.into(),
                section: names.get(&r.section_id).cloned().unwrap_or_default(),
                quantity: r.quantity,
                category: SeatCategory::parse(&r.category).unwrap_or(SeatCategory::Standard),
                price_cents: r.price_cents,
            });
    }
    for places in by_booking.values_mut() {
        places.sort_by(|a, b| a.section.cmp(&b.section));
    }
    Ok(by_booking)
}

impl BookingService {
    /// Drops the front line's claims for the booking's places (they would lapse anyway).
    pub(super) async fn release_place_claims(&self, booking: &Booking) {
        if booking.places.is_empty() {
            return;
        }
        let sections: Vec<SectionId> = booking.places.iter().map(|p| p.section_id).collect();
        self.holds
            .release_places(booking.showtime_id, &sections, booking.id)
            .await;
    }
}
