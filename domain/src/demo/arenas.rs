//! Two venues of sections for live events, with shows on sale: an arena around a standing
//! floor, and a stadium of 30,000 places around its field. What a promoter's tour plays,
//! beside the cinemas' single-section screens.

use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};

use crate::catalog::{MapPlacement, SeatCategory, SectionKind, SectionSpec};

use super::data::{self, City};
use super::generate::*;
use super::titles::Acts;

/// A venue of sections: where it stands and what it is made of.
struct Plan {
    name: &'static str,
    city: &'static City,
    address: &'static str,
    screen: &'static str,
    sections: Vec<SectionSpec>,
    /// Which act plays, among those of `category`, and the evenings (days from today).
    category: &'static str,
    nights: &'static [u64],
    /// Local start, in minutes after midnight.
    minute: u32,
}

/// `rows` rows of `width` seats labelled from A, the first `premium` rows premium; the
/// last row ends in wheelchair spaces with their companions' seats.
fn rows(count: usize, width: usize, premium: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            let layout = if i + 1 == count && width >= 8 {
                format!("AC{}CA", "S".repeat(width - 4))
            } else if i < premium {
                "P".repeat(width)
            } else {
                "S".repeat(width)
            };
            (super::venues::row_label(i), layout)
        })
        .collect()
}

fn reserved(name: String, rows: Vec<(String, String)>, map: MapPlacement) -> SectionSpec {
    SectionSpec {
        name,
        rows,
        map: Some(map),
        kind: SectionKind::Reserved,
        capacity: None,
        category: None,
    }
}

fn standing(name: &str, capacity: i64, map: MapPlacement) -> SectionSpec {
    SectionSpec {
        name: name.to_owned(),
        rows: Vec::new(),
        map: Some(map),
        kind: SectionKind::General,
        capacity: Some(capacity),
        category: Some(SeatCategory::Standard),
    }
}

fn at(x: i32, y: i32, width: i32, height: i32) -> MapPlacement {
    MapPlacement {
        x,
        y,
        width,
        height,
    }
}

/// Sections `first`, `first + 1`, … in a ring around the middle of a 100 × 100 map,
/// clockwise from the top: `per_side` along each side, `depth` deep at `inset` from the
/// edge, the corners left open.
fn ring(
    first: usize,
    per_side: usize,
    inset: i32,
    depth: i32,
    layout: impl Fn() -> Vec<(String, String)>,
) -> Vec<SectionSpec> {
    let (near, far) = (inset + depth, 100 - inset - depth);
    let step = (far - near) / per_side as i32;
    let mut out = Vec::new();
    for side in 0..4 {
        for i in 0..per_side as i32 {
            let map = match side {
                0 => at(near + step * i, inset, step - 1, depth),
                1 => at(far, near + step * i, depth, step - 1),
                2 => at(far - step * (i + 1), far, step - 1, depth),
                _ => at(inset, far - step * (i + 1), depth, step - 1),
            };
            let name = (first + side * per_side + i as usize).to_string();
            out.push(reserved(name, layout(), map));
        }
    }
    out
}

fn plans() -> Vec<Plan> {
    // The arena: a standing floor of 2,500 in the middle, 12 lower sections of 12 rows of
    // 24 (three premium rows), 16 upper ones of 15 rows of 28.
    let mut arena = vec![standing("Floor", 2_500, at(30, 30, 40, 40))];
    arena.extend(ring(101, 3, 16, 10, || rows(12, 24, 3)));
    arena.extend(ring(201, 4, 2, 12, || rows(15, 28, 0)));
    // The stadium: a field of 10,000 standing, 20 sections of 25 rows of 40 around it.
    let mut stadium = vec![standing("Field", 10_000, at(25, 25, 50, 50))];
    stadium.extend(ring(101, 5, 4, 18, || rows(25, 40, 4)));
    vec![
        Plan {
            name: "Marquee Arena",
            city: &data::CITIES[0],
            address: "4 Pennsylvania Plaza",
            screen: "Arena",
            sections: arena,
            category: "concert",
            nights: &[1, 2, 4],
            minute: 20 * 60,
        },
        Plan {
            name: "Marquee Stadium",
            city: &data::CITIES[1],
            address: "1001 Stadium Drive",
            screen: "Stadium",
            sections: stadium,
            category: "sports",
            nights: &[5, 6],
            minute: 19 * 60 + 30,
        },
    ]
}

/// The venues of sections, to follow the `first` theatres, with their shows from `today`.
pub(super) fn arenas(
    rng: &mut Rng,
    today: NaiveDate,
    first: usize,
    acts: &Acts,
) -> (Vec<DemoTheatre>, Vec<DemoShowtime>) {
    let mut venues = Vec::new();
    let mut shows = Vec::new();
    for (i, plan) in plans().into_iter().enumerate() {
        let candidates: Vec<usize> = (0..acts.list.len())
            .filter(|&a| acts.list[a].category == plan.category)
            .collect();
        let categories: Vec<&str> = CATEGORIES
            .iter()
            .filter(|(c, _)| {
                plan.sections
                    .iter()
                    .any(|s| s.rows.iter().any(|(_, layout)| layout.contains(*c)))
            })
            .map(|&(_, name)| name)
            .collect();
        for &night in plan.nights {
            let Some(act) = candidates.get(rng.below(candidates.len().max(1))) else {
                continue;
            };
            let Some(date) = today.checked_add_days(Days::new(night)) else {
                continue;
            };
            let weekend = matches!(date.weekday(), Weekday::Fri | Weekday::Sat);
            let Some(local) = date.and_hms_opt(plan.minute / 60, plan.minute % 60, 0) else {
                continue;
            };
            let Some(starts) = plan.city.tz.from_local_datetime(&local).earliest() else {
                continue;
            };
            let standard = (acts.price.get(*act).copied().unwrap_or(5_000)
                + if weekend { 1_000 } else { 0 })
            .min(12_000);
            let prices = categories
                .iter()
                .map(|&c| {
                    let extra = if c == "premium" { standard / 2 } else { 0 };
                    (c.to_owned(), standard + extra)
                })
                .collect();
            shows.push(DemoShowtime {
                theatre: first + i,
                screen: 0,
                title: DemoTitle::Event(*act),
                starts_at: starts.with_timezone(&Utc),
                prices,
            });
        }
        let zip = plan.city.zips.split(' ').next().unwrap_or_default();
        venues.push(DemoTheatre {
            name: plan.name.to_owned(),
            address: plan.address.to_owned(),
            city: plan.city.name.to_owned(),
            state: plan.city.state.to_owned(),
            zip: zip.to_owned(),
            latitude: plan.city.lat,
            longitude: plan.city.lon,
            timezone: plan.city.tz.name().to_owned(),
            screens: vec![DemoScreen {
                name: plan.screen.to_owned(),
                rows: Vec::new(),
                sections: plan.sections,
            }],
        });
    }
    (venues, shows)
}
