use async_graphql::SimpleObject;
use marquee_domain::booking;

/// One showtime's seat ledger as the database holds it (admins): every count is read in
/// one snapshot, and `consistent` is false if any seat was sold twice or the seat map and
/// the tickets disagree.
#[derive(SimpleObject)]
pub struct SeatAudit {
    /// Seats the showtime has.
    seats: i64,
    /// Seats marked sold.
    seats_sold: i64,
    /// Tickets not voided.
    live_tickets: i64,
    /// Confirmed bookings.
    confirmed_bookings: i64,
    /// Seats with more than one live ticket.
    seats_with_two_tickets: i64,
    /// Seats in more than one paid or paying booking.
    seats_in_two_bookings: i64,
    /// Seats marked sold with no live ticket.
    sold_without_ticket: i64,
    /// Live tickets on seats not marked sold.
    tickets_on_unsold_seats: i64,
    /// General-admission places the showtime has, in all its standing sections.
    places: i64,
    /// Places sold, by the sections' counters.
    places_sold: i64,
    /// Live tickets of general-admission places.
    place_tickets: i64,
    /// Standing sections sold or held past their capacity, or with more live tickets
    /// than places.
    sections_oversold: i64,
    /// No seat sold twice, and as many seats sold as live tickets, each on its seat; no
    /// standing section past its capacity, and a live ticket for each place sold.
    consistent: bool,
}

impl From<booking::SeatAudit> for SeatAudit {
    fn from(a: booking::SeatAudit) -> Self {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Self {
            consistent: a.consistent(),
            seats: n(a.seats),
            seats_sold: n(a.seats_sold),
            live_tickets: n(a.live_tickets),
            confirmed_bookings: n(a.confirmed_bookings),
            seats_with_two_tickets: n(a.seats_with_two_tickets),
            seats_in_two_bookings: n(a.seats_in_two_bookings),
            sold_without_ticket: n(a.sold_without_ticket),
            tickets_on_unsold_seats: n(a.tickets_on_unsold_seats),
            places: n(a.places),
            places_sold: n(a.places_sold),
            place_tickets: n(a.place_tickets),
            sections_oversold: n(a.sections_oversold),
        }
    }
}
