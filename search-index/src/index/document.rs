//! What is indexed about a movie, an event or a theatre.

use tantivy::TantivyDocument;

use super::schema::{Fields, normalise};
use crate::geo::LatLon;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A film.
    Movie,
    /// A live event.
    Event,
    /// A venue.
    Theatre,
    /// A help-center article (never a hit unless asked for by kind).
    Article,
}

impl Kind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movie => "movie",
            Self::Event => "event",
            Self::Theatre => "theatre",
            Self::Article => "article",
        }
    }

    /// Its number in the kind column.
    pub(super) fn code(self) -> u64 {
        match self {
            Self::Movie => 1,
            Self::Event => 2,
            Self::Theatre => 3,
            Self::Article => 4,
        }
    }

    /// Every kind; each document has exactly one.
    pub const ALL: [Self; 4] = [Self::Movie, Self::Event, Self::Theatre, Self::Article];

    /// From its number in the kind column.
    pub(super) fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// From the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "movie" => Some(Self::Movie),
            "event" => Some(Self::Event),
            "theatre" => Some(Self::Theatre),
            "article" => Some(Self::Article),
            _ => None,
        }
    }
}

/// One searchable thing, built by the caller from its catalog.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Movie, event or theatre.
    pub kind: Option<Kind>,
    /// Its id.
    pub id: String,
    /// Title (a theatre's name).
    pub title: String,
    /// Synopsis or description (a theatre's address).
    pub body: String,
    /// Cast, host, performer.
    pub people: Vec<String>,
    /// Names of the theatres playing it (a theatre: its own).
    pub places: Vec<String>,
    /// Genre slugs.
    pub genres: Vec<String>,
    /// Language.
    pub language: String,
    /// Cities, states and zips where it plays (a theatre: its own).
    pub cities: Vec<String>,
    /// States.
    pub states: Vec<String>,
    /// Zip codes.
    pub zips: Vec<String>,
    /// Days it plays, `YYYY-MM-DD` in the theatre's own zone.
    pub dates: Vec<String>,
    /// Coordinates of the theatres playing it (a theatre: its own).
    pub points: Vec<LatLon>,
    /// Average stars (1 to 5) of its reviews, when it has any.
    pub rating: Option<f64>,
    /// Tickets sold for it lately: how much buyers want it.
    pub tickets_sold: u64,
}

/// The factor relevance is multiplied by: up to a fifth more for five stars (a fifth less
/// for one), a little more for a title that is playing in the next two weeks, and up to a
/// quarter more for a title selling well (logarithmic: the thousandth ticket counts less
/// than the tenth).
pub(super) fn boost(d: &SearchDoc) -> f64 {
    let popular = 1.0 + (0.04 * (1.0 + d.tickets_sold as f64).ln()).min(0.25);
    let rated = d
        .rating
        .map_or(1.0, |r| 1.0 + 0.1 * (r.clamp(1.0, 5.0) - 3.0));
    let playing = if matches!(d.kind, Some(Kind::Movie | Kind::Event)) && !d.dates.is_empty() {
        1.15
    } else {
        1.0
    };
    rated * playing * popular
}

pub(super) fn key(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

impl SearchDoc {
    pub(super) fn key(&self) -> String {
        key(self.kind.unwrap_or(Kind::Movie), &self.id)
    }
}

pub(super) fn to_tantivy(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, d.key());
    let kind = d.kind.unwrap_or(Kind::Movie);
    doc.add_text(f.kind, kind.as_str());
    doc.add_text(f.id, &d.id);
    doc.add_u64(f.kind_code, kind.code());
    // Only an id spelt as a UUID prints back the same from its numbers; any other is read
    // from the stored document.
    if let Ok(uuid) = uuid::Uuid::try_parse(&d.id)
        && uuid.hyphenated().to_string() == d.id
    {
        let (high, low) = uuid.as_u64_pair();
        doc.add_u64(f.id_high, high);
        doc.add_u64(f.id_low, low);
    }
    doc.add_text(f.title, &d.title);
    doc.add_text(f.title_exact, &d.title);
    doc.add_text(f.title_prefixes, &d.title);
    doc.add_text(f.body, &d.body);
    for text in [&d.title, &d.body]
        .into_iter()
        .chain(&d.people)
        .chain(&d.places)
    {
        doc.add_text(f.words, text);
    }
    for g in &d.genres {
        doc.add_text(f.genre, normalise(g));
    }
    if !d.language.is_empty() {
        doc.add_text(f.language, normalise(&d.language));
    }
    for c in &d.cities {
        doc.add_text(f.city, normalise(c));
    }
    for s in &d.states {
        doc.add_text(f.state, normalise(s));
    }
    for z in &d.zips {
        doc.add_text(f.zip, normalise(z));
    }
    for day in &d.dates {
        doc.add_text(f.date, day.trim());
    }
    for p in &d.points {
        doc.add_u64(f.points, p.packed());
    }
    doc.add_f64(f.boost, boost(d));
    doc
}
