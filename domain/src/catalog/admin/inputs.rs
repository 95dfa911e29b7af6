//! What admins send: validated by the operations that take them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::ids::{OrganisationId, ScreenId};

use super::super::ShowTitle;

/// Theatre fields; all are required to create, any subset may be changed.
#[derive(Debug, Clone, Default)]
pub struct TheatreInput {
    /// The owner; by default the caller's organisation (only a platform admin moves one).
    pub organisation: Option<OrganisationId>,
    /// Name.
    pub name: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// IANA time zone.
    pub timezone: Option<String>,
}

/// Movie fields; title, runtime and release date are required to create.
#[derive(Debug, Clone, Default)]
pub struct MovieInput {
    /// Title.
    pub title: Option<String>,
    /// Synopsis.
    pub synopsis: Option<String>,
    /// Genres.
    pub genres: Option<Vec<String>>,
    /// Cast.
    pub cast: Option<Vec<String>>,
    /// Running time.
    pub runtime_minutes: Option<i32>,
    /// Certificate.
    pub certificate: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Release date.
    pub release_date: Option<NaiveDate>,
    /// Poster (empty string clears).
    pub poster_url: Option<String>,
    /// Trailer (empty string clears).
    pub trailer_url: Option<String>,
}

/// Event fields; title, performer, category and duration are required to create.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    /// The owner (the promoter); by default the caller's organisation.
    pub organisation: Option<OrganisationId>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Host or performer.
    pub performer: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Genres.
    pub genres: Option<Vec<String>>,
    /// Language.
    pub language: Option<String>,
    /// Duration.
    pub duration_minutes: Option<i32>,
    /// Age rating.
    pub age_rating: Option<String>,
    /// Poster (empty string clears).
    pub poster_url: Option<String>,
}

/// A showtime to schedule.
#[derive(Debug, Clone)]
pub struct NewShowtime {
    /// Where.
    pub screen_id: ScreenId,
    /// What.
    pub title: ShowTitle,
    /// When.
    pub starts_at: DateTime<Utc>,
    /// Sale opens (default: now).
    pub on_sale_at: Option<DateTime<Utc>>,
    /// Queue buyers in a waiting room.
    pub waiting_room: bool,
    /// Currency (default USD).
    pub currency: Option<String>,
    /// A price for every seat category of the screen.
    pub prices: Vec<(String, i64)>,
}

/// Changes to a scheduled showtime.
#[derive(Debug, Clone, Default)]
pub struct ShowtimeChanges {
    /// New start.
    pub starts_at: Option<DateTime<Utc>>,
    /// New screen, in the same theatre.
    pub screen_id: Option<ScreenId>,
    /// New on-sale time.
    pub on_sale_at: Option<DateTime<Utc>>,
    /// Waiting room on or off.
    pub waiting_room: Option<bool>,
}

/// A promotion code to create.
#[derive(Debug, Clone)]
pub struct PromotionInput {
    /// The owner, whose showtimes it applies to; by default the caller's organisation.
    pub organisation: Option<OrganisationId>,
    /// The code.
    pub code: String,
    /// Description.
    pub description: String,
    /// `percent` or `fixed`.
    pub kind: String,
    /// Percent (1-100) or minor units.
    pub value: i64,
    /// Currency of a fixed discount.
    pub currency: Option<String>,
    /// Valid from.
    pub starts_at: DateTime<Utc>,
    /// Valid until.
    pub ends_at: DateTime<Utc>,
    /// Total uses.
    pub max_uses: Option<i32>,
    /// Uses per buyer.
    pub max_uses_per_user: Option<i32>,
}
