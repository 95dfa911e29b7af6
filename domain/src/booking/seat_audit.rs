//! The seat ledger of one showtime read back from the database, for admins: what was sold,
//! and whether any seat was sold twice or marked sold without a ticket. The on-sale load
//! test reads it after every run, so a double sale hidden by a lost answer is still caught.

use sea_orm::{ConnectionTrait, Statement};

use crate::catalog::SeatStatus;
use crate::ids::ShowtimeId;
use crate::organisations::{Staff, owners};

use super::{BookingError, BookingService, BookingStatus};

/// Counts over one showtime's seats, tickets and paid bookings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatAudit {
    /// Seats the showtime has.
    pub seats: u64,
    /// Seats marked sold.
    pub seats_sold: u64,
    /// Tickets not voided.
    pub live_tickets: u64,
    /// Confirmed bookings.
    pub confirmed_bookings: u64,
    /// Seats with more than one live ticket.
    pub seats_with_two_tickets: u64,
    /// Seats in more than one paid or paying booking.
    pub seats_in_two_bookings: u64,
    /// Seats marked sold with no live ticket.
    pub sold_without_ticket: u64,
    /// Live tickets on seats not marked sold.
    pub tickets_on_unsold_seats: u64,
    /// General-admission places the showtime has, in all its standing sections.
    pub places: u64,
    /// Places sold, by the sections' counters.
    pub places_sold: u64,
    /// Live tickets of general-admission places.
    pub place_tickets: u64,
    /// Standing sections sold or held past their capacity, or with more live tickets than
    /// places.
    pub sections_oversold: u64,
}

impl SeatAudit {
    /// True when no seat is sold twice and the seat map agrees with the tickets.
    pub fn consistent(&self) -> bool {
        self.seats_with_two_tickets == 0
            && self.seats_in_two_bookings == 0
            && self.sold_without_ticket == 0
            && self.tickets_on_unsold_seats == 0
            && self.seats_sold == self.live_tickets
            && self.sections_oversold == 0
            && self.places_sold == self.place_tickets
    }
}

impl BookingService {
    /// The seat ledger of a showtime, counted in one statement (one snapshot).
    pub async fn seat_audit(
        &self,
        staff: &Staff,
        showtime: ShowtimeId,
    ) -> Result<SeatAudit, BookingError> {
        staff.support(owners::of_showtime(&self.db, showtime).await?)?;
        let (sold, pending, confirmed) = (
            SeatStatus::Sold.as_str(),
            BookingStatus::PaymentPending.as_str(),
            BookingStatus::Confirmed.as_str(),
        );
        // General-admission tickets name their section, not a seat: the ledger is of seats.
        let seated =
            "AND seat_id NOT IN (SELECT section_id FROM show_sections WHERE showtime_id = $1)";
        let sql = format!(
            "SELECT \
               (SELECT COUNT(*) FROM show_seats WHERE showtime_id = $1) AS seats, \
               (SELECT COUNT(*) FROM show_seats WHERE showtime_id = $1 AND status = '{sold}') AS seats_sold, \
               (SELECT COUNT(*) FROM tickets WHERE showtime_id = $1 AND status <> 'void' {seated}) AS live_tickets, \
               (SELECT COUNT(*) FROM bookings WHERE showtime_id = $1 AND status = '{confirmed}') AS confirmed_bookings, \
               (SELECT COUNT(*) FROM (SELECT seat_id FROM tickets \
                  WHERE showtime_id = $1 AND status <> 'void' {seated} \
                  GROUP BY seat_id HAVING COUNT(*) > 1) x) AS seats_with_two_tickets, \
               (SELECT COUNT(*) FROM (SELECT bs.seat_id FROM booking_seats bs \
                  JOIN bookings b ON b.id = bs.booking_id \
                  WHERE bs.showtime_id = $1 AND bs.active AND b.status IN ('{pending}', '{confirmed}') \
                  GROUP BY bs.seat_id HAVING COUNT(*) > 1) y) AS seats_in_two_bookings, \
               (SELECT COUNT(*) FROM show_seats s WHERE s.showtime_id = $1 AND s.status = '{sold}' \
                  AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.showtime_id = s.showtime_id \
                    AND t.seat_id = s.seat_id AND t.status <> 'void')) AS sold_without_ticket, \
               (SELECT COUNT(*) FROM tickets t WHERE t.showtime_id = $1 AND t.status <> 'void' {seated} \
                  AND NOT EXISTS (SELECT 1 FROM show_seats s WHERE s.showtime_id = t.showtime_id \
                    AND s.seat_id = t.seat_id AND s.status = '{sold}')) AS tickets_on_unsold_seats, \
               (SELECT COALESCE(SUM(capacity), 0) FROM show_sections WHERE showtime_id = $1) AS places, \
               (SELECT COALESCE(SUM(sold), 0) FROM show_sections WHERE showtime_id = $1) AS places_sold, \
               (SELECT COUNT(*) FROM tickets WHERE showtime_id = $1 AND status <> 'void' \
                  AND seat_id IN (SELECT section_id FROM show_sections WHERE showtime_id = $1)) AS place_tickets, \
               (SELECT COUNT(*) FROM show_sections c WHERE c.showtime_id = $1 \
                  AND (c.sold + c.held > c.capacity OR c.capacity < (SELECT COUNT(*) FROM tickets t \
                    WHERE t.showtime_id = c.showtime_id AND t.seat_id = c.section_id AND t.status <> 'void'))) \
                  AS sections_oversold, \
               (SELECT COUNT(*) FROM showtimes WHERE id = $1) AS found"
        );
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                [showtime.uuid().into()],
            ))
            .await?
            .ok_or_else(|| BookingError::not_found("showtime", showtime.uuid()))?;
        let count = |name: &str| -> Result<u64, BookingError> {
            Ok(u64::try_from(row.try_get::<i64>("", name)?).unwrap_or(0))
        };
        if count("found")? == 0 {
            return Err(BookingError::not_found("showtime", showtime.uuid()));
        }
        Ok(SeatAudit {
            seats: count("seats")?,
            seats_sold: count("seats_sold")?,
            live_tickets: count("live_tickets")?,
            confirmed_bookings: count("confirmed_bookings")?,
            seats_with_two_tickets: count("seats_with_two_tickets")?,
            seats_in_two_bookings: count("seats_in_two_bookings")?,
            sold_without_ticket: count("sold_without_ticket")?,
            tickets_on_unsold_seats: count("tickets_on_unsold_seats")?,
            places: count("places")?,
            places_sold: count("places_sold")?,
            place_tickets: count("place_tickets")?,
            sections_oversold: count("sections_oversold")?,
        })
    }
}
