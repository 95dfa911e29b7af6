use chrono::{DateTime, Utc};

use crate::catalog::SeatCategory;
use crate::ids::{BookingId, SeatId, SectionId, ShowtimeId, UserId};

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingStatus {
    /// Seats held until `expires_at`.
    Held,
    /// Payment started; seats kept while the gateway answers.
    PaymentPending,
    /// Paid; tickets issued.
    Confirmed,
    /// The hold ran out.
    Expired,
    /// The payment was declined; seats released.
    PaymentFailed,
    /// Released by the buyer, or cancelled before the show.
    Cancelled,
    /// Paid and refunded.
    Refunded,
}

impl BookingStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::PaymentPending => "payment_pending",
            Self::Confirmed => "confirmed",
            Self::Expired => "expired",
            Self::PaymentFailed => "payment_failed",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// Reads the stored form.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "held" => Self::Held,
            "payment_pending" => Self::PaymentPending,
            "confirmed" => Self::Confirmed,
            "expired" => Self::Expired,
            "payment_failed" => Self::PaymentFailed,
            "cancelled" => Self::Cancelled,
            "refunded" => Self::Refunded,
            _ => return None,
        })
    }
}

/// A seat of a booking with the price it was held at.
#[derive(Debug, Clone)]
pub struct BookedSeat {
    /// Seat.
    pub seat_id: SeatId,
    /// Its section's name, in a venue of more than one section.
    pub section: Option<String>,
    /// Row label.
    pub row: String,
    /// Number in the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Price in minor units.
    pub price_cents: i64,
}

impl BookedSeat {
    /// As printed on tickets: "Section 101, Row A, Seat 5", or "Row A, Seat 5".
    pub fn label(&self) -> String {
        crate::catalog::seat_label(self.section.as_deref(), &self.row, self.number)
    }
}

/// General-admission places of a booking: a quantity of one section.
#[derive(Debug, Clone)]
pub struct BookedPlaces {
    /// The general-admission section.
    pub section_id: SectionId,
    /// Its name.
    pub section: String,
    /// How many places.
    pub quantity: i32,
    /// The section's price category.
    pub category: SeatCategory,
    /// Price of one place, in minor units.
    pub price_cents: i64,
}

impl BookedPlaces {
    /// As printed on tickets: "Floor, General admission".
    pub fn label(&self) -> String {
        format!("{}, General admission", self.section)
    }
}

/// A booking as its owner sees it.
#[derive(Debug, Clone)]
pub struct Booking {
    /// Id.
    pub id: BookingId,
    /// Owner.
    pub user_id: UserId,
    /// Showtime.
    pub showtime_id: ShowtimeId,
    /// Status now (a lapsed hold reads as expired even before the sweeper ran).
    pub status: BookingStatus,
    /// Seats, by row and number.
    pub seats: Vec<BookedSeat>,
    /// General-admission places, by section name.
    pub places: Vec<BookedPlaces>,
    /// Sum of seat prices.
    pub subtotal_cents: i64,
    /// What the buyer pays.
    pub total_cents: i64,
    /// Currency.
    pub currency: String,
    /// End of the hold.
    pub expires_at: DateTime<Utc>,
    /// The hold's fencing token: only seats still under this token can be sold to it.
    pub fencing_token: i64,
    /// Why the booking ended as it did, when it did not succeed.
    pub status_reason: Option<String>,
    /// Tickets, once confirmed.
    pub tickets: Vec<Ticket>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// An issued ticket: one seat (or one general-admission place), one code to scan at the door.
#[derive(Debug, Clone)]
pub struct Ticket {
    /// The code printed and encoded in the QR image.
    pub code: String,
    /// Seat; for a general-admission place, its section's id.
    pub seat_id: SeatId,
    /// `valid`, `void` or `used`.
    pub status: String,
}

impl Booking {
    /// Tickets the booking is for: its seats and its general-admission places.
    pub fn ticket_count(&self) -> usize {
        self.seats.len()
            + self
                .places
                .iter()
                .map(|p| p.quantity.max(0) as usize)
                .sum::<usize>()
    }
}
