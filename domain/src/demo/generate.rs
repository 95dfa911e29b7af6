//! Deterministic demo catalogue: theatres around real US cities, a season of
//! films and live events, and a week of showtimes starting at a given date.
//!
//! Everything comes from a fixed seed, so the same `today` always yields the
//! same catalogue; only the dates move with `today`.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::arenas::arenas;
use super::data;
use super::schedule::showtimes;
use super::titles::{events, movies};
use super::venues::theatres;

/// Everything the demo seeder inserts.
#[derive(Debug, Clone)]
pub struct DemoCatalog {
    /// Theatres with their screens and seat maps.
    pub theatres: Vec<DemoTheatre>,
    /// Films, including a few upcoming releases without showtimes.
    pub movies: Vec<DemoMovie>,
    /// Live events.
    pub events: Vec<DemoEvent>,
    /// One week of showtimes.
    pub showtimes: Vec<DemoShowtime>,
}

/// A theatre (cinema or live venue).
#[derive(Debug, Clone)]
pub struct DemoTheatre {
    /// Display name, unique across the catalogue.
    pub name: String,
    /// Street address.
    pub address: String,
    /// City name.
    pub city: String,
    /// Two-letter state code.
    pub state: String,
    /// ZIP code.
    pub zip: String,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// IANA time zone name.
    pub timezone: String,
    /// Auditoriums.
    pub screens: Vec<DemoScreen>,
}

/// An auditorium.
#[derive(Debug, Clone)]
pub struct DemoScreen {
    /// Display name, e.g. "Screen 3" or "IMAX".
    pub name: String,
    /// Seat rows, front first (none for a venue of sections).
    pub rows: Vec<DemoRow>,
    /// A venue of sections instead of rows (empty for a screen).
    pub sections: Vec<crate::catalog::SectionSpec>,
}

/// One row of seats, front (nearest the screen) first.
#[derive(Debug, Clone)]
pub struct DemoRow {
    /// Row label, e.g. "A".
    pub label: String,
    /// Seat layout: `S` standard, `P` premium, `A` accessible, `C` companion, `_` gap.
    pub layout: String,
}

/// A film.
#[derive(Debug, Clone)]
pub struct DemoMovie {
    /// Title, unique across movies and events.
    pub title: String,
    /// One to three sentences.
    pub synopsis: String,
    /// Genre slugs.
    pub genres: Vec<String>,
    /// Billed cast.
    pub cast: Vec<String>,
    /// Runtime in minutes.
    pub runtime_minutes: i32,
    /// MPA-style certificate.
    pub certificate: String,
    /// Spoken language.
    pub language: String,
    /// Release date; later than the showtime week for upcoming titles.
    pub release_date: NaiveDate,
    /// Poster image URL.
    pub poster_url: Option<String>,
    /// Trailer URL.
    pub trailer_url: Option<String>,
}

/// A live event.
#[derive(Debug, Clone)]
pub struct DemoEvent {
    /// Title, unique across movies and events.
    pub title: String,
    /// Description.
    pub description: String,
    /// Performing artist, company or league.
    pub performer: String,
    /// Category slug: concert, comedy, theatre, opera or sports.
    pub category: String,
    /// Genre slugs.
    pub genres: Vec<String>,
    /// Language of the performance.
    pub language: String,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// "All ages", "12+" or "18+".
    pub age_rating: String,
}

/// What a showtime shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoTitle {
    /// Index into [`DemoCatalog::movies`].
    Movie(usize),
    /// Index into [`DemoCatalog::events`].
    Event(usize),
}

/// One scheduled show on one screen.
#[derive(Debug, Clone)]
pub struct DemoShowtime {
    /// Index into [`DemoCatalog::theatres`].
    pub theatre: usize,
    /// Index into that theatre's screens.
    pub screen: usize,
    /// The film or event.
    pub title: DemoTitle,
    /// Start time.
    pub starts_at: DateTime<Utc>,
    /// Price in US cents for each seat category present on the screen.
    pub prices: Vec<(String, i64)>,
}

pub(super) const SEED: u64 = 0x4d61_7271_7565_6521;
pub(super) const DAYS: u64 = 7;
pub(super) const CLEANING_MINUTES: i64 = 15;
pub(super) const MIN_SEATS: usize = 100;
pub(super) const MAX_SEATS: usize = 400;
pub(super) const NOW_PLAYING: usize = 180;
pub(super) const UPCOMING: usize = 12;

/// Seat category names as used in showtime prices, keyed by layout char.
pub(super) const CATEGORIES: [(char, &str); 4] = [
    ('S', "standard"),
    ('P', "premium"),
    ('A', "accessible"),
    ('C', "companion"),
];

/// Builds the demo catalogue for the week starting at `today`.
pub fn generate(today: NaiveDate) -> DemoCatalog {
    let mut taken = HashSet::new();
    let (mut theatres, sites) = theatres(&mut Rng::new(1));
    let films = movies(&mut Rng::new(2), today, &mut taken);
    let acts = events(&mut Rng::new(3), &mut taken);
    let mut showtimes = showtimes(&mut Rng::new(4), today, &theatres, &sites, &films, &acts);
    let (venues, shows) = arenas(&mut Rng::new(5), today, theatres.len(), &acts);
    theatres.extend(venues);
    showtimes.extend(shows);
    let (movies, events) = (films.list, acts.list);
    DemoCatalog {
        theatres,
        movies,
        events,
        showtimes,
    }
}

/// SplitMix64: tiny and statistically fine for demo data, and it keeps the
/// output identical across platforms and dependency upgrades.
pub(super) struct Rng(u64);

impl Rng {
    /// Independent streams per section, so tweaking one generator does not
    /// reshuffle the others.
    pub(super) fn new(stream: u64) -> Self {
        Rng(SEED ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Inclusive on both ends.
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i64
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A random entry of a `|`-separated table.
    pub(super) fn word(&mut self, table: &'static str) -> &'static str {
        let i = self.below(table.split('|').count());
        table.split('|').nth(i).unwrap_or_default()
    }

    /// A random entry of a whitespace-separated table.
    pub(super) fn token(&mut self, table: &'static str) -> &'static str {
        let i = self.below(table.split_whitespace().count());
        table.split_whitespace().nth(i).unwrap_or_default()
    }

    pub(super) fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut roll = self.next() % total.max(1);
        for (i, &w) in weights.iter().enumerate() {
            if roll < u64::from(w) {
                return Some(i);
            }
            roll -= u64::from(w);
        }
        None
    }

    pub(super) fn pick_weighted<'a>(&mut self, options: &[(&'a str, u32)]) -> &'a str {
        let weights: Vec<u32> = options.iter().map(|o| o.1).collect();
        let i = self.weighted(&weights).unwrap_or(0);
        options.get(i).map_or("", |o| o.0)
    }
}

pub(super) fn person(rng: &mut Rng, language: &str) -> String {
    let names = data::LANGUAGES.iter().find(|l| l.0 == language);
    let (_, _, first, last) = names.unwrap_or(&data::LANGUAGES[0]);
    format!("{} {}", rng.token(first), rng.token(last))
}
