//! Venue layouts. A venue is made of sections (a cinema screen is one); a reserved section is
//! rows in the notation theatres type in: one character per position, `S` standard,
//! `P` premium, `A` accessible (wheelchair), `C` companion, `_` gap or aisle.
//! Seats are numbered 1.. from the left of each row, gaps skipped; a seat's grid position is
//! within its section, and the section's placement on the venue overview is its own.

use super::{CatalogError, SeatCategory};

/// The most places one venue may have (a stadium).
pub const MAX_SEATS: usize = 60_000;
/// The most positions one row may have: wide enough for any bowl, small enough that one
/// typo cannot make a row of a million seats.
pub const MAX_ROW_WIDTH: usize = 400;
/// The most sections one venue may have.
pub const MAX_SECTIONS: usize = 500;
/// The name a venue of one section gives it.
pub const MAIN_SECTION: &str = "Main";

/// How a section sells its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SectionKind {
    /// Rows of numbered seats.
    #[default]
    Reserved,
    /// A capacity without seat numbers (a standing floor).
    General,
}

impl SectionKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserved => "reserved",
            Self::General => "general",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reserved" => Some(Self::Reserved),
            "general" => Some(Self::General),
            _ => None,
        }
    }
}

/// Where a section sits on the venue overview, in grid units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapPlacement {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// A section as submitted: its name, rows front first, and overview placement.
#[derive(Debug, Clone, Default)]
pub struct SectionSpec {
    pub name: String,
    pub rows: Vec<(String, String)>,
    pub map: Option<MapPlacement>,
    /// Reserved (rows) or general admission (a capacity).
    pub kind: SectionKind,
    /// A general-admission section's places; none for a reserved one.
    pub capacity: Option<i64>,
    /// A general-admission section's price category (standard when not given).
    pub category: Option<SeatCategory>,
}

/// A validated venue layout, sections in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLayout {
    pub sections: Vec<LayoutSection>,
}

/// One validated section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutSection {
    /// Unique within the venue.
    pub name: String,
    pub kind: SectionKind,
    /// Rows, front first (empty for general admission).
    pub rows: Vec<LayoutRow>,
    /// Placement on the overview map.
    pub map: MapPlacement,
    /// A general-admission section's places (0 for a reserved one, whose seats count).
    pub places: usize,
    /// The price category of a general-admission section's places.
    pub category: SeatCategory,
}

impl LayoutSection {
    /// Its seats (reserved) or places (general admission).
    pub fn capacity(&self) -> usize {
        match self.kind {
            SectionKind::Reserved => self.rows.iter().map(|r| r.seats.len()).sum(),
            SectionKind::General => self.places,
        }
    }
}

/// One validated row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutRow {
    /// Row label, as printed on the ticket.
    pub label: String,
    /// The notation it was parsed from.
    pub notation: String,
    /// Its seats, left to right.
    pub seats: Vec<LayoutSeat>,
}

/// One seat of a parsed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutSeat {
    /// Seat number within the row.
    pub number: i32,
    /// Category.
    pub category: SeatCategory,
    /// Grid column (gaps count).
    pub x: i32,
    /// Grid row.
    pub y: i32,
}

fn category_of(c: char) -> Option<Option<SeatCategory>> {
    match c {
        'S' => Some(Some(SeatCategory::Standard)),
        'P' => Some(Some(SeatCategory::Premium)),
        'A' => Some(Some(SeatCategory::Accessible)),
        'C' => Some(Some(SeatCategory::Companion)),
        '_' => Some(None),
        _ => None,
    }
}

fn bad(reason: String) -> CatalogError {
    CatalogError::invalid("layout", reason)
}

