//! Choosing the best available seats: adjacent in one row, near the centre and a little
//! behind the middle of the room, never stranding a single seat between taken ones when
//! that can be avoided. A wheelchair space comes with its companion seat. In a venue of
//! sections the seats come from one section (rows and columns are the section's own), the
//! first in the venue's order that has them without stranding a seat.

use std::collections::{BTreeMap, HashMap, HashSet};

use marquee_entity::{seats, sections, show_seats};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::accounts::Principal;
use crate::catalog::{SeatCategory, SeatStatus};
use crate::ids::{SeatId, SectionId, ShowtimeId};

use super::{Booking, BookingError, BookingService, HoldRequest};

/// A seat of the map as the chooser sees it.
#[derive(Debug, Clone, Copy)]
pub struct MapSeat {
    /// Seat.
    pub id: SeatId,
    /// Its section's place in the venue's order (0 first).
    pub section: i32,
    /// Grid column.
    pub x: i32,
    /// Grid row (0 nearest the screen).
    pub y: i32,
    /// Category.
    pub category: SeatCategory,
    /// Free to hold now.
    pub free: bool,
}

/// A stranded single seat costs more than any distance.
const ORPHAN_PENALTY: f64 = 10_000.0;

/// The best `count` seats of `category` (one price level), or `None` when no row of any
/// section has them side by side. Sections are tried in the venue's order, which is the
/// promoter's ranking; a choice that strands a seat is taken only when no section avoids it.
pub fn choose(map: &[MapSeat], count: usize, category: SeatCategory) -> Option<Vec<SeatId>> {
    let mut sections: BTreeMap<i32, Vec<MapSeat>> = BTreeMap::new();
    for s in map {
        sections.entry(s.section).or_default().push(*s);
    }
    let mut fallback: Option<(f64, Vec<SeatId>)> = None;
    for seats in sections.values() {
        let Some((score, chosen)) = choose_in_section(seats, count, category) else {
            continue;
        };
        if score < ORPHAN_PENALTY {
            return Some(chosen);
        }
        if fallback.as_ref().is_none_or(|(b, _)| score < *b) {
            fallback = Some((score, chosen));
        }
    }
    fallback.map(|(_, seats)| seats)
}

/// The best choice within one section's grid, with its score (lower is better).
fn choose_in_section(
    map: &[MapSeat],
    count: usize,
    category: SeatCategory,
) -> Option<(f64, Vec<SeatId>)> {
    if map.is_empty() || count == 0 {
        return None;
    }
    let min_x = map.iter().map(|s| s.x).min()?;
    let max_x = map.iter().map(|s| s.x).max()?;
    let max_y = map.iter().map(|s| s.y).max()?;
    let centre = f64::from(min_x + max_x) / 2.0;
    let ideal_row = f64::from(max_y) * 0.6;
    let mut rows: BTreeMap<i32, Vec<MapSeat>> = BTreeMap::new();
    for s in map {
        rows.entry(s.y).or_default().push(*s);
    }
    for row in rows.values_mut() {
        row.sort_by_key(|s| s.x);
    }
    let place =
        |y: i32, centre_x: f64| (f64::from(y) - ideal_row).abs() * 3.0 + (centre_x - centre).abs();
    let mut best: Option<(f64, Vec<SeatId>)> = None;
    let mut offer = |score: f64, seats: Vec<SeatId>| {
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, seats));
        }
    };

    if category == SeatCategory::Accessible {
        // Each wheelchair space with a free companion seat beside it.
        for row in rows.values() {
            for (i, s) in row.iter().enumerate() {
                if s.category != SeatCategory::Accessible || !s.free {
                    continue;
                }
                let beside = |j: Option<usize>| {
                    j.and_then(|j| row.get(j)).filter(|c| {
                        c.category == SeatCategory::Companion && c.free && (c.x - s.x).abs() == 1
                    })
                };
                let mut chosen = vec![s.id];
                let companion = beside(i.checked_sub(1)).or_else(|| beside(Some(i + 1)));
                chosen.extend(companion.map(|c| c.id));
                let missing_companion = if companion.is_some() { 0.0 } else { 100.0 };
                offer(place(s.y, f64::from(s.x)) + missing_companion, chosen);
            }
        }
        return best;
    }

    for row in rows.values() {
        // Runs of neighbouring seats of the category (an aisle or another category breaks a run).
        let mut runs: Vec<Vec<MapSeat>> = Vec::new();
        for s in row.iter().filter(|s| s.category == category) {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|l| s.x - l.x == 1) => run.push(*s),
                _ => runs.push(vec![*s]),
            }
        }
        for run in &runs {
            // Stretches of free seats inside the run; a window must fit inside one.
            let mut start = 0;
            while start < run.len() {
                if !run[start].free {
                    start += 1;
                    continue;
                }
                let mut end = start;
                while end + 1 < run.len() && run[end + 1].free {
                    end += 1;
                }
                let stretch = &run[start..=end];
                if stretch.len() >= count {
                    for w in 0..=stretch.len() - count {
                        let left = w;
                        let right = stretch.len() - count - w;
                        let orphans = usize::from(left == 1) + usize::from(right == 1);
                        let window = &stretch[w..w + count];
                        let mid = f64::from(window[0].x + window[count - 1].x) / 2.0;
                        offer(
                            place(window[0].y, mid) + ORPHAN_PENALTY * orphans as f64,
                            window.iter().map(|s| s.id).collect(),
                        );
                    }
                }
                start = end + 1;
            }
        }
    }
    best
}

