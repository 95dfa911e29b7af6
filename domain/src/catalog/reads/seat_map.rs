//! Seat maps. On opening night thousands of buyers reload the map of one showtime, so the
//! seats and their states are kept as a snapshot per showtime and rebuilt only when the
//! database says they changed: every request reads the showtime's seat version (the sum
//! and count of its seats' row versions, which every seat change bumps) and its row, and
//! reuses the snapshot taken at that version. Requests that find the version new while a
//! rebuild is running wait for that one rebuild instead of starting their own. A map is
//! therefore never older than the last change committed before the request arrived, on
//! any instance. Prices and the hold clock are applied per request.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use marquee_entity::{seats, sections, show_seats, showtimes};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::ids::{SectionId, ShowtimeId};

use super::super::{
    CatalogError, MapPlacement, PriceList, Seat, SeatCategory, SeatMap, SeatMapSeat, SeatStatus,
    SectionKind,
};
use super::CatalogReader;

/// Beyond this many showtimes the snapshots are dropped rather than grown.
const MAX_SNAPSHOTS: usize = 4_096;

/// What a snapshot was taken at: the same key means the same seats in the same states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SnapshotKey {
    /// A move to another screen replaces the seat rows and touches the showtime row.
    showtime_updated_at: DateTime<Utc>,
    version_sum: i64,
    seat_count: i64,
}

/// One seat as stored, before the hold clock is applied.
#[derive(Debug, Clone)]
struct StoredSeat {
    seat: Seat,
    status: SeatStatus,
    hold_expires_at: Option<DateTime<Utc>>,
}

/// One section of the venue and where its seats are in the snapshot.
#[derive(Debug, Clone)]
pub(super) struct StoredSection {
    pub(super) id: SectionId,
    pub(super) name: String,
    pub(super) kind: SectionKind,
    pub(super) capacity: i64,
    /// A general-admission section's price category.
    pub(super) category: Option<SeatCategory>,
    pub(super) map: MapPlacement,
    seats: Range<usize>,
}

/// A showtime's sections and seats, seats grouped by section (in the venue's order), then
/// front row first, left to right.
#[derive(Debug)]
pub(super) struct Snapshot {
    pub(super) sections: Vec<StoredSection>,
    seats: Vec<StoredSeat>,
}

#[derive(Debug)]
struct Slot {
    key: SnapshotKey,
    seats: OnceCell<Arc<Snapshot>>,
}

/// The latest snapshot (or the one being taken) of each showtime's seats.
#[derive(Debug, Default)]
pub(super) struct SeatMapSnapshots {
    slots: Mutex<HashMap<ShowtimeId, Arc<Slot>>>,
}

impl SeatMapSnapshots {
    /// The slot for `key`, replacing a slot of an older version.
    fn slot(&self, id: ShowtimeId, key: SnapshotKey) -> Arc<Slot> {
        let fresh = || {
            Arc::new(Slot {
                key,
                seats: OnceCell::new(),
            })
        };
        let Ok(mut slots) = self.slots.lock() else {
            return fresh();
        };
        if let Some(slot) = slots.get(&id).filter(|s| s.key == key) {
            return slot.clone();
        }
        if slots.len() >= MAX_SNAPSHOTS {
            slots.clear();
        }
        let slot = fresh();
        slots.insert(id, slot.clone());
        slot
    }
}

/// A snapshot with what each request applies to it: prices and the clock.
pub(super) struct LiveSeats {
    pub(super) showtime: showtimes::Model,
    pub(super) snapshot: Arc<Snapshot>,
    prices: PriceList,
    pub(super) now: DateTime<Utc>,
    free_status: SeatStatus,
}

impl LiveSeats {
    /// The seats of `range` as a buyer sees them now.
    fn seats(&self, range: Range<usize>) -> impl Iterator<Item = SeatMapSeat> + '_ {
        self.snapshot.seats[range].iter().map(|s| {
            let mut status = s.status;
            // An expired hold is available by definition; no sweeper needs to have run.
            if status == SeatStatus::Held && s.hold_expires_at.is_none_or(|t| t <= self.now) {
                status = SeatStatus::Available;
            }
            if status == SeatStatus::Available {
                status = self.free_status;
            }
            SeatMapSeat {
                price_cents: self.prices.price(s.seat.section_id.uuid(), s.seat.category),
                seat: s.seat.clone(),
                status,
            }
        })
    }

    /// A section's capacity, places available now and price range, without cloning seats.
    /// The price of a category in a section at this showtime.
    pub(super) fn price_of(&self, section: SectionId, category: SeatCategory) -> Option<i64> {
        self.prices.price(section.uuid(), category)
    }

    pub(super) fn summary(&self, section: &StoredSection) -> (i64, Option<i64>, Option<i64>) {
        let mut available = 0i64;
        let (mut min, mut max) = (None::<i64>, None::<i64>);
        for s in &self.snapshot.seats[section.seats.clone()] {
            let free = match s.status {
                SeatStatus::Available => true,
                SeatStatus::Held => s.hold_expires_at.is_none_or(|t| t <= self.now),
                _ => false,
            };
            if free && self.free_status == SeatStatus::Available {
                available += 1;
            }
            if let Some(p) = self.prices.price(s.seat.section_id.uuid(), s.seat.category) {
                min = Some(min.map_or(p, |m| m.min(p)));
                max = Some(max.map_or(p, |m| m.max(p)));
            }
        }
        (available, min, max)
    }

    fn map(&self, range: Range<usize>) -> SeatMap {
        SeatMap {
            showtime_id: self.showtime.id.into(),
            currency: self.showtime.currency.clone(),
            seats: self.seats(range).collect(),
        }
    }
}

