//! Deterministic demo catalogue: theatres around real US cities, a season of
//! films and live events, and a week of showtimes starting at a given date.
//!
//! Everything comes from a fixed seed, so the same `today` always yields the
//! same catalogue; only the dates move with `today`.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};

use super::data::{self, City};

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
    /// Seat rows, front first.
    pub rows: Vec<DemoRow>,
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

const SEED: u64 = 0x4d61_7271_7565_6521;
const DAYS: u64 = 7;
const CLEANING_MINUTES: i64 = 15;
const MIN_SEATS: usize = 100;
const MAX_SEATS: usize = 400;
const NOW_PLAYING: usize = 180;
const UPCOMING: usize = 12;

/// Seat category names as used in showtime prices, keyed by layout char.
const CATEGORIES: [(char, &str); 4] = [
    ('S', "standard"),
    ('P', "premium"),
    ('A', "accessible"),
    ('C', "companion"),
];

/// Builds the demo catalogue for the week starting at `today`.
pub fn generate(today: NaiveDate) -> DemoCatalog {
    let mut taken = HashSet::new();
    let (theatres, sites) = theatres(&mut Rng::new(1));
    let films = movies(&mut Rng::new(2), today, &mut taken);
    let acts = events(&mut Rng::new(3), &mut taken);
    let showtimes = showtimes(&mut Rng::new(4), today, &theatres, &sites, &films, &acts);
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
struct Rng(u64);

impl Rng {
    /// Independent streams per section, so tweaking one generator does not
    /// reshuffle the others.
    fn new(stream: u64) -> Self {
        Rng(SEED ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Inclusive on both ends.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A random entry of a `|`-separated table.
    fn word(&mut self, table: &'static str) -> &'static str {
        let i = self.below(table.split('|').count());
        table.split('|').nth(i).unwrap_or_default()
    }

    /// A random entry of a whitespace-separated table.
    fn token(&mut self, table: &'static str) -> &'static str {
        let i = self.below(table.split_whitespace().count());
        table.split_whitespace().nth(i).unwrap_or_default()
    }

    fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
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

    fn pick_weighted<'a>(&mut self, options: &[(&'a str, u32)]) -> &'a str {
        let weights: Vec<u32> = options.iter().map(|o| o.1).collect();
        let i = self.weighted(&weights).unwrap_or(0);
        options.get(i).map_or("", |o| o.0)
    }
}

fn person(rng: &mut Rng, language: &str) -> String {
    let names = data::LANGUAGES.iter().find(|l| l.0 == language);
    let (_, _, first, last) = names.unwrap_or(&data::LANGUAGES[0]);
    format!("{} {}", rng.token(first), rng.token(last))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Studio,
    Standard,
    Large,
    Imax,
    Dolby,
    Hall,
}

/// What showtime planning needs beyond the public theatre record.
struct Site {
    city: &'static City,
    kinds: Vec<Kind>,
}

fn theatres(rng: &mut Rng) -> (Vec<DemoTheatre>, Vec<Site>) {
    let mut names = HashSet::new();
    let mut out = (Vec::new(), Vec::new());
    for (ci, city) in data::CITIES.iter().enumerate() {
        // Distinct neighbourhoods within a city; brands may repeat.
        let mut places: Vec<&str> = data::LOCALITIES.split('|').collect();
        for i in (1..places.len()).rev() {
            places.swap(i, rng.below(i + 1));
        }
        for (slot, &place) in places.iter().take(4).enumerate() {
            let count = if slot == 0 && ci < data::MULTIPLEX_CITIES {
                rng.range(8, 12) as usize
            } else {
                3 + rng.weighted(&[28, 30, 22, 14, 6]).unwrap_or(0)
            };
            // One live-capable hall per city: a quarter of all theatres.
            let kinds = screen_kinds(rng, count, slot == ci % 4);
            let mut name = String::new();
            for _ in 0..64 {
                name = format!("{} {place}", rng.word(data::BRANDS));
                if !names.contains(&name) {
                    break;
                }
            }
            if !names.insert(name.clone()) {
                name = format!("{name} {}", city.name);
            }
            if count >= 8 {
                name = format!("{name} {count}");
            }
            let (latitude, longitude) = jitter(rng, city);
            let mut number = 0;
            let screens = kinds
                .iter()
                .map(|&kind| DemoScreen {
                    name: match kind {
                        Kind::Hall => "Main Hall".to_string(),
                        Kind::Imax => "IMAX".to_string(),
                        Kind::Dolby => "Dolby Cinema".to_string(),
                        Kind::Studio => "Studio".to_string(),
                        Kind::Standard | Kind::Large => {
                            number += 1;
                            format!("Screen {number}")
                        }
                    },
                    rows: layout(rng, kind),
                })
                .collect();
            out.0.push(DemoTheatre {
                name,
                address: format!("{} {}", rng.range(100, 4999), rng.word(data::STREETS)),
                city: city.name.to_string(),
                state: city.state.to_string(),
                zip: rng.token(city.zips).to_string(),
                latitude,
                longitude,
                timezone: city.tz.name().to_string(),
                screens,
            });
            out.1.push(Site { city, kinds });
        }
    }
    out
}

fn screen_kinds(rng: &mut Rng, count: usize, hall: bool) -> Vec<Kind> {
    let mut special = Vec::new();
    if hall {
        special.push(Kind::Hall);
    }
    if count >= 8 {
        special.extend([Kind::Imax, Kind::Dolby]);
    } else if count >= 5 && rng.chance(35) {
        special.push(Kind::Dolby);
    }
    if !matches!(special.first(), Some(Kind::Hall | Kind::Imax)) {
        special.insert(0, Kind::Large);
    }
    let mut kinds = vec![Kind::Standard; count];
    for (slot, kind) in kinds.iter_mut().zip(special) {
        *slot = kind;
    }
    if count >= 4
        && rng.chance(60)
        && let Some(last) = kinds.last_mut()
    {
        *last = Kind::Studio;
    }
    kinds
}

/// Uniform point in a 7 km disc around the centre; rejection sampling avoids
/// trigonometry on random angles.
fn jitter(rng: &mut Rng, city: &City) -> (f64, f64) {
    let (dx, dy) = (0..32)
        .map(|_| {
            let x = (rng.range(-7000, 7000) as f64) / 1000.0;
            (x, (rng.range(-7000, 7000) as f64) / 1000.0)
        })
        .find(|(x, y)| x * x + y * y <= 49.0)
        .unwrap_or((0.0, 0.0));
    let lat = city.lat + dy / 111.32;
    let lon = city.lon + dx / (111.32 * city.lat.to_radians().cos());
    ((lat * 1e6).round() / 1e6, (lon * 1e6).round() / 1e6)
}

/// Auditorium geometry; rows are rebuilt from it until the seat count fits.
struct Shape {
    blocks: Vec<usize>,
    aisle: usize,
    front_trim: usize,
    premium_band: bool,
    recliner_back: bool,
    recliner_from: Option<usize>,
}

fn layout(rng: &mut Rng, kind: Kind) -> Vec<DemoRow> {
    let (mut rows, width, aisles) = match kind {
        Kind::Studio => (rng.range(8, 10), rng.range(12, 14), rng.below(2)),
        Kind::Standard => (
            rng.range(10, 13),
            rng.range(13, 17),
            1 + usize::from(rng.chance(70)),
        ),
        Kind::Large => (rng.range(12, 15), rng.range(18, 22), 2),
        Kind::Imax => (rng.range(14, 17), rng.range(20, 23), 2),
        Kind::Dolby => (rng.range(9, 11), rng.range(16, 20), 2),
        Kind::Hall => (rng.range(15, 18), rng.range(18, 22), 2),
    };
    let width = width as usize;
    let blocks = match aisles {
        0 => vec![width],
        1 => vec![width / 2, width - width / 2],
        _ => {
            let side = rng.range(3, (width as i64 / 4).max(3)) as usize;
            vec![side, width - 2 * side, side]
        }
    };
    let shape = Shape {
        blocks,
        aisle: rng.range(1, 2) as usize,
        front_trim: if kind == Kind::Studio {
            0
        } else {
            rng.below(3)
        },
        premium_band: match kind {
            Kind::Studio | Kind::Dolby => false,
            Kind::Standard => rng.chance(60),
            _ => true,
        },
        recliner_back: match kind {
            Kind::Studio | Kind::Large => rng.chance(50),
            Kind::Standard => rng.chance(40),
            Kind::Imax => rng.chance(30),
            Kind::Dolby => true,
            Kind::Hall => false,
        },
        recliner_from: (kind == Kind::Dolby).then_some(2),
    };
    let mut built = build_rows(&shape, rows as usize);
    for _ in 0..16 {
        let seats = seat_count(&built);
        if seats < MIN_SEATS {
            rows += 1;
        } else if seats > MAX_SEATS {
            rows -= 1;
        } else {
            break;
        }
        built = build_rows(&shape, rows as usize);
    }
    built
}

fn build_rows(shape: &Shape, count: usize) -> Vec<DemoRow> {
    let band = count * 55 / 100..count * 80 / 100;
    let mut accessible = vec![(count * 35 / 100).max(shape.front_trim)];
    if count >= 12 {
        accessible.push(count - 1);
    }
    let last_block = shape.blocks.len().saturating_sub(1);
    (0..count)
        .map(|i| {
            let recliner = shape.recliner_from.is_some_and(|from| i >= from)
                || (shape.recliner_back && i + 1 == count);
            let premium = shape.premium_band && band.contains(&i);
            // Front rows lose outer seats but keep their width so columns line up.
            let trim = shape.front_trim.saturating_sub(i);
            let mut row = String::new();
            for (b, &len) in shape.blocks.iter().enumerate() {
                if b > 0 {
                    row.push_str(&"_".repeat(shape.aisle));
                }
                let centre = shape.blocks.len() != 3 || b == 1;
                let fill = if recliner || (premium && centre) {
                    'P'
                } else {
                    'S'
                };
                // Outer blocks keep at least two seats next to the aisle.
                let trim = trim.min(len.saturating_sub(2));
                for k in 0..len {
                    let trimmed = (b == 0 && k < trim) || (b == last_block && k + trim >= len);
                    row.push(if trimmed || (recliner && k % 3 == 2) {
                        '_'
                    } else {
                        fill
                    });
                }
            }
            if accessible.contains(&i)
                && let Some(middle) = row.get(2..row.len().saturating_sub(2))
            {
                row = format!("AC{middle}CA");
            }
            DemoRow {
                label: row_label(i),
                layout: row,
            }
        })
        .collect()
}

/// A, B, … skipping I and O, then AA, BB, ….
fn row_label(i: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let letter = char::from(LETTERS[i % LETTERS.len()]);
    std::iter::repeat_n(letter, i / LETTERS.len() + 1).collect()
}

fn seat_count(rows: &[DemoRow]) -> usize {
    rows.iter()
        .map(|r| r.layout.chars().filter(|&c| c != '_').count())
        .sum()
}

/// Films plus the hidden popularity that drives how many screens they get.
#[derive(Default)]
struct Films {
    list: Vec<DemoMovie>,
    popularity: Vec<u32>,
}

impl Films {
    /// Adds the movie with media URLs derived from its title.
    fn push(&mut self, mut movie: DemoMovie, popularity: u32, trailer: bool) {
        let slug = slug(&movie.title);
        movie.poster_url = Some(format!("https://images.marquee.example/posters/{slug}.jpg"));
        movie.trailer_url =
            trailer.then(|| format!("https://videos.marquee.example/trailers/{slug}.mp4"));
        self.list.push(movie);
        self.popularity.push(popularity);
    }
}

fn movies(rng: &mut Rng, today: NaiveDate, taken: &mut HashSet<String>) -> Films {
    let languages: Vec<u32> = data::LANGUAGES.iter().map(|l| l.1).collect();
    let friday = last_friday(today);
    let mut films = Films::default();
    for f in &data::FEATURED {
        taken.insert(f.title.to_string());
        let weeks = Days::new(7 * rng.below(3) as u64);
        let movie = DemoMovie {
            title: f.title.to_string(),
            synopsis: f.synopsis.to_string(),
            genres: f.genres.split_whitespace().map(str::to_string).collect(),
            cast: cast(rng, f.language),
            runtime_minutes: f.runtime,
            certificate: f.certificate.to_string(),
            language: f.language.to_string(),
            release_date: friday.checked_sub_days(weeks).unwrap_or(today),
            poster_url: None,
            trailer_url: None,
        };
        films.push(movie, 12, rng.chance(95));
    }
    for i in 0..NOW_PLAYING + UPCOMING {
        let sequel = rng.chance(7);
        let title = movie_title(rng, taken, sequel);
        let genres = genres(rng);
        let has = |name: &str| genres.iter().any(|g| g == name);
        let runtime = if has("animation") {
            rng.range(85, 105)
        } else if has("documentary") {
            rng.range(85, 120)
        } else {
            90 + rng.range(0, 42) + rng.range(0, 43)
        };
        let language = data::LANGUAGES[rng.weighted(&languages).unwrap_or(0)].0;
        let release = if i >= NOW_PLAYING {
            friday.checked_add_days(Days::new(7 * rng.range(2, 8) as u64))
        } else if rng.chance(80) {
            friday.checked_sub_days(Days::new(7 * rng.range(0, 9) as u64))
        } else {
            today.checked_sub_days(Days::new(rng.range(0, 69) as u64))
        };
        let movie = DemoMovie {
            title,
            synopsis: synopsis(rng, &genres, &films.list),
            certificate: certificate(rng, &genres).to_string(),
            genres,
            cast: cast(rng, language),
            runtime_minutes: runtime as i32,
            language: language.to_string(),
            release_date: release.unwrap_or(today),
            poster_url: None,
            trailer_url: None,
        };
        let popularity = rng.range(1, 6) as u32 + if sequel { 4 } else { 0 };
        films.push(movie, popularity, rng.chance(85));
    }
    films
}

/// US releases open on Fridays.
fn last_friday(date: NaiveDate) -> NaiveDate {
    let back = Days::new(u64::from((date.weekday().num_days_from_monday() + 3) % 7));
    date.checked_sub_days(back).unwrap_or(date)
}

/// A title not yet in `taken`, which it is added to.
fn movie_title(rng: &mut Rng, taken: &mut HashSet<String>, sequel: bool) -> String {
    let mut title = String::new();
    for attempt in 0..64 {
        let (adjective, noun) = (rng.word(data::ADJECTIVES), rng.word(data::NOUNS));
        title = match rng.weighted(&[25, 15, 12, 15, 8, 10, 5]).unwrap_or(0) {
            0 => format!("The {adjective} {noun}"),
            1 => format!(
                "{} of the {}",
                rng.word(data::PLURALS),
                rng.word(data::OF_THE)
            ),
            2 => format!("{} in {}", rng.word(data::MOMENTS), rng.word(data::PLACES)),
            3 => format!("{adjective} {noun}"),
            4 => format!(
                "{} {}",
                rng.word(data::GERUNDS),
                rng.token(data::LANGUAGES[0].2)
            ),
            5 => format!("{} the {noun}", rng.word(data::GERUNDS)),
            _ => format!("The {noun}"),
        };
        if sequel {
            title.push_str(rng.word(data::SEQUELS));
        }
        if attempt == 63 {
            title = format!("{title} ({})", taken.len());
        }
        if taken.insert(title.clone()) {
            break;
        }
    }
    title
}

fn synopsis(rng: &mut Rng, genres: &[String], earlier: &[DemoMovie]) -> String {
    let (role, setting, goal) = (
        rng.word(data::ROLES),
        rng.word(data::SETTINGS),
        rng.word(data::GOALS),
    );
    let mut text = if genres.iter().any(|g| g == "documentary") {
        format!("This documentary follows {role} {setting} who {goal}.")
    } else {
        let mut chars = role.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
        format!("{first}{} {setting} {goal}.", chars.as_str())
    };
    if rng.chance(70) {
        text = format!("{text} {}", rng.word(data::TWISTS));
    }
    if rng.chance(25) {
        let coda = match earlier.get(rng.below(earlier.len() * 2)) {
            Some(other) => format!("From the director of {}.", other.title),
            None => rng.word(data::CODAS).to_string(),
        };
        text = format!("{text} {coda}");
    }
    text
}

fn genres(rng: &mut Rng) -> Vec<String> {
    let weights: Vec<u32> = data::GENRES.iter().map(|g| g.1).collect();
    let wanted = 1 + rng.weighted(&[30, 45, 25]).unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for _ in 0..16 {
        let genre = data::GENRES[rng.weighted(&weights).unwrap_or(0)].0;
        if out.iter().all(|&g| compatible(g, genre)) {
            out.push(genre);
        }
        if out.len() == wanted {
            break;
        }
    }
    out.into_iter().map(str::to_string).collect()
}

/// Rules out combinations no distributor would print on a poster.
fn compatible(a: &str, b: &str) -> bool {
    const KIDS: [&str; 2] = ["animation", "family"];
    const GRIM: [&str; 4] = ["horror", "crime", "war", "thriller"];
    let clash = |x: &str, y: &str| KIDS.contains(&x) && GRIM.contains(&y);
    a != b && !clash(a, b) && !clash(b, a) && a != "documentary" && b != "documentary"
}

fn certificate(rng: &mut Rng, genres: &[String]) -> &'static str {
    let has = |name: &str| genres.iter().any(|g| g == name);
    if has("animation") || has("family") {
        rng.pick_weighted(&[("G", 40), ("PG", 60)])
    } else if has("horror") {
        rng.pick_weighted(&[("PG-13", 15), ("R", 80), ("NC-17", 5)])
    } else if has("crime") || has("war") || has("thriller") {
        rng.pick_weighted(&[("PG-13", 45), ("R", 55)])
    } else {
        rng.pick_weighted(&[("PG", 20), ("PG-13", 55), ("R", 24), ("NC-17", 1)])
    }
}