/// Parses one section's rows; `within` names the section in messages of a multi-section venue.
fn parse_rows(rows: &[(String, String)], within: &str) -> Result<Vec<LayoutRow>, CatalogError> {
    if rows.is_empty() {
        return Err(bad(format!("{within}needs at least one row")));
    }
    let mut parsed: Vec<LayoutRow> = Vec::with_capacity(rows.len());
    let mut labels = std::collections::HashSet::with_capacity(rows.len());
    let mut total = 0usize;
    for (y, (label, notation)) in rows.iter().enumerate() {
        let label = label.trim().to_uppercase();
        if label.is_empty() || label.len() > 3 || !label.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(bad(format!(
                "{within}row label `{label}` must be 1-3 letters or digits"
            )));
        }
        if !labels.insert(label.clone()) {
            return Err(bad(format!("{within}row `{label}` appears twice")));
        }
        let notation = notation.trim().to_uppercase();
        let chars: Vec<char> = notation.chars().collect();
        if chars.len() > MAX_ROW_WIDTH {
            return Err(bad(format!(
                "{within}row `{label}` is wider than {MAX_ROW_WIDTH} positions"
            )));
        }
        let mut seats = Vec::new();
        for (x, c) in chars.iter().enumerate() {
            let cat = category_of(*c).ok_or_else(|| {
                bad(format!(
                    "{within}row `{label}`: `{c}` is not one of S, P, A, C or _"
                ))
            })?;
            if let Some(category) = cat {
                if category == SeatCategory::Companion {
                    let left = x.checked_sub(1).and_then(|i| chars.get(i));
                    let right = chars.get(x + 1);
                    if left != Some(&'A') && right != Some(&'A') {
                        return Err(bad(format!(
                            "{within}row `{label}`: companion seat at position {} is not next to an accessible seat",
                            x + 1
                        )));
                    }
                }
                seats.push(LayoutSeat {
                    number: seats.len() as i32 + 1,
                    category,
                    x: x as i32,
                    y: y as i32,
                });
            }
        }
        if seats.is_empty() {
            return Err(bad(format!("{within}row `{label}` has no seats")));
        }
        total += seats.len();
        // Checked as rows come so that a huge input is refused before it is all parsed.
        if total > MAX_SEATS {
            return Err(bad(format!(
                "more than the {MAX_SEATS} places a venue may have"
            )));
        }
        parsed.push(LayoutRow {
            label,
            notation,
            seats,
        });
    }
    Ok(parsed)
}

/// One section of a venue: rows for a reserved one, a capacity for general admission.
fn parse_section(
    spec: &SectionSpec,
    name: String,
    map: MapPlacement,
) -> Result<LayoutSection, CatalogError> {
    match spec.kind {
        SectionKind::Reserved => {
            if spec.capacity.is_some() {
                return Err(bad(format!(
                    "section `{name}`: a reserved section's capacity is its seats; give rows only"
                )));
            }
            let rows = parse_rows(&spec.rows, &format!("section `{name}`: "))?;
            Ok(LayoutSection {
                name,
                kind: SectionKind::Reserved,
                rows,
                map,
                places: 0,
                category: SeatCategory::Standard,
            })
        }
        SectionKind::General => {
            if !spec.rows.is_empty() {
                return Err(bad(format!(
                    "section `{name}`: general admission has a capacity, not rows"
                )));
            }
            let places = spec
                .capacity
                .filter(|c| (1..=MAX_SEATS as i64).contains(c))
                .ok_or_else(|| {
                    bad(format!(
                        "section `{name}`: general admission needs a capacity of 1 to {MAX_SEATS}"
                    ))
                })?;
            Ok(LayoutSection {
                name,
                kind: SectionKind::General,
                rows: Vec::new(),
                map,
                places: places as usize,
                category: spec.category.unwrap_or(SeatCategory::Standard),
            })
        }
    }
}

impl ScreenLayout {
    /// Parses `(label, notation)` pairs, front row first: a venue of one reserved section.
    pub fn parse(rows: &[(String, String)]) -> Result<Self, CatalogError> {
        if rows.is_empty() {
            return Err(bad("a screen needs at least one row".into()));
        }
        let layout = Self {
            sections: vec![LayoutSection {
                name: MAIN_SECTION.to_owned(),
                kind: SectionKind::Reserved,
                rows: parse_rows(rows, "")?,
                map: MapPlacement::default(),
                places: 0,
                category: SeatCategory::Standard,
            }],
        };
        layout.check_total()?;
        Ok(layout)
    }

