use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::booking;

use super::{SeatCategory, Showtime};
use crate::graphql::auth::services;
use crate::graphql::error::ApiResult;

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
    /// Row label.
    pub row: String,
    /// Number in the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Price in minor units.
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
                row: s.row.clone(),
                number: s.number,
                category: s.category.into(),
                price_cents: s.price_cents,
            })
            .collect()
    }
    async fn showtime(&self, ctx: &Context<'_>) -> ApiResult<Option<Showtime>> {
        Ok(services(ctx)
            .catalog
            .showtime(self.0.showtime_id)
            .await?
            .map(Showtime))
    }
}