/// Three to six names from the film's language, no two sharing a surname.
fn cast(rng: &mut Rng, language: &str) -> Vec<String> {
    let wanted = rng.range(3, 6) as usize;
    let mut out: Vec<String> = Vec::new();
    for _ in 0..32 {
        let name = person(rng, language);
        let surname = name.rsplit(' ').next();
        if out.iter().all(|n| n.rsplit(' ').next() != surname) {
            out.push(name);
        }
        if out.len() == wanted {
            break;
        }
    }
    out
}

fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\'')
    {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Live events plus each one's base standard price in cents.
#[derive(Default)]
struct Acts {
    list: Vec<DemoEvent>,
    price: Vec<i64>,
}

fn events(rng: &mut Rng, taken: &mut HashSet<String>) -> Acts {
    let mut acts = Acts::default();
    for kind in &data::EVENT_KINDS {
        for i in 0..kind.count {
            let Some(mut event) = event(rng, kind.category, i) else {
                continue;
            };
            event.duration_minutes = rng.range(kind.minutes.0, kind.minutes.1) as i32;
            let price = rng.range(kind.dollars.0 / 5, kind.dollars.1 / 5) * 500;
            if taken.insert(event.title.clone()) {
                acts.list.push(event);
                acts.price.push(price);
            }
        }
    }
    acts
}

/// The `i`-th event of a category, duration still unset; `None` once a
/// finite list (plays, operas, …) runs out.
fn event(rng: &mut Rng, category: &str, i: usize) -> Option<DemoEvent> {
    let nth = |table: &'static str| table.split('|').nth(i);
    let fill =
        |template: &str, by: &str, detail: &str| template.replace("{p}", by).replace("{d}", detail);
    let (title, text, by, genres, lang, age) = match category {
        "concert" if i < 4 => {
            let (piece, composer) = nth(data::CLASSICAL)?.split_once('=')?;
            let by = rng.word(data::ORCHESTRAS).to_string();
            let text = format!("The {by} performs {composer}'s {piece} in full.");
            let title = format!("{composer}: {piece}");
            let genres = vec!["classical", "orchestral"];
            (title, text, by, genres, "English", "All ages")
        }
        "concert" => {
            let (adjective, noun) = (rng.word(data::BAND_ADJECTIVES), rng.word(data::BAND_NOUNS));
            let band = format!("The {adjective} {noun}");
            let by = if rng.chance(55) {
                band
            } else {
                person(rng, "English")
            };
            let tour = format!("{} {}", rng.word(data::ADJECTIVES), rng.word(data::NOUNS));
            let title = match rng.below(3) {
                0 => format!("{by}: {tour} Tour"),
                1 => format!("{by} Live"),
                _ => format!("An Evening with {by}"),
            };
            let genre = rng.word(data::MUSIC_GENRES);
            let text = fill(rng.word(data::CONCERT_BLURBS), &by, genre);
            let lang = if genre == "latin" {
                "Spanish"
            } else {
                "English"
            };
            let age = rng.pick_weighted(&[("All ages", 50), ("12+", 40), ("18+", 10)]);
            (title, text, by, vec![genre], lang, age)
        }
        "comedy" => {
            let special = nth(data::SPECIALS)?;
            // A couple of Spanish-language sets keep the language filter interesting.
            let lang = if i % 7 == 3 { "Spanish" } else { "English" };
            let by = person(rng, lang);
            let text = fill(rng.word(data::COMEDY_BLURBS), &by, special);
            let age = if rng.chance(60) { "18+" } else { "12+" };
            let title = format!("{by}: {special}");
            (title, text, by, vec!["stand-up"], lang, age)
        }
        "theatre" => {
            let (play, genre) = nth(data::PLAYS)?.split_once('=')?;
            let by = rng.word(data::COMPANIES).to_string();
            let text = fill(data::PLAY_BLURB, &by, play);
            let age = if genre == "tragedy" {
                "12+"
            } else {
                "All ages"
            };
            (
                play.to_string(),
                text,
                by,
                vec![genre, "classic"],
                "English",
                age,
            )
        }
        "opera" => {
            let mut parts = nth(data::OPERAS)?.split('=');
            let (opera, lang, composer) = (parts.next()?, parts.next()?, parts.next()?);
            let by = rng.word(data::OPERA_COMPANIES).to_string();
            let text = format!(
                "{composer}'s {opera}, performed by the {by} with full orchestra and chorus. \
                 Sung in {lang} with English subtitles."
            );
            (opera.to_string(), text, by, vec!["opera"], lang, "All ages")
        }
        _ if i < 2 => {
            let (red, blue) = (person(rng, "English"), person(rng, "English"));
            let title = format!("Fight Night Live: {red} vs {blue}");
            let (text, by) = (
                data::FIGHT_BLURB.to_string(),
                "Fight Night Live".to_string(),
            );
            (title, text, by, vec!["boxing", "live"], "English", "12+")
        }
        _ => {
            let (league, sport) = rng.word(data::LEAGUES).split_once('=')?;
            let home = rng.word(data::TEAMS);
            let away = (0..8).map(|_| rng.word(data::TEAMS)).find(|&t| t != home)?;
            let text = fill(data::FINAL_BLURB, home, away).replace("{s}", sport);
            let title = format!("{league}: {home} vs {away}");
            (
                title,
                text,
                league.to_string(),
                vec![sport, "live"],
                "English",
                "All ages",
            )
        }
    };
    Some(DemoEvent {
        title,
        description: text,
        performer: by,
        category: category.to_string(),
        genres: genres.into_iter().map(str::to_string).collect(),
        language: lang.to_string(),
        duration_minutes: 0,
        age_rating: age.to_string(),
    })
}

fn showtimes(
    rng: &mut Rng,
    today: NaiveDate,
    theatres: &[DemoTheatre],
    sites: &[Site],
    films: &Films,
    acts: &Acts,
) -> Vec<DemoShowtime> {
    let week: Vec<(NaiveDate, Vec<u32>)> = (0..DAYS)
        .filter_map(|d| today.checked_add_days(Days::new(d)))
        .map(|date| (date, movie_weights(films, date)))
        .collect();
    let mut out = Vec::new();
    for (ti, (theatre, site)) in theatres.iter().zip(sites).enumerate() {
        for (si, (screen, &kind)) in theatre.screens.iter().zip(&site.kinds).enumerate() {
            let categories: Vec<&str> = CATEGORIES
                .iter()
                .filter(|(c, _)| screen.rows.iter().any(|r| r.layout.contains(*c)))
                .map(|&(_, name)| name)
                .collect();
            let premium_extra = rng.range(8, 14) * 50;
            // A screen holds one title all week; the other slots rotate daily.
            let Some(primary) = week.first().and_then(|(_, w)| rng.weighted(w)) else {
                continue;
            };
            let headliners = if kind == Kind::Hall && !acts.list.is_empty() {
                let friday = rng.below(acts.list.len());
                // Half the halls hold the same act over for a second night.
                let saturday = if rng.chance(50) {
                    friday
                } else {
                    rng.below(acts.list.len())
                };
                (Some(friday), Some(saturday))
            } else {
                (None, None)
            };
            for (date, weights) in &week {
                let weekday = date.weekday();
                let event = match weekday {
                    Weekday::Fri => headliners.0,
                    Weekday::Sat => headliners.1,
                    _ => None,
                };
                let late = matches!(weekday, Weekday::Fri | Weekday::Sat);
                let Some(midnight) = date.and_hms_opt(0, 0, 0) else {
                    continue;
                };
                for (title, minute) in day_plan(rng, films, acts, weights, primary, event, late) {
                    let Some(local) = midnight.checked_add_signed(TimeDelta::minutes(minute))
                    else {
                        continue;
                    };
                    // US clocks change at 2 am, outside opening hours; skip rather than guess.
                    let Some(starts) = site.city.tz.from_local_datetime(&local).earliest() else {
                        continue;
                    };
                    let standard = match title {
                        DemoTitle::Event(e) => event_price(site.city, acts.price.get(e)),
                        DemoTitle::Movie(_) => ticket_price(site.city, kind, weekday, minute),
                    };
                    let prices = categories
                        .iter()
                        .map(|&c| {
                            let extra = if c == "premium" { premium_extra } else { 0 };
                            (c.to_string(), standard + extra)
                        })
                        .collect();
                    let starts_at = starts.with_timezone(&Utc);
                    out.push(DemoShowtime {
                        theatre: ti,
                        screen: si,
                        title,
                        starts_at,
                        prices,
                    });
                }
            }
        }
    }
    out
}

/// New releases and big titles get the most screens; older ones linger on few.
fn movie_weights(films: &Films, date: NaiveDate) -> Vec<u32> {
    let ages = films
        .list
        .iter()
        .map(|m| date.signed_duration_since(m.release_date).num_days());
    ages.zip(&films.popularity)
        .map(|(age, &popularity)| match age {
            ..0 => 0,
            0..=10 => popularity * 10,
            11..=24 => popularity * 6,
            25..=45 => popularity * 3,
            _ => popularity,
        })
        .collect()
}

/// Lays out one screen-day backwards from the evening anchor so prime time is
/// always filled, then spreads the spare minutes over the gaps before it.
/// Returns (title, minutes after local midnight) pairs.
fn day_plan(
    rng: &mut Rng,
    films: &Films,
    acts: &Acts,
    weights: &[u32],
    primary: usize,
    event: Option<usize>,
    late: bool,
) -> Vec<(DemoTitle, i64)> {
    let pick = |rng: &mut Rng| {
        let i = if rng.chance(55) {
            primary
        } else {
            rng.weighted(weights).unwrap_or(primary)
        };
        let runtime = films
            .list
            .get(i)
            .map_or(120, |m| i64::from(m.runtime_minutes));
        (DemoTitle::Movie(i), runtime)
    };
    let headliner = event.and_then(|e| acts.list.get(e).map(|act| (e, act)));
    let shows = if headliner.is_some() || rng.chance(60) {
        3
    } else {
        4
    };
    let mut picks: Vec<(DemoTitle, i64)> = (1..shows).map(|_| pick(rng)).collect();
    let last_start = match headliner {
        Some((e, act)) => {
            picks.push((DemoTitle::Event(e), i64::from(act.duration_minutes)));
            rng.range(38, 40) * 30
        }
        None => {
            picks.push(pick(rng));
            if late {
                rng.range(234, 273) * 5
            } else {
                rng.range(228, 264) * 5
            }
        }
    };
    // Slots are multiples of five minutes and include the cleaning buffer.
    let block = |runtime: i64| (runtime + CLEANING_MINUTES + 4) / 5 * 5;
    let mut earliest = rng.range(120, 150) * 5;
    let mut needed: i64 = picks.iter().rev().skip(1).map(|p| block(p.1)).sum();
    while picks.len() > 3 && earliest + needed > last_start {
        let (_, runtime) = picks.remove(0);
        needed -= block(runtime);
    }
    earliest = earliest.min(last_start - needed);
    let slack = (last_start - earliest - needed) / 5;
    let shares: Vec<i64> = (0..picks.len())
        .map(|i| {
            if i == 0 {
                rng.range(0, 2)
            } else {
                rng.range(1, 4)
            }
        })
        .collect();
    let total = shares.iter().sum::<i64>().max(1);
    let mut gaps: Vec<i64> = shares.iter().map(|s| slack * s / total).collect();
    let rest: i64 = gaps.iter().skip(1).sum();
    if let Some(lead) = gaps.first_mut() {
        *lead = slack - rest;
    }
    let mut start = earliest;
    let mut plan = Vec::with_capacity(picks.len());
    for ((title, runtime), gap) in picks.into_iter().zip(gaps) {
        start += gap * 5;
        plan.push((title, start));
        start += block(runtime);
    }
    plan
}

/// Evening and weekend shows cost more; premium formats carry a surcharge.
fn ticket_price(city: &City, kind: Kind, weekday: Weekday, minute: i64) -> i64 {
    let time = match minute {
        ..960 => -150,
        960..1080 => 0,
        _ => 150,
    };
    let weekend = matches!(weekday, Weekday::Sat | Weekday::Sun)
        || (weekday == Weekday::Fri && minute >= 17 * 60);
    let format = match kind {
        Kind::Imax => 300,
        Kind::Dolby => 250,
        Kind::Large | Kind::Hall => 50,
        Kind::Standard | Kind::Studio => 0,
    };
    (city.base_price + time + if weekend { 150 } else { 0 } + format).clamp(1100, 1900)
}

fn event_price(city: &City, base: Option<&i64>) -> i64 {
    (base.copied().unwrap_or(5000) + (city.base_price - 1300) * 2).clamp(3500, 12000)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::{HashMap, HashSet};
    use std::time::{Duration, Instant};

    use chrono::{NaiveDate, TimeDelta};
    use chrono_tz::Tz;

    use super::*;

    /// An ordinary week, the week US clocks spring forward, and the week
    /// they fall back.
    fn weeks() -> Vec<NaiveDate> {
        [(2025, 6, 12), (2025, 3, 6), (2025, 10, 30)]
            .into_iter()
            .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
            .collect()
    }

    /// Seat count if the rows follow the server's layout rules.
    fn validate(rows: &[DemoRow]) -> Result<usize, String> {
        let mut labels = HashSet::new();
        let mut seats = 0;
        for row in rows {
            let label_ok = (1..=3).contains(&row.label.len())
                && row
                    .label
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if !label_ok || row.label.contains(['I', 'O']) || !labels.insert(&row.label) {
                return Err(format!("bad or duplicate label {:?}", row.label));
            }
            let chars: Vec<char> = row.layout.chars().collect();
            if let Some(c) = chars.iter().find(|c| !"SPAC_".contains(**c)) {
                return Err(format!("row {}: bad char {c:?}", row.label));
            }
            let in_row = chars.iter().filter(|&&c| c != '_').count();
            if in_row == 0 {
                return Err(format!("row {} has no seats", row.label));
            }
            for (i, _) in chars.iter().enumerate().filter(|(_, c)| **c == 'C') {
                let left = i.checked_sub(1).and_then(|j| chars.get(j)) == Some(&'A');
                if !left && chars.get(i + 1) != Some(&'A') {
                    return Err(format!("row {}: companion without accessible", row.label));
                }
            }
            seats += in_row;
        }
        Ok(seats)
    }

    fn runtime(catalog: &DemoCatalog, title: DemoTitle) -> i64 {
        match title {
            DemoTitle::Movie(i) => i64::from(catalog.movies[i].runtime_minutes),
            DemoTitle::Event(i) => i64::from(catalog.events[i].duration_minutes),
        }
    }

    #[test]
    fn deterministic() {
        for today in weeks() {
            assert_eq!(
                format!("{:?}", generate(today)),
                format!("{:?}", generate(today))
            );
        }
    }

    #[test]
    fn volumes() {
        let catalog = generate(weeks()[0]);
        let cities: HashSet<_> = catalog
            .theatres
            .iter()
            .map(|t| (&t.city, &t.state))
            .collect();
        assert!(cities.len() >= 12, "{} cities", cities.len());
        assert!(catalog.theatres.len() >= 60);
        assert!(catalog.movies.len() + catalog.events.len() >= 250);
        let names: HashSet<_> = catalog.theatres.iter().map(|t| &t.name).collect();
        assert_eq!(names.len(), catalog.theatres.len(), "theatre names repeat");
        let titles: HashSet<_> = catalog.movies.iter().map(|m| &m.title).collect();
        assert_eq!(titles.len(), catalog.movies.len(), "movie titles repeat");
        let events: HashSet<_> = catalog.events.iter().map(|e| &e.title).collect();
        assert_eq!(events.len(), catalog.events.len(), "event titles repeat");
        assert!((5_000..=10_000).contains(&catalog.showtimes.len()));
        for theatre in &catalog.theatres {
            assert!(
                (3..=12).contains(&theatre.screens.len()),
                "{}",
                theatre.name
            );
            assert!(
                theatre.timezone.parse::<Tz>().is_ok(),
                "{}",
                theatre.timezone
            );
        }
    }

    #[test]
    fn titles_are_plausible() {
        let catalog = generate(weeks()[0]);
        let genres: Vec<&str> = data::GENRES.iter().map(|g| g.0).collect();
        for movie in &catalog.movies {
            assert!((1..=3).contains(&movie.genres.len()), "{}", movie.title);
            assert!(movie.genres.iter().all(|g| genres.contains(&g.as_str())));
            assert!((3..=6).contains(&movie.cast.len()), "{}", movie.title);
            assert!(
                (85..=175).contains(&movie.runtime_minutes),
                "{}",
                movie.title
            );
            assert!(["G", "PG", "PG-13", "R", "NC-17"].contains(&movie.certificate.as_str()));
            assert!(movie.poster_url.as_deref().unwrap().ends_with(".jpg"));
        }
        for event in &catalog.events {
            assert!(
                (60..=180).contains(&event.duration_minutes),
                "{}",
                event.title
            );
            assert!(["All ages", "12+", "18+"].contains(&event.age_rating.as_str()));
            let categories = ["concert", "comedy", "theatre", "opera", "sports"];
            assert!(categories.contains(&event.category.as_str()));
        }
    }

    #[test]
    fn layouts_follow_the_rules() {
        for theatre in &generate(weeks()[0]).theatres {
            for screen in &theatre.screens {
                let seats = validate(&screen.rows)
                    .unwrap_or_else(|e| panic!("{} / {}: {e}", theatre.name, screen.name));
                assert!(
                    (100..=400).contains(&seats),
                    "{}: {seats} seats",
                    screen.name
                );
            }
        }
    }

    #[test]
    fn validator_rejects_bad_rows() {
        let row = |label: &str, layout: &str| DemoRow {
            label: label.into(),
            layout: layout.into(),
        };
        assert!(validate(&[row("A", "AC__SSSS__CA")]).is_ok());
        assert!(validate(&[row("A", "C_A")]).is_err());
        assert!(validate(&[row("A", "___")]).is_err());
        assert!(validate(&[row("A", "SSX")]).is_err());
        assert!(validate(&[row("A", "SS"), row("A", "SS")]).is_err());
    }

    #[test]
    fn showtimes_fit_their_screens_and_week() {
        for today in weeks() {
            let catalog = generate(today);
            let mut by_screen: HashMap<(usize, usize), Vec<&DemoShowtime>> = HashMap::new();
            for show in &catalog.showtimes {
                let theatre = &catalog.theatres[show.theatre];
                let tz: Tz = theatre.timezone.parse().unwrap();
                let local = show.starts_at.with_timezone(&tz).naive_local();
                let day = (local.date() - today).num_days();
                assert!((0..7).contains(&day), "{} outside the week", show.starts_at);
                assert_eq!(
                    local.and_utc().timestamp() % 300,
                    0,
                    "not on a 5-minute mark"
                );
                if let DemoTitle::Movie(i) = show.title {
                    assert!(catalog.movies[i].release_date <= local.date(), "unreleased");
                }
                let screen = &theatre.screens[show.screen];
                let mut wanted: Vec<&str> = CATEGORIES
                    .iter()
                    .filter(|(c, _)| screen.rows.iter().any(|r| r.layout.contains(*c)))
                    .map(|(_, name)| *name)
                    .collect();
                let mut priced: Vec<&str> = show.prices.iter().map(|p| p.0.as_str()).collect();
                wanted.sort_unstable();
                priced.sort_unstable();
                assert_eq!(wanted, priced);
                let standard = show.prices.iter().find(|p| p.0 == "standard").unwrap().1;
                let range = match show.title {
                    DemoTitle::Movie(_) => 1100..=1900,
                    DemoTitle::Event(_) => 3500..=12000,
                };
                assert!(range.contains(&standard), "standard price {standard}");
                by_screen
                    .entry((show.theatre, show.screen))
                    .or_default()
                    .push(show);
            }
            for shows in by_screen.values_mut() {
                shows.sort_by_key(|s| s.starts_at);
                for pair in shows.windows(2) {
                    let free = TimeDelta::minutes(runtime(&catalog, pair[0].title) + 15);
                    assert!(pair[0].starts_at + free <= pair[1].starts_at, "overlap");
                }
            }
        }
    }

    #[test]
    fn upcoming_titles_have_no_shows_and_events_play_weekends() {
        let today = weeks()[0];
        let catalog = generate(today);
        let week_end = today + TimeDelta::days(7);
        assert!(
            catalog
                .movies
                .iter()
                .filter(|m| m.release_date >= week_end)
                .count()
                >= 5
        );
        let mut events = 0;
        for show in &catalog.showtimes {
            match show.title {
                DemoTitle::Movie(i) => assert!(catalog.movies[i].release_date < week_end),
                DemoTitle::Event(_) => {
                    let tz: Tz = catalog.theatres[show.theatre].timezone.parse().unwrap();
                    let weekday = show.starts_at.with_timezone(&tz).weekday();
                    assert!(matches!(weekday, Weekday::Fri | Weekday::Sat));
                    events += 1;
                }
            }
        }
        assert!(events >= 10, "{events} event shows");
    }

    #[test]
    fn search_demo_titles_exist() {
        let catalog = generate(weeks()[0]);
        for title in [
            "Spider-Man: Crossing Worlds",
            "Avengers: Last Stand",
            "The Spider Queen",
        ] {
            assert!(
                catalog.movies.iter().any(|m| m.title == title),
                "{title} missing"
            );
        }
    }

    #[test]
    fn fast_enough() {
        let start = Instant::now();
        let catalog = generate(weeks()[0]);
        assert!(!catalog.showtimes.is_empty());
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}
