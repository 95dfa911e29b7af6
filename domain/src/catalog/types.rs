use chrono::{DateTime, NaiveDate, Utc};

use crate::ids::{
    EventId, MovieId, OrganisationId, PromotionId, ScreenId, SeatId, SectionId, ShowtimeId,
    TheatreId,
};

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads the stored form.
            pub fn parse(value: &str) -> Option<Self> {
                match value { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum!(/// The kind of a seat, which decides its price.
SeatCategory {
    /// An ordinary seat.
    Standard = "standard",
    /// A better seat (recliner, centre block).
    Premium = "premium",
    /// A wheelchair space.
    Accessible = "accessible",
    /// The seat next to a wheelchair space, for a companion.
    Companion = "companion",
});

string_enum!(/// Where a seat stands at one showtime.
SeatStatus {
    /// Free to hold.
    Available = "available",
    /// In someone's basket until the hold expires.
    Held = "held",
    /// Paid for.
    Sold = "sold",
    /// Taken out of sale by the theatre.
    Blocked = "blocked",
});

string_enum!(/// Whether a showtime takes place.
ShowtimeStatus {
    /// On the schedule.
    Scheduled = "scheduled",
    /// Called off by the theatre.
    Cancelled = "cancelled",
});

/// A venue.
#[derive(Debug, Clone)]
pub struct Theatre {
    /// Id.
    pub id: TheatreId,
    /// The chain that runs it; `None` for the platform's own.
    pub organisation: Option<OrganisationId>,
    /// Name.
    pub name: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State or region code.
    pub state: String,
    /// Postal code.
    pub zip: String,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// IANA time zone.
    pub timezone: String,
    /// Distance from the point of a "near" search, when there was one.
    pub distance_km: Option<f64>,
}

/// An auditorium.
#[derive(Debug, Clone)]
pub struct Screen {
    /// Id.
    pub id: ScreenId,
    /// Its theatre.
    pub theatre_id: TheatreId,
    /// Name.
    pub name: String,
    /// Number of seats.
    pub seat_count: i32,
    /// Seat counts per category.
    pub categories: Vec<SeatCategory>,
}

/// A physical seat.
#[derive(Debug, Clone)]
pub struct Seat {
    /// Id.
    pub id: SeatId,
    /// The section it is in.
    pub section_id: SectionId,
    /// That section's name ("Main" for a screen of one section).
    pub section: String,
    /// Row label.
    pub row: String,
    /// Number within the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Grid column.
    pub x: i32,
    /// Grid row.
    pub y: i32,
}

/// A film.
#[derive(Debug, Clone)]
pub struct Movie {
    /// Id.
    pub id: MovieId,
    /// Title.
    pub title: String,
    /// Synopsis.
    pub synopsis: String,
    /// Genre slugs.
    pub genres: Vec<String>,
    /// Cast in billing order.
    pub cast: Vec<String>,
    /// Running time.
    pub runtime_minutes: i32,
    /// Age certificate (G, PG, PG-13, R, NC-17…).
    pub certificate: String,
    /// Spoken language.
    pub language: String,
    /// Release date.
    pub release_date: NaiveDate,
    /// Poster image.
    pub poster_url: Option<String>,
    /// Trailer video.
    pub trailer_url: Option<String>,
    /// Number of ratings.
    pub rating_count: i32,
    /// Sum of ratings (average = total / count).
    pub rating_total: i64,
    /// Ratings giving one star, two, … five.
    pub rating_histogram: [i32; 5],
}

/// A live event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Id.
    pub id: EventId,
    /// The promoter; `None` for the platform's own.
    pub organisation: Option<OrganisationId>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Host or performer.
    pub performer: String,
    /// Category slug (concert, comedy, theatre…).
    pub category: String,
    /// Genre slugs.
    pub genres: Vec<String>,
    /// Language.
    pub language: String,
    /// Duration.
    pub duration_minutes: i32,
    /// Age rating.
    pub age_rating: String,
    /// Poster image.
    pub poster_url: Option<String>,
}

/// What a showtime shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowTitle {
    /// A movie.
    Movie(MovieId),
    /// A live event.
    Event(EventId),
}

