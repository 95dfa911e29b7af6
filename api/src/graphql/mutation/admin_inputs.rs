//! Inputs of the admin mutations and their conversion to domain inputs.

use async_graphql::{ID, InputObject};
use chrono::{DateTime, NaiveDate, Utc};
use marquee_domain::catalog::{
    CatalogError, EventInput, MapPlacement, MovieInput, ScreenLayout, SectionSpec, TheatreInput,
};

use crate::graphql::types::{PromotionKind, SeatCategory, SectionKind};

/// A new theatre.
#[derive(InputObject)]
pub struct CreateTheatreInput {
    /// The owner; default: the caller's organisation (required when they manage several).
    pub organisation_id: Option<ID>,
    pub name: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub latitude: f64,
    pub longitude: f64,
    /// IANA time zone such as `America/Chicago`.
    pub timezone: String,
}

/// Theatre changes; omitted fields stay.
#[derive(InputObject)]
pub struct UpdateTheatreInput {
    /// Moves the theatre to another organisation (platform admins only).
    pub organisation_id: Option<ID>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub timezone: Option<String>,
}

impl From<CreateTheatreInput> for TheatreInput {
    fn from(i: CreateTheatreInput) -> Self {
        Self {
            organisation: None,
            name: Some(i.name),
            address: Some(i.address),
            city: Some(i.city),
            state: Some(i.state),
            zip: Some(i.zip),
            latitude: Some(i.latitude),
            longitude: Some(i.longitude),
            timezone: Some(i.timezone),
        }
    }
}

impl From<UpdateTheatreInput> for TheatreInput {
    fn from(i: UpdateTheatreInput) -> Self {
        Self {
            organisation: None,
            name: i.name,
            address: i.address,
            city: i.city,
            state: i.state,
            zip: i.zip,
            latitude: i.latitude,
            longitude: i.longitude,
            timezone: i.timezone,
        }
    }
}

/// One row of seats in the layout notation: one character per position, `S` standard,
/// `P` premium, `A` accessible (wheelchair), `C` companion (next to an `A`), `_` aisle.
#[derive(InputObject)]
pub struct SeatRowInput {
    /// Row label such as `A`.
    pub label: String,
    /// Positions left to right, e.g. `AC__SSSSSS__CA`.
    pub seats: String,
}

/// A venue layout: either `rows` (a screen of one section), or `sections`.
#[derive(InputObject)]
pub struct ScreenLayoutInput {
    /// Rows front (nearest the screen) first.
    #[graphql(default)]
    pub rows: Vec<SeatRowInput>,
    /// The sections of a larger venue, in the order lists and the overview show them.
    pub sections: Option<Vec<SectionInput>>,
}

/// A section: a reserved one's rows, front first, or a general-admission one's capacity.
#[derive(InputObject)]
pub struct SectionInput {
    /// Unique within the venue, printed on tickets ("101", "Floor", "Balcony").
    pub name: String,
    /// RESERVED (rows of numbered seats) or GENERAL (a standing capacity).
    #[graphql(default_with = "SectionKind::Reserved")]
    pub kind: SectionKind,
    /// A reserved section's rows; none for general admission.
    #[graphql(default)]
    pub rows: Vec<SeatRowInput>,
    /// A general-admission section's places (1 to 60,000, counted in the venue's limit).
    pub capacity: Option<i32>,
    /// A general-admission section's price category (STANDARD when not given).
    pub category: Option<SeatCategory>,
    /// Where it sits on the venue overview.
    pub map: Option<SectionMapInput>,
}

