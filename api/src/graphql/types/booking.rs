use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::booking;

use async_graphql::dataloader::DataLoader;
use marquee_domain::Classify;
use marquee_domain::catalog::ShowtimeStatus;

use super::{BookingPayment, Cancellation, SeatCategory, Showtime};
use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult, code_of};
use crate::graphql::loaders::{CatalogLoader, PaymentOf};

/// Where a booking stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum BookingStatus {
    /// Seats held until `expiresAt`.
    Held,
    /// Payment under way.
    PaymentPending,
    /// Paid, tickets issued.
    Confirmed,
    /// The hold ran out.
    Expired,
    /// The payment was declined.
    PaymentFailed,
    /// Released or cancelled.
    Cancelled,
    /// Paid and refunded.
    Refunded,
}

impl From<booking::BookingStatus> for BookingStatus {
    fn from(s: booking::BookingStatus) -> Self {
        use booking::BookingStatus as S;
        match s {
            S::Held => Self::Held,
            S::PaymentPending => Self::PaymentPending,
            S::Confirmed => Self::Confirmed,
            S::Expired => Self::Expired,
            S::PaymentFailed => Self::PaymentFailed,
            S::Cancelled => Self::Cancelled,
            S::Refunded => Self::Refunded,
        }
    }
}

/// A seat in a booking, at the price it was held at.
#[derive(SimpleObject)]
pub struct BookedSeat {
    /// Seat id.
    pub id: ID,
    /// Its section's name, in a venue of more than one section.
    pub section: Option<String>,
    /// As printed on the ticket: "Section 101, Row A, Seat 5", or "Row A, Seat 5".
    pub label: String,
    /// Row label.
    pub row: String,
    /// Number in the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Price in minor units.
    pub price_cents: i64,
}

/// General-admission places of a booking: a quantity of one section.
#[derive(SimpleObject)]
pub struct BookedPlaces {
    /// The GENERAL section.
    pub section_id: ID,
    /// Its name.
    pub section: String,
    /// As printed on the tickets: "Floor, General admission".
    pub label: String,
    /// How many places.
    pub quantity: i32,
    /// The section's price category.
    pub category: SeatCategory,
    /// Price of one place in minor units.
    pub price_cents: i64,
}

/// Seats held for (and later bought by) one buyer at one showtime.
pub struct Booking(pub booking::Booking);

#[Object]
impl Booking {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> BookingStatus {
        self.0.status.into()
    }
    /// When the hold runs out.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// Sum of the seat prices.
    async fn subtotal_cents(&self) -> i64 {
        self.0.subtotal_cents
    }
    /// What the buyer pays.
    async fn total_cents(&self) -> i64 {
        self.0.total_cents
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Why it ended as it did, when it did not succeed.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// By row and number.
    async fn seats(&self) -> Vec<BookedSeat> {
        self.0
            .seats
            .iter()
            .map(|s| BookedSeat {
                id: ID(s.seat_id.to_string()),
                section: s.section.clone(),
                label: s.label(),
                row: s.row.clone(),
                number: s.number,
                category: s.category.into(),
                price_cents: s.price_cents,
            })
            .collect()
    }
    /// General-admission places, by section.
    async fn places(&self) -> Vec<BookedPlaces> {
        self.0
            .places
            .iter()
            .map(|p| BookedPlaces {
                section_id: ID(p.section_id.to_string()),
                section: p.section.clone(),
                label: p.label(),
                quantity: p.quantity,
                category: p.category.into(),
                price_cents: p.price_cents,
            })
            .collect()
    }
    /// One ticket per seat and per general-admission place once the booking is confirmed.
    async fn tickets(&self) -> Vec<Ticket> {
        self.0
            .tickets
            .iter()
            .map(|t| {
                let seat = self.0.seats.iter().find(|s| s.seat_id == t.seat_id);
                let label = match seat {
                    Some(s) => s.label(),
                    None => self
                        .0
                        .places
                        .iter()
                        .find(|p| p.section_id.uuid() == t.seat_id.uuid())
                        .map(|p| p.label())
                        .unwrap_or_default(),
                };
                Ticket {
                    code: t.code.clone(),
                    seat_id: ID(t.seat_id.to_string()),
                    row: seat.map(|s| s.row.clone()).unwrap_or_default(),
                    number: seat.map(|s| s.number).unwrap_or_default(),
                    label,
                    status: t.status.clone(),
                }
            })
            .collect()
    }
    /// The latest payment, once checkout has begun (null before, and for anyone but the
    /// owner or an admin). While it is REQUIRES_ACTION its owner reads the client secret
    /// here to authenticate, then calls `confirmCheckout`.
    async fn payment(&self, ctx: &Context<'_>) -> ApiResult<Option<BookingPayment>> {
        let reader = principal(ctx).await?;
        let loader = ctx.data_unchecked::<DataLoader<CatalogLoader>>();
        Ok(loader
            .load_one(PaymentOf {
                booking: self.0.id,
                owner: self.0.user_id,
                reader,
            })
            .await
            .map_err(|e| ApiError::new(code_of(e.kind()), e.to_string()))?
            .map(BookingPayment))
    }
    async fn showtime(&self, ctx: &Context<'_>) -> ApiResult<Option<Showtime>> {
        Ok(services(ctx)
            .catalog
            .showtime(self.0.showtime_id)
            .await?
            .map(Showtime))
    }

    /// What cancelling this booking would refund now, by the cancellation policy: to show
    /// before the buyer confirms `cancelBooking`.
    async fn cancellation(&self, ctx: &Context<'_>) -> ApiResult<Cancellation> {
        let services = services(ctx);
        let show = services
            .catalog
            .showtime(self.0.showtime_id)
            .await?
            .ok_or_else(|| ApiError::new("NOT_FOUND", "the booking's showtime no longer exists"))?;
        Ok(services
            .bookings
            .cancellation_quote(
                &self.0,
                show.starts_at,
                show.status == ShowtimeStatus::Cancelled,
                services.clock.now(),
            )
            .into())
    }
}

/// An admission ticket: show the QR code at the door.
pub struct Ticket {
    code: String,
    seat_id: ID,
    row: String,
    number: i32,
    label: String,
    status: String,
}

#[Object]
impl Ticket {
    /// The code scanned at the door.
    async fn code(&self) -> &str {
        &self.code
    }
    /// The seat; for a general-admission place, its section.
    async fn seat_id(&self) -> &ID {
        &self.seat_id
    }
    /// "Section 101, Row A, Seat 5", "Row A, Seat 5" or "Floor, General admission".
    async fn label(&self) -> &str {
        &self.label
    }
    async fn row(&self) -> &str {
        &self.row
    }
    async fn number(&self) -> i32 {
        self.number
    }
    /// `valid`, `void` (cancelled) or `used`.
    async fn status(&self) -> &str {
        &self.status
    }
    /// The code as a QR image (SVG document).
    async fn qr_svg(&self) -> ApiResult<String> {
        marquee_domain::mail::qr_svg(&self.code)
            .map_err(|e| ApiError::new("INTERNAL_SERVER_ERROR", format!("QR encoding failed: {e}")))
    }
}
