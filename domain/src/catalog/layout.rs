//! Screen layouts in the row notation theatres type in: one character per position,
//! `S` standard, `P` premium, `A` accessible (wheelchair), `C` companion, `_` gap or aisle.
//! Seats are numbered 1.. from the left of each row, gaps skipped.

use super::{CatalogError, SeatCategory};

/// The most seats one screen may have.
pub const MAX_SEATS: usize = 2_000;
/// The most positions one row may have.
pub const MAX_ROW_WIDTH: usize = 80;

/// A validated layout, front row first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLayout {
    /// Rows, front (nearest the screen) first.
    pub rows: Vec<LayoutRow>,
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

impl ScreenLayout {
    /// Parses `(label, notation)` pairs, front row first.
    pub fn parse(rows: &[(String, String)]) -> Result<Self, CatalogError> {
        let bad = |reason: String| CatalogError::invalid("layout", reason);
        if rows.is_empty() {
            return Err(bad("a screen needs at least one row".into()));
        }
        let mut parsed: Vec<LayoutRow> = Vec::with_capacity(rows.len());
        let mut total = 0usize;
        for (y, (label, notation)) in rows.iter().enumerate() {
            let label = label.trim().to_uppercase();
            if label.is_empty()
                || label.len() > 3
                || !label.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(bad(format!(
                    "row label `{label}` must be 1-3 letters or digits"
                )));
            }
            if parsed.iter().any(|r| r.label == label) {
                return Err(bad(format!("row `{label}` appears twice")));
            }
            let notation = notation.trim().to_uppercase();
            let chars: Vec<char> = notation.chars().collect();
            if chars.len() > MAX_ROW_WIDTH {
                return Err(bad(format!(
                    "row `{label}` is wider than {MAX_ROW_WIDTH} positions"
                )));
            }
            let mut seats = Vec::new();
            for (x, c) in chars.iter().enumerate() {
                let cat = category_of(*c).ok_or_else(|| {
                    bad(format!(
                        "row `{label}`: `{c}` is not one of S, P, A, C or _"
                    ))
                })?;
                if let Some(category) = cat {
                    if category == SeatCategory::Companion {
                        let left = x.checked_sub(1).and_then(|i| chars.get(i));
                        let right = chars.get(x + 1);
                        if left != Some(&'A') && right != Some(&'A') {
                            return Err(bad(format!(
                                "row `{label}`: companion seat at position {} is not next to an accessible seat",
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
                return Err(bad(format!("row `{label}` has no seats")));
            }
            total += seats.len();
            parsed.push(LayoutRow {
                label,
                notation,
                seats,
            });
        }
        if total > MAX_SEATS {
            return Err(bad(format!(
                "{total} seats is more than the {MAX_SEATS} a screen may have"
            )));
        }
        Ok(Self { rows: parsed })
    }

    /// Total number of seats.
    pub fn seat_count(&self) -> usize {
        self.rows.iter().map(|r| r.seats.len()).sum()
    }

    /// The categories present, in canonical order.
    pub fn categories(&self) -> Vec<SeatCategory> {
        SeatCategory::ALL
            .iter()
            .copied()
            .filter(|c| {
                self.rows
                    .iter()
                    .any(|r| r.seats.iter().any(|s| s.category == *c))
            })
            .collect()
    }

    /// The JSON kept with the screen (rows and their notation).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "categories": self.categories().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "rows": self.rows.iter().map(|r| serde_json::json!({
                "label": r.label,
                "seats": r.notation,
            })).collect::<Vec<_>>()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spec: &[(&str, &str)]) -> Vec<(String, String)> {
        spec.iter()
            .map(|(l, s)| (l.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn numbers_seats_skipping_gaps() {
        let layout = ScreenLayout::parse(&rows(&[("A", "AC__SS"), ("B", "PP_PP")])).unwrap();
        assert_eq!(layout.seat_count(), 8);
        let a = &layout.rows[0];
        assert_eq!(
            a.seats.iter().map(|s| s.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(a.seats[2].x, 4);
        assert_eq!(layout.rows[1].seats[0].y, 1);
        assert_eq!(
            layout.categories(),
            vec![
                SeatCategory::Standard,
                SeatCategory::Premium,
                SeatCategory::Accessible,
                SeatCategory::Companion
            ]
        );
    }

    #[test]
    fn rejects_bad_layouts() {
        for bad in [
            rows(&[]),
            rows(&[("A", "___")]),
            rows(&[("A", "SSX")]),
            rows(&[("A", "SS"), ("A", "SS")]),
            rows(&[("A", "SC_A")]),
            rows(&[("", "SS")]),
            rows(&[("A-1", "SS")]),
        ] {
            assert!(ScreenLayout::parse(&bad).is_err(), "{bad:?} accepted");
        }
    }
}