    /// Parses a layout given as either rows (one section) or sections, never both.
    pub fn parse_venue(
        rows: &[(String, String)],
        sections: Option<&[SectionSpec]>,
    ) -> Result<Self, CatalogError> {
        match sections {
            None => Self::parse(rows),
            Some(_) if !rows.is_empty() => {
                Err(bad("give either rows or sections, not both".into()))
            }
            Some(sections) => Self::parse_sections(sections),
        }
    }

    /// Parses a venue of sections, in the order given.
    pub fn parse_sections(specs: &[SectionSpec]) -> Result<Self, CatalogError> {
        if specs.is_empty() {
            return Err(bad("a venue needs at least one section".into()));
        }
        if specs.len() > MAX_SECTIONS {
            return Err(bad(format!(
                "a venue may have at most {MAX_SECTIONS} sections"
            )));
        }
        let mut names = std::collections::HashSet::with_capacity(specs.len());
        let mut sections = Vec::with_capacity(specs.len());
        let mut total = 0usize;
        for spec in specs {
            let name = spec.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(bad("a section name must be 1-100 characters".into()));
            }
            if !names.insert(name.to_lowercase()) {
                return Err(bad(format!("section `{name}` appears twice")));
            }
            let map = spec.map.unwrap_or_default();
            if map.x < 0 || map.y < 0 || map.width < 0 || map.height < 0 {
                return Err(bad(format!(
                    "section `{name}`: its map placement must not be negative"
                )));
            }
            let section = parse_section(spec, name, map)?;
            total += section.capacity();
            if total > MAX_SEATS {
                return Err(bad(format!(
                    "more than the {MAX_SEATS} places a venue may have"
                )));
            }
            sections.push(section);
        }
        let layout = Self { sections };
        layout.check_total()?;
        Ok(layout)
    }

    fn check_total(&self) -> Result<(), CatalogError> {
        let total = self.seat_count();
        if total > MAX_SEATS {
            return Err(bad(format!(
                "{total} places is more than the {MAX_SEATS} a venue may have"
            )));
        }
        Ok(())
    }

    /// Total number of places.
    pub fn seat_count(&self) -> usize {
        self.sections.iter().map(LayoutSection::capacity).sum()
    }

    /// The rows of every section, section by section.
    pub fn rows(&self) -> impl Iterator<Item = &LayoutRow> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }

    /// The categories present, in canonical order.
    pub fn categories(&self) -> Vec<SeatCategory> {
        SeatCategory::ALL
            .iter()
            .copied()
            .filter(|c| {
                self.rows()
                    .any(|r| r.seats.iter().any(|s| s.category == *c))
                    || self
                        .sections
                        .iter()
                        .any(|s| s.kind == SectionKind::General && s.category == *c)
            })
            .collect()
    }

    /// The JSON kept with the screen: the rows of a one-section venue as before, and every
    /// section with its rows for a venue of several.
    pub fn to_json(&self) -> serde_json::Value {
        let rows = |s: &LayoutSection| {
            s.rows
                .iter()
                .map(|r| serde_json::json!({ "label": r.label, "seats": r.notation }))
                .collect::<Vec<_>>()
        };
        let categories: Vec<&str> = self.categories().iter().map(|c| c.as_str()).collect();
        match self.sections.as_slice() {
            [only] => serde_json::json!({ "categories": categories, "rows": rows(only) }),
            many => serde_json::json!({
                "categories": categories,
                "sections": many.iter().map(|s| serde_json::json!({
                    "name": s.name,
                    "kind": s.kind.as_str(),
                    "rows": rows(s),
                    "capacity": (s.kind == SectionKind::General).then_some(s.places),
                })).collect::<Vec<_>>(),
            }),
        }
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