impl BookingService {
    /// Holds the best `count` adjacent seats of `category` (for a wheelchair space, with
    /// its companion seat), retrying when a faster buyer takes the chosen ones.
    #[tracing::instrument(skip_all, fields(showtime_id = %showtime), err)]
    pub async fn hold_best_available(
        &self,
        who: &Principal,
        showtime: ShowtimeId,
        count: usize,
        category: SeatCategory,
        section: Option<SectionId>,
        idempotency_key: Option<String>,
    ) -> Result<Booking, BookingError> {
        if count == 0 || count > self.settings.max_seats {
            return Err(BookingError::invalid(
                "count",
                format!("between 1 and {} seats", self.settings.max_seats),
            ));
        }
        if category == SeatCategory::Accessible && count != 1 {
            return Err(BookingError::invalid(
                "count",
                "one wheelchair space (with its companion seat) at a time",
            ));
        }
        if category == SeatCategory::Companion {
            return Err(BookingError::invalid(
                "category",
                "companion seats come with a wheelchair space",
            ));
        }
        let mut last = BookingError::SeatUnavailable(Vec::new());
        for _ in 0..3 {
            let map = self.map_for_choice(showtime, None, section).await?;
            if map.is_empty() {
                return match section {
                    // A section with no seats is general admission (or of another venue,
                    // which the places' pricing refuses): any of its places is as good as
                    // another, so the best available are `count` of them.
                    Some(section) => {
                        let request = HoldRequest {
                            showtime_id: showtime,
                            seat_ids: Vec::new(),
                            places: vec![super::PlaceRequest {
                                section_id: section,
                                quantity: i32::try_from(count).unwrap_or(i32::MAX),
                            }],
                            idempotency_key,
                        };
                        self.hold_seats(who, request).await
                    }
                    None => Err(BookingError::not_found("showtime", showtime)),
                };
            }
            let Some(seat_ids) = choose(&map, count, category) else {
                return Err(BookingError::SeatUnavailable(Vec::new()));
            };
            let request = HoldRequest {
                showtime_id: showtime,
                seat_ids,
                places: Vec::new(),
                idempotency_key: idempotency_key.clone(),
            };
            match self.hold_seats(who, request).await {
                Err(BookingError::SeatUnavailable(taken)) => {
                    last = BookingError::SeatUnavailable(taken)
                }
                other => return other,
            }
        }
        Err(last)
    }