/// A section's placement on the venue overview, in grid units.
#[derive(InputObject)]
pub struct SectionMapInput {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl ScreenLayoutInput {
    /// The validated layout.
    pub fn parse(self) -> Result<ScreenLayout, CatalogError> {
        let rows = |rows: Vec<SeatRowInput>| -> Vec<(String, String)> {
            rows.into_iter().map(|r| (r.label, r.seats)).collect()
        };
        let sections: Option<Vec<SectionSpec>> = self.sections.map(|all| {
            all.into_iter()
                .map(|s| SectionSpec {
                    name: s.name,
                    kind: s.kind.into(),
                    capacity: s.capacity.map(i64::from),
                    category: s.category.map(Into::into),
                    rows: rows(s.rows),
                    map: s.map.map(|m| MapPlacement {
                        x: m.x,
                        y: m.y,
                        width: m.width,
                        height: m.height,
                    }),
                })
                .collect()
        });
        ScreenLayout::parse_venue(&rows(self.rows), sections.as_deref())
    }
}

/// A new movie.
#[derive(InputObject)]
pub struct CreateMovieInput {
    pub title: String,
    #[graphql(default)]
    pub synopsis: String,
    #[graphql(default)]
    pub genres: Vec<String>,
    #[graphql(default)]
    pub cast: Vec<String>,
    pub runtime_minutes: i32,
    pub certificate: Option<String>,
    pub language: Option<String>,
    pub release_date: NaiveDate,
    pub poster_url: Option<String>,
    pub trailer_url: Option<String>,
}

/// Movie changes; omitted fields stay, an empty URL clears it.
#[derive(InputObject)]
pub struct UpdateMovieInput {
    pub title: Option<String>,
    pub synopsis: Option<String>,
    pub genres: Option<Vec<String>>,
    pub cast: Option<Vec<String>>,
    pub runtime_minutes: Option<i32>,
    pub certificate: Option<String>,
    pub language: Option<String>,
    pub release_date: Option<NaiveDate>,
    pub poster_url: Option<String>,
    pub trailer_url: Option<String>,
}

impl From<CreateMovieInput> for MovieInput {
    fn from(i: CreateMovieInput) -> Self {
        Self {
            title: Some(i.title),
            synopsis: Some(i.synopsis),
            genres: Some(i.genres),
            cast: Some(i.cast),
            runtime_minutes: Some(i.runtime_minutes),
            certificate: i.certificate,
            language: i.language,
            release_date: Some(i.release_date),
            poster_url: i.poster_url,
            trailer_url: i.trailer_url,
        }
    }
}

impl From<UpdateMovieInput> for MovieInput {
    fn from(i: UpdateMovieInput) -> Self {
        Self {
            title: i.title,
            synopsis: i.synopsis,
            genres: i.genres,
            cast: i.cast,
            runtime_minutes: i.runtime_minutes,
            certificate: i.certificate,
            language: i.language,
            release_date: i.release_date,
            poster_url: i.poster_url,
            trailer_url: i.trailer_url,
        }
    }
}

/// A new live event.
#[derive(InputObject)]
pub struct CreateEventInput {
    /// The promoter; default: the caller's organisation (required when they manage several).
    pub organisation_id: Option<ID>,
    pub title: String,
    #[graphql(default)]
    pub description: String,
    pub performer: String,
    /// Category slug: concert, comedy, theatre, opera, sports…
    pub category: String,
    #[graphql(default)]
    pub genres: Vec<String>,
    pub language: Option<String>,
    pub duration_minutes: i32,
    pub age_rating: Option<String>,
    pub poster_url: Option<String>,
}

impl From<CreateEventInput> for EventInput {
    fn from(i: CreateEventInput) -> Self {
        Self {
            organisation: None,
            title: Some(i.title),
            description: Some(i.description),
            performer: Some(i.performer),
            category: Some(i.category),
            genres: Some(i.genres),
            language: i.language,
            duration_minutes: Some(i.duration_minutes),
            age_rating: i.age_rating,
            poster_url: i.poster_url,
        }
    }
}

/// Live event changes; omitted fields stay, an empty poster URL clears it.
#[derive(InputObject)]
pub struct UpdateEventInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub performer: Option<String>,
    /// Category slug: concert, comedy, theatre, opera, sports…
    pub category: Option<String>,
    pub genres: Option<Vec<String>>,
    pub language: Option<String>,
    pub duration_minutes: Option<i32>,
    pub age_rating: Option<String>,
    pub poster_url: Option<String>,
}

impl From<UpdateEventInput> for EventInput {
    fn from(i: UpdateEventInput) -> Self {
        Self {
            organisation: None,
            title: i.title,
            description: i.description,
            performer: i.performer,
            category: i.category,
            genres: i.genres,
            language: i.language,
            duration_minutes: i.duration_minutes,
            age_rating: i.age_rating,
            poster_url: i.poster_url,
        }
    }
}

/// The price of one seat category.
#[derive(InputObject)]
pub struct PriceInput {
    pub category: SeatCategory,
    /// Minor units (cents), 0 or more.
    pub price_cents: i64,
}

/// A showtime to schedule: exactly one of `movieId` and `eventId`, and a price for every
/// seat category of the screen.
#[derive(InputObject)]
pub struct CreateShowtimeInput {
    pub screen_id: ID,
    pub movie_id: Option<ID>,
    pub event_id: Option<ID>,
    pub starts_at: DateTime<Utc>,
    /// Default: on sale at once.
    pub on_sale_at: Option<DateTime<Utc>>,
    #[graphql(default)]
    pub waiting_room: bool,
    /// ISO 4217; default USD.
    pub currency: Option<String>,
    pub prices: Vec<PriceInput>,
}

/// Showtime changes; omitted fields stay.
#[derive(InputObject)]
pub struct UpdateShowtimeInput {
    pub starts_at: Option<DateTime<Utc>>,
    /// Another screen of the same theatre.
    pub screen_id: Option<ID>,
    pub on_sale_at: Option<DateTime<Utc>>,
    pub waiting_room: Option<bool>,
}

/// A promotion code.
#[derive(InputObject)]
pub struct CreatePromotionInput {
    /// The owner, whose showtimes it applies to; default: the caller's organisation.
    pub organisation_id: Option<ID>,
    pub code: String,
    #[graphql(default)]
    pub description: String,
    pub kind: PromotionKind,
    /// Percent (1-100) or minor units.
    pub value: i64,
    /// Needed for a fixed discount.
    pub currency: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub max_uses: Option<i32>,
    pub max_uses_per_user: Option<i32>,
}

/// `(category, cents)` pairs for the domain.
pub fn price_pairs(prices: &[PriceInput]) -> Vec<(String, i64)> {
    prices
        .iter()
        .map(|p| {
            (
                marquee_domain::catalog::SeatCategory::from(p.category)
                    .as_str()
                    .to_owned(),
                p.price_cents,
            )
        })
        .collect()
}