/// One performance.
#[derive(Debug, Clone)]
pub struct Showtime {
    /// Id.
    pub id: ShowtimeId,
    /// Screen.
    pub screen_id: ScreenId,
    /// Theatre of the screen.
    pub theatre_id: TheatreId,
    /// Movie or event.
    pub title: ShowTitle,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End (start plus running time).
    pub ends_at: DateTime<Utc>,
    /// Scheduled or cancelled.
    pub status: ShowtimeStatus,
    /// When tickets go on sale.
    pub on_sale_at: DateTime<Utc>,
    /// Whether buyers queue in a virtual waiting room.
    pub waiting_room: bool,
    /// Currency of its prices.
    pub currency: String,
}

/// The price of one category at one showtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    /// Category.
    pub category: SeatCategory,
    /// Minor units.
    pub price_cents: i64,
}

/// A seat as shown on the map of one showtime.
#[derive(Debug, Clone)]
pub struct SeatMapSeat {
    /// The seat.
    pub seat: Seat,
    /// Its state now (an expired hold reads as available).
    pub status: SeatStatus,
    /// Its price, if the category is priced.
    pub price_cents: Option<i64>,
}

/// One section of a showtime's venue as the overview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSummary {
    /// Id (ask for its seats with it).
    pub id: SectionId,
    /// Name, unique within the venue.
    pub name: String,
    /// Reserved or general admission.
    pub kind: super::SectionKind,
    /// Places in it.
    pub capacity: i64,
    /// Places a buyer could hold now.
    pub available: i64,
    /// The lowest and highest price of its places, when priced.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Placement on the overview map.
    pub map: super::MapPlacement,
}

/// The seat map of a showtime.
#[derive(Clone)]
pub struct SeatMap {
    /// Showtime.
    pub showtime_id: ShowtimeId,
    /// Currency of the prices.
    pub currency: String,
    /// What it shows, as one comparable value.
    pub edition: SeatMapEdition,
    /// The snapshot and this request's prices and clock; seats are made from it only when
    /// asked for, since a rendering of the same edition usually serves instead.
    pub(crate) live: std::sync::Arc<super::reads::LiveSeats>,
    pub(crate) range: std::ops::Range<usize>,
}

impl SeatMap {
    /// Every seat, front row first, left to right.
    pub fn seats(&self) -> impl Iterator<Item = SeatMapSeat> + '_ {
        self.live.seats(self.range.clone())
    }
}

impl std::fmt::Debug for SeatMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeatMap")
            .field("showtime_id", &self.showtime_id)
            .field("edition", &self.edition)
            .finish_non_exhaustive()
    }
}

/// What a seat map shows: two maps of the same edition list the same seats in the same
/// states at the same prices, so whatever was made of one (a rendering of its seats)
/// serves the other. A change of any seat, price, hold clock or waiting line makes a new
/// edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeatMapEdition {
    pub(crate) showtime: ShowtimeId,
    /// The seats shown: the whole venue, or one section's.
    pub(crate) first: usize,
    pub(crate) end: usize,
    /// The snapshot of stored states it was made from.
    pub(crate) snapshot: u64,
    /// Holds of that snapshot lapsed by the map's clock.
    pub(crate) lapsed: usize,
    /// Free seats shown as taken for the waiting line.
    pub(crate) free_held: bool,
    pub(crate) prices: u64,
}

impl SeatMapEdition {
    /// Which seats of which showtime it shows (the same for every edition of one map).
    pub fn place(&self) -> (ShowtimeId, usize, usize) {
        (self.showtime, self.first, self.end)
    }
}

/// A discount code.
#[derive(Debug, Clone)]
pub struct Promotion {
    /// Id.
    pub id: PromotionId,
    /// Whose showtimes it applies to; `None`: every showtime.
    pub organisation: Option<OrganisationId>,
    /// The code buyers type.
    pub code: String,
    /// Description.
    pub description: String,
    /// `percent` or `fixed`.
    pub kind: String,
    /// Percent, or minor units.
    pub value: i64,
    /// Currency of a fixed discount.
    pub currency: Option<String>,
    /// Valid from.
    pub starts_at: DateTime<Utc>,
    /// Valid until.
    pub ends_at: DateTime<Utc>,
    /// Total uses allowed.
    pub max_uses: Option<i32>,
    /// Uses allowed per buyer.
    pub max_uses_per_user: Option<i32>,
}