    /// The seat map for choosing (of one section, when given); seats still held by `ours`
    /// count as free for it.
    pub(super) async fn map_for_choice(
        &self,
        showtime: ShowtimeId,
        ours: Option<crate::ids::BookingId>,
        section: Option<SectionId>,
    ) -> Result<Vec<MapSeat>, BookingError> {
        let now = self.clock.now();
        let mut find = show_seats::Entity::find()
            .filter(show_seats::Column::ShowtimeId.eq(showtime.uuid()))
            .find_also_related(seats::Entity);
        if let Some(section) = section {
            find = find.filter(seats::Column::SectionId.eq(section.uuid()));
        }
        let rows = find.all(&self.db).await?;
        let in_venue: HashSet<Uuid> = rows
            .iter()
            .filter_map(|(_, seat)| seat.as_ref().map(|s| s.section_id))
            .collect();
        let order: HashMap<Uuid, i32> = sections::Entity::find()
            .filter(sections::Column::Id.is_in(in_venue))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.position))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|(state, seat)| {
                let seat = seat?;
                let held = state.status == SeatStatus::Held.as_str();
                let lapsed = held && state.hold_expires_at.is_none_or(|t| t <= now);
                let mine = held && ours.is_some_and(|b| state.booking_id == Some(b.uuid()));
                Some(MapSeat {
                    id: seat.id.into(),
                    section: order.get(&seat.section_id).copied().unwrap_or(i32::MAX),
                    x: seat.x,
                    y: seat.y,
                    category: SeatCategory::parse(&seat.category).unwrap_or(SeatCategory::Standard),
                    free: state.status == SeatStatus::Available.as_str() || lapsed || mine,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map from rows of notation: `.` free standard, `x` taken standard, `A`/`C` free
    /// wheelchair/companion, `a`/`c` taken ones, `_` aisle.
    fn map(rows: &[&str]) -> (Vec<MapSeat>, Vec<Vec<Option<SeatId>>>) {
        in_section(0, rows)
    }

    fn in_section(section: i32, rows: &[&str]) -> (Vec<MapSeat>, Vec<Vec<Option<SeatId>>>) {
        let mut seats = Vec::new();
        let mut grid = Vec::new();
        for (y, row) in rows.iter().enumerate() {
            let mut line = Vec::new();
            for (x, c) in row.chars().enumerate() {
                let (category, free) = match c {
                    '.' => (SeatCategory::Standard, true),
                    'x' => (SeatCategory::Standard, false),
                    'A' => (SeatCategory::Accessible, true),
                    'a' => (SeatCategory::Accessible, false),
                    'C' => (SeatCategory::Companion, true),
                    'c' => (SeatCategory::Companion, false),
                    _ => {
                        line.push(None);
                        continue;
                    }
                };
                let id = SeatId::generate();
                seats.push(MapSeat {
                    id,
                    section,
                    x: x as i32,
                    y: y as i32,
                    category,
                    free,
                });
                line.push(Some(id));
            }
            grid.push(line);
        }
        (seats, grid)
    }

    fn at(grid: &[Vec<Option<SeatId>>], y: usize, x: usize) -> SeatId {
        grid[y][x].unwrap()
    }

    #[test]
    fn prefers_the_centre_a_little_behind_the_middle() {
        let (seats, grid) = map(&[
            "..........",
            "..........",
            "..........",
            "..........",
            "..........",
            "..........",
        ]);
        let chosen = choose(&seats, 2, SeatCategory::Standard).unwrap();
        // Row 3 of 0..=5 (60% back), columns 4 and 5 around the centre 4.5.
        assert_eq!(chosen, vec![at(&grid, 3, 4), at(&grid, 3, 5)]);
    }

    #[test]
    fn keeps_seats_together_and_respects_aisles() {
        let (seats, grid) = map(&["..x.._.."]);
        let chosen = choose(&seats, 3, SeatCategory::Standard);
        assert!(chosen.is_none(), "no three neighbours exist: {chosen:?}");
        let chosen = choose(&seats, 2, SeatCategory::Standard).unwrap();
        assert!(
            chosen == vec![at(&grid, 0, 3), at(&grid, 0, 4)]
                || chosen == vec![at(&grid, 0, 6), at(&grid, 0, 7)]
                || chosen == vec![at(&grid, 0, 0), at(&grid, 0, 1)]
        );
    }

    #[test]
    fn never_strands_a_single_seat_when_it_can_avoid_it() {
        // A run of five between taken seats: taking the middle two would leave 1 + 2;
        // taking either end pair leaves three together.
        let (seats, grid) = map(&["x.....x"]);
        let chosen = choose(&seats, 2, SeatCategory::Standard).unwrap();
        assert!(
            chosen == vec![at(&grid, 0, 1), at(&grid, 0, 2)]
                || chosen == vec![at(&grid, 0, 4), at(&grid, 0, 5)],
            "{chosen:?}"
        );
    }

    #[test]
    fn a_wheelchair_space_comes_with_its_companion_seat() {
        let (seats, grid) = map(&["ac....CA", "........"]);
        let chosen = choose(&seats, 1, SeatCategory::Accessible).unwrap();
        assert_eq!(chosen, vec![at(&grid, 0, 7), at(&grid, 0, 6)]);
        let (seats, _) = map(&["ac......"]);
        assert!(choose(&seats, 1, SeatCategory::Accessible).is_none());
    }

    #[test]
    fn seats_come_from_one_section_in_the_venues_order() {
        // Row 0 of two sections side by side on their own grids: free columns 2-3 of the
        // first and 4-5 of the second would look like four neighbours in one row.
        let (mut seats, _) = in_section(0, &["xx.."]);
        let (second, _) = in_section(1, &["____..xx"]);
        seats.extend(second);
        assert!(choose(&seats, 4, SeatCategory::Standard).is_none());
        // The first section is full for three; the second has them.
        let (mut seats, _) = in_section(0, &["x.x.x"]);
        let (second, grid2) = in_section(1, &["..."]);
        seats.extend(second);
        let chosen = choose(&seats, 3, SeatCategory::Standard).unwrap();
        assert_eq!(
            chosen,
            vec![at(&grid2, 0, 0), at(&grid2, 0, 1), at(&grid2, 0, 2)]
        );
        // Both have two; the first section in the venue's order wins.
        let (mut seats, first) = in_section(0, &["x..x"]);
        let (second, _) = in_section(1, &["...."]);
        seats.extend(second);
        let chosen = choose(&seats, 2, SeatCategory::Standard).unwrap();
        assert_eq!(chosen, vec![at(&first, 0, 1), at(&first, 0, 2)]);
    }
}
