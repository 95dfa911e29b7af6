//! Demo theatres: names and places around each city, screens and their seat layouts.

use std::collections::HashSet;

use super::data::{self, City};
use super::generate::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Studio,
    Standard,
    Large,
    Imax,
    Dolby,
    Hall,
}

/// What showtime planning needs beyond the public theatre record.
pub(super) struct Site {
    pub(super) city: &'static City,
    pub(super) kinds: Vec<Kind>,
}

pub(super) fn theatres(rng: &mut Rng) -> (Vec<DemoTheatre>, Vec<Site>) {
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
                    sections: Vec::new(),
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

pub(super) fn screen_kinds(rng: &mut Rng, count: usize, hall: bool) -> Vec<Kind> {
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
pub(super) fn jitter(rng: &mut Rng, city: &City) -> (f64, f64) {
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
pub(super) struct Shape {
    pub(super) blocks: Vec<usize>,
    pub(super) aisle: usize,
    pub(super) front_trim: usize,
    pub(super) premium_band: bool,
    pub(super) recliner_back: bool,
    pub(super) recliner_from: Option<usize>,
}

pub(super) fn layout(rng: &mut Rng, kind: Kind) -> Vec<DemoRow> {
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

pub(super) fn build_rows(shape: &Shape, count: usize) -> Vec<DemoRow> {
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
pub(super) fn row_label(i: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let letter = char::from(LETTERS[i % LETTERS.len()]);
    std::iter::repeat_n(letter, i / LETTERS.len() + 1).collect()
}

pub(super) fn seat_count(rows: &[DemoRow]) -> usize {
    rows.iter()
        .map(|r| r.layout.chars().filter(|&c| c != '_').count())
        .sum()
}
