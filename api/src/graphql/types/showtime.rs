use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::Classify;
use marquee_domain::booking;
use marquee_domain::catalog::{self, ShowTitle};

use super::{
    Event, Movie, Screen, SeatCategory, SeatStatus, ShowtimeStatus, Theatre, VenueSection, load,
};
use crate::graphql::auth::{services, staff};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult, code_of};
use crate::graphql::loaders::{BookingsAt, CatalogLoader, PricesOf};
use crate::graphql::seat_rendering::RenderedSeats;
use marquee_domain::ids::SectionId;
use std::sync::Arc;

/// One performance of a movie or an event.
pub struct Showtime(pub catalog::Showtime);

#[Object]
impl Showtime {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }
    async fn status(&self) -> ShowtimeStatus {
        self.0.status.into()
    }
    /// When tickets go on sale.
    async fn on_sale_at(&self) -> DateTime<Utc> {
        self.0.on_sale_at
    }
    /// Whether buyers queue in a virtual waiting room.
    async fn waiting_room(&self) -> bool {
        self.0.waiting_room
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// The movie shown, if it is a screening.
    async fn movie(&self, ctx: &Context<'_>) -> ApiResult<Option<Movie>> {
        match self.0.title {
            ShowTitle::Movie(id) => Ok(load(ctx, id).await?.map(Movie)),
            ShowTitle::Event(_) => Ok(None),
        }
    }
    /// The live event staged, if it is one.
    async fn event(&self, ctx: &Context<'_>) -> ApiResult<Option<Event>> {
        match self.0.title {
            ShowTitle::Event(id) => Ok(load(ctx, id).await?.map(Event)),
            ShowTitle::Movie(_) => Ok(None),
        }
    }
    async fn theatre(&self, ctx: &Context<'_>) -> ApiResult<Option<Theatre>> {
        Ok(load(ctx, self.0.theatre_id).await?.map(Theatre))
    }
    async fn screen(&self, ctx: &Context<'_>) -> ApiResult<Option<Screen>> {
        Ok(load(ctx, self.0.screen_id).await?.map(Screen))
    }
    /// Price per seat category.
    async fn prices(&self, ctx: &Context<'_>) -> ApiResult<Vec<Price>> {
        Ok(load(ctx, PricesOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Price::from)
            .collect())
    }
    /// Its bookings by state (its organisation's staff): who a move or a cancellation would affect,
    /// to show before confirming it.
    async fn bookings(&self, ctx: &Context<'_>) -> ApiResult<ShowtimeBookings> {
        let staff = Arc::new(staff(ctx).await?);
        let loader = ctx.data_unchecked::<DataLoader<CatalogLoader>>();
        let found = loader
            .load_one(BookingsAt(self.0.id, staff))
            .await
            .map_err(|e| ApiError::new(code_of(e.kind()), e.to_string()))?
            .unwrap_or_default();
        Ok(ShowtimeBookings::from(found))
    }
    /// Every seat with its live status and price; with `sectionId`, that section's only.
    #[graphql(complexity = "complexity::seat_map(child_complexity)")]
    async fn seat_map(&self, ctx: &Context<'_>, section_id: Option<ID>) -> ApiResult<SeatMap> {
        let catalog = &services(ctx).catalog;
        let map = match section_id {
            Some(s) => {
                let section = ApiError::parse_id("sectionId", &s, SectionId::parse)?;
                catalog.section_seat_map(self.0.id, section).await?
            }
            None => catalog.seat_map(self.0.id).await?,
        };
        Ok(SeatMap(map))
    }
    /// The venue's sections with their availability and price range, in the venue's order.
    async fn sections(&self, ctx: &Context<'_>) -> ApiResult<Vec<VenueSection>> {
        Ok(services(ctx)
            .catalog
            .section_overview(self.0.id)
            .await?
            .into_iter()
            .map(VenueSection::from)
            .collect())
    }
}

/// A showtime's bookings by state.
#[derive(SimpleObject)]
pub struct ShowtimeBookings {
    /// Paid, with tickets: told and refunded if the showtime is cancelled, told if moved.
    confirmed: i64,
    /// Paying now: settled first, then treated as confirmed or released.
    payment_pending: i64,
    /// Holds not yet lapsed.
    held: i64,
    /// Tickets not voided.
    tickets: i64,
}

impl From<booking::ShowtimeBookings> for ShowtimeBookings {
    fn from(b: booking::ShowtimeBookings) -> Self {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Self {
            confirmed: n(b.confirmed),
            payment_pending: n(b.payment_pending),
            held: n(b.held),
            tickets: n(b.tickets),
        }
    }
}

/// The price of a seat category.
#[derive(SimpleObject)]
pub struct Price {
    /// Category.
    pub category: SeatCategory,
    /// Minor units of the showtime's currency.
    pub price_cents: i64,
}

impl From<catalog::Price> for Price {
    fn from(p: catalog::Price) -> Self {
        Self {
            category: p.category.into(),
            price_cents: p.price_cents,
        }
    }
}

/// The seats of a showtime.
pub struct SeatMap(pub catalog::SeatMap);

/// The GraphQL seat map of a domain one.
pub fn showtime_seat_map(map: catalog::SeatMap) -> SeatMap {
    SeatMap(map)
}

#[Object]
impl SeatMap {
    async fn showtime_id(&self) -> ID {
        ID(self.0.showtime_id.to_string())
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Front row first, left to right.
    async fn seats(&self) -> RenderedSeats<'_> {
        RenderedSeats(&self.0)
    }
    /// Seats that can be held now.
    async fn available_count(&self) -> usize {
        self.0
            .seats()
            .filter(|s| s.status == catalog::SeatStatus::Available)
            .count()
    }
}

/// A seat as it stands at one showtime.
#[derive(SimpleObject)]
pub struct ShowSeat {
    /// Seat id (use it to hold the seat).
    pub id: ID,
    /// Its section's id.
    pub section_id: ID,
    /// Its section's name ("Main" for a screen of one section).
    pub section: String,
    /// Row label.
    pub row: String,
    /// Number within the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Live status (an expired hold reads as available).
    pub status: SeatStatus,
    /// Price in minor units; null while the category has no price.
    pub price_cents: Option<i64>,
    /// Grid column on the map (aisles count).
    pub x: i32,
    /// Grid row on the map.
    pub y: i32,
}

impl From<&catalog::SeatMapSeat> for ShowSeat {
    fn from(s: &catalog::SeatMapSeat) -> Self {
        Self {
            id: ID(s.seat.id.to_string()),
            section_id: ID(s.seat.section_id.to_string()),
            section: s.seat.section.clone(),
            row: s.seat.row.clone(),
            number: s.seat.number,
            category: s.seat.category.into(),
            status: s.status.into(),
            price_cents: s.price_cents,
            x: s.seat.x,
            y: s.seat.y,
        }
    }
}