impl CatalogReader {
    /// The seat map of a showtime, with prices and live statuses.
    pub async fn seat_map(&self, id: ShowtimeId) -> Result<SeatMap, CatalogError> {
        let live = self.live_seats(id).await?;
        Ok(live.map(0..live.snapshot.seats.len()))
    }

    /// The seats of one section of a showtime's venue.
    pub async fn section_seat_map(
        &self,
        id: ShowtimeId,
        section: SectionId,
    ) -> Result<SeatMap, CatalogError> {
        let live = self.live_seats(id).await?;
        let found = live
            .snapshot
            .sections
            .iter()
            .find(|s| s.id == section)
            .ok_or_else(|| CatalogError::not_found("section", section))?;
        Ok(live.map(found.seats.clone()))
    }

    /// The showtime's seats as stored (a snapshot reused while nothing changed), with this
    /// request's prices and clock.
    pub(super) async fn live_seats(&self, id: ShowtimeId) -> Result<LiveSeats, CatalogError> {
        let showtime = showtimes::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("showtime", id))?;
        let (version_sum, seat_count) = show_seats::Entity::find()
            .select_only()
            .column_as(
                Expr::expr(Func::sum(Expr::col(show_seats::Column::Version))),
                "version_sum",
            )
            .column_as(
                Expr::expr(Func::count(Expr::col(show_seats::Column::SeatId))),
                "seat_count",
            )
            .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
            .into_tuple::<(Option<i64>, i64)>()
            .one(&self.db)
            .await?
            .unwrap_or((None, 0));
        let key = SnapshotKey {
            showtime_updated_at: showtime.updated_at,
            version_sum: version_sum.unwrap_or(0),
            seat_count,
        };
        let prices = PriceList::load(&self.db, id.uuid()).await?;
        let slot = self.snapshots.slot(id, key);
        let snapshot = slot
            .seats
            .get_or_try_init(|| self.stored_seats(id.uuid(), showtime.screen_id))
            .await?
            .clone();
        // Free seats of a showtime people wait for are offered to them first: a buyer
        // cannot hold them, so they are not shown as available.
        let free_status = if crate::booking::anyone_waiting(&self.db, id.uuid()).await? {
            SeatStatus::Held
        } else {
            SeatStatus::Available
        };
        Ok(LiveSeats {
            showtime,
            snapshot,
            prices,
            now: self.clock.now(),
            free_status,
        })
    }

    /// Every seat of the showtime with its stored state, grouped by section.
    async fn stored_seats(
        &self,
        showtime: Uuid,
        screen: Uuid,
    ) -> Result<Arc<Snapshot>, CatalogError> {
        let sections = sections::Entity::find()
            .filter(sections::Column::ScreenId.eq(screen))
            .order_by_asc(sections::Column::Position)
            .all(&self.db)
            .await?;
        let rows = show_seats::Entity::find()
            .filter(show_seats::Column::ShowtimeId.eq(showtime))
            .find_also_related(seats::Entity)
            .all(&self.db)
            .await?;
        let order: HashMap<Uuid, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let mut stored: Vec<(usize, StoredSeat)> = rows
            .into_iter()
            .filter_map(|(state, seat)| {
                let seat = seat?;
                let at = *order.get(&seat.section_id)?;
                Some((
                    at,
                    StoredSeat {
                        seat: Seat {
                            id: seat.id.into(),
                            section_id: seat.section_id.into(),
                            section: sections[at].name.clone(),
                            row: seat.row_label,
                            number: seat.number,
                            category: SeatCategory::parse(&seat.category)
                                .unwrap_or(SeatCategory::Standard),
                            x: seat.x,
                            y: seat.y,
                        },
                        status: SeatStatus::parse(&state.status).unwrap_or(SeatStatus::Blocked),
                        hold_expires_at: state.hold_expires_at,
                    },
                ))
            })
            .collect();
        stored.sort_unstable_by_key(|(at, s)| (*at, s.seat.y, s.seat.x));
        let mut out = Snapshot {
            sections: Vec::with_capacity(sections.len()),
            seats: Vec::with_capacity(stored.len()),
        };
        let mut stored = stored.into_iter().peekable();
        for (at, section) in sections.into_iter().enumerate() {
            let first = out.seats.len();
            while let Some((_, seat)) = stored.next_if(|(i, _)| *i == at) {
                out.seats.push(seat);
            }
            out.sections.push(StoredSection {
                id: section.id.into(),
                name: section.name,
                kind: SectionKind::parse(&section.kind).unwrap_or(SectionKind::Reserved),
                capacity: i64::from(section.capacity),
                category: section.category.as_deref().and_then(SeatCategory::parse),
                map: MapPlacement {
                    x: section.map_x,
                    y: section.map_y,
                    width: section.map_width,
                    height: section.map_height,
                },
                seats: first..out.seats.len(),
            });
        }
        Ok(Arc::new(out))
    }
}
