//! Seat maps. On opening night thousands of buyers reload the map of one showtime, so the
//! seats and their states are kept as a snapshot per showtime and rebuilt only when the
//! database says they changed: every request reads the showtime's seat version (the sum
//! and count of its seats' row versions, which every seat change bumps) and its row, and
//! reuses the snapshot taken at that version. Requests that find the version new while a
//! rebuild is running wait for that one rebuild instead of starting their own. A map is
//! therefore never older than the last change committed before the request arrived, on
//! any instance. That read itself is shared by the requests that arrive together (see
//! [`FreshReads`]): each is served by a read that started after it arrived, so a herd
//! reloading one map costs a few reads, not one each. Prices and the hold clock are
//! applied per request.
//!
//! A venue's sections and seats never change once built, so they are read once per screen
//! and shared by its showtimes' snapshots; a rebuild reads only each seat's state (three
//! columns, no join), which keeps a stadium's 50,000 places cheap to read again after every
//! change of its on-sale.
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use marquee_entity::{seats, sections, show_seats, showtimes};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::cache::{FreshReads, Latest};
use crate::ids::{SectionId, ShowtimeId};

use super::super::{
    CatalogError, MapPlacement, PriceList, Seat, SeatCategory, SeatMap, SeatMapEdition,
    SeatMapSeat, SeatStatus, SectionKind,
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

/// One seat's state as stored, before the hold clock is applied.
#[derive(Debug, Clone, Copy)]
struct SeatState {
    status: SeatStatus,
    hold_expires_at: Option<DateTime<Utc>>,
}

/// A venue as built: its sections, and its seats grouped by section (in the venue's
/// order), then front row first, left to right.
#[derive(Debug)]
pub(super) struct Venue {
    pub(super) sections: Vec<StoredSection>,
    seats: Vec<Seat>,
    /// Where each seat is in `seats`.
    at: HashMap<Uuid, usize>,
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

/// A showtime's venue and the state of each of its seats (in the venue's seat order).
#[derive(Debug)]
pub(super) struct Snapshot {
    /// Unique to this snapshot among all taken by this process.
    generation: u64,
    pub(super) venue: Arc<Venue>,
    states: Vec<SeatState>,
    /// When the holds on its seats lapse, soonest first: the seats that read as held change
    /// only when the clock passes one of these.
    hold_expiries: Vec<DateTime<Utc>>,
}

/// A showtime with what says whether its snapshot is current.
#[derive(Clone)]
struct ShowtimeState {
    showtime: showtimes::Model,
    version_sum: i64,
    seat_count: i64,
    waiting: bool,
    prices: PriceList,
}

/// The showtime, its seats' version sum and count, whether its waiting line has anyone in
/// it (the free seats are then kept for the line), and its prices and its sections' own
/// (aggregated, as `PriceList::from_aggregates` reads them).
const STATE_SQL: &str = "SELECT s.*, v.version_sum, v.seat_count, EXISTS (SELECT 1 FROM \
    waitlist_entries w WHERE w.showtime_id = ? AND w.status = 'waiting') AS waiting, \
    (SELECT {concat}(category || '=' || price_cents, ',') FROM showtime_prices \
    WHERE showtime_id = ?) AS base_prices, \
    (SELECT {concat}({section} || ':' || category || '=' || price_cents, ',') \
    FROM section_prices WHERE showtime_id = ?) AS section_prices \
    FROM showtimes s, (SELECT COALESCE(SUM(version), 0) AS version_sum, COUNT(*) AS seat_count \
    FROM show_seats WHERE showtime_id = ?) v WHERE s.id = ?";

/// Numbers each snapshot taken.
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

/// The latest snapshot (or the one being taken) of each showtime's seats, and each
/// screen's venue (read once: its version never changes).
pub(super) struct SeatMapSnapshots {
    slots: Latest<ShowtimeId, SnapshotKey, Arc<Snapshot>>,
    venues: Latest<Uuid, (), Arc<Venue>>,
    /// Each showtime's state as read for the requests that arrived together.
    states: FreshReads<Uuid, Option<Arc<ShowtimeState>>, DbErr>,
}

impl Default for SeatMapSnapshots {
    fn default() -> Self {
        Self {
            slots: Latest::new(MAX_SNAPSHOTS),
            venues: Latest::new(MAX_SNAPSHOTS),
            states: FreshReads::default(),
        }
    }
}

/// A snapshot with what each request applies to it: prices and the clock.
pub(crate) struct LiveSeats {
    pub(super) showtime: showtimes::Model,
    pub(super) snapshot: Arc<Snapshot>,
    prices: PriceList,
    pub(super) now: DateTime<Utc>,
    free_status: SeatStatus,
}

impl LiveSeats {
    /// The seats of `range` as a buyer sees them now.
    pub(crate) fn seats(&self, range: Range<usize>) -> impl Iterator<Item = SeatMapSeat> + '_ {
        let venue = &self.snapshot.venue;
        venue.seats[range.clone()]
            .iter()
            .zip(&self.snapshot.states[range])
            .map(|(seat, s)| {
                let mut status = s.status;
                // An expired hold is available by definition; no sweeper needs to have run.
                if status == SeatStatus::Held && s.hold_expires_at.is_none_or(|t| t <= self.now) {
                    status = SeatStatus::Available;
                }
                if status == SeatStatus::Available {
                    status = self.free_status;
                }
                SeatMapSeat {
                    price_cents: self.prices.price(seat.section_id.uuid(), seat.category),
                    seat: seat.clone(),
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
        let range = section.seats.clone();
        let seats = &self.snapshot.venue.seats[range.clone()];
        for (seat, s) in seats.iter().zip(&self.snapshot.states[range]) {
            let free = match s.status {
                SeatStatus::Available => true,
                SeatStatus::Held => s.hold_expires_at.is_none_or(|t| t <= self.now),
                _ => false,
            };
            if free && self.free_status == SeatStatus::Available {
                available += 1;
            }
            if let Some(p) = self.prices.price(seat.section_id.uuid(), seat.category) {
                min = Some(min.map_or(p, |m| m.min(p)));
                max = Some(max.map_or(p, |m| m.max(p)));
            }
        }
        (available, min, max)
    }

    fn map(self: Arc<Self>, range: Range<usize>) -> SeatMap {
        let lapsed = self
            .snapshot
            .hold_expiries
            .partition_point(|t| *t <= self.now);
        SeatMap {
            showtime_id: self.showtime.id.into(),
            currency: self.showtime.currency.clone(),
            edition: SeatMapEdition {
                showtime: self.showtime.id.into(),
                first: range.start,
                end: range.end,
                snapshot: self.snapshot.generation,
                lapsed,
                free_held: self.free_status == SeatStatus::Held,
                prices: self.prices.fingerprint(),
            },
            range,
            live: self,
        }
    }
}

impl CatalogReader {
    /// The seat map of a showtime, with prices and live statuses.
    pub async fn seat_map(&self, id: ShowtimeId) -> Result<SeatMap, CatalogError> {
        let live = Arc::new(self.live_seats(id).await?);
        let all = 0..live.snapshot.states.len();
        Ok(live.map(all))
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
            .venue
            .sections
            .iter()
            .find(|s| s.id == section)
            .ok_or_else(|| CatalogError::not_found("section", section))?;
        let range = found.seats.clone();
        Ok(Arc::new(live).map(range))
    }

    /// The showtime's seats as stored (a snapshot reused while nothing changed), with this
    /// request's prices and clock.
    pub(super) async fn live_seats(&self, id: ShowtimeId) -> Result<LiveSeats, CatalogError> {
        let db = self.db.clone();
        let state = self
            .snapshots
            .states
            .read(
                id.uuid(),
                move || read_state(db.clone(), id.uuid()),
                || DbErr::Custom("the seat map's state read stopped".into()),
            )
            .await
            .map_err(CatalogError::SharedDatabase)?;
        let Some(state) = state else {
            return Err(CatalogError::not_found("showtime", id));
        };
        let ShowtimeState {
            showtime,
            version_sum,
            seat_count,
            waiting,
            prices,
        } = ShowtimeState::clone(&state);
        let key = SnapshotKey {
            showtime_updated_at: showtime.updated_at,
            version_sum,
            seat_count,
        };
        let snapshot = self
            .snapshots
            .slots
            .get_or_try_init(id, key, || self.stored_seats(id.uuid(), showtime.screen_id))
            .await?;
        // Free seats of a showtime people wait for are offered to them first: a buyer
        // cannot hold them, so they are not shown as available.
        let free_status = if waiting {
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

    /// Every seat of the showtime with its stored state: the venue (read once per screen)
    /// and each seat's state now.
    async fn stored_seats(
        &self,
        showtime: Uuid,
        screen: Uuid,
    ) -> Result<Arc<Snapshot>, CatalogError> {
        let venue = self
            .snapshots
            .venues
            .get_or_try_init(screen, (), || self.venue(screen))
            .await?;
        let rows: Vec<(Uuid, String, Option<DateTime<Utc>>)> = show_seats::Entity::find()
            .select_only()
            .column(show_seats::Column::SeatId)
            .column(show_seats::Column::Status)
            .column(show_seats::Column::HoldExpiresAt)
            .filter(show_seats::Column::ShowtimeId.eq(showtime))
            .into_tuple()
            .all(&self.db)
            .await?;
        // A seat with no row at this showtime is not for sale.
        let mut states = vec![
            SeatState {
                status: SeatStatus::Blocked,
                hold_expires_at: None,
            };
            venue.seats.len()
        ];
        for (seat, status, hold_expires_at) in rows {
            if let Some(&i) = venue.at.get(&seat) {
                states[i] = SeatState {
                    status: SeatStatus::parse(&status).unwrap_or(SeatStatus::Blocked),
                    hold_expires_at,
                };
            }
        }
        let mut hold_expiries: Vec<DateTime<Utc>> = states
            .iter()
            .filter(|s| s.status == SeatStatus::Held)
            .filter_map(|s| s.hold_expires_at)
            .collect();
        hold_expiries.sort_unstable();
        Ok(Arc::new(Snapshot {
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
            venue,
            states,
            hold_expiries,
        }))
    }

    /// A screen's sections and seats, in the venue's order.
    async fn venue(&self, screen: Uuid) -> Result<Arc<Venue>, CatalogError> {
        let (sections, rows) = tokio::try_join!(
            sections::Entity::find()
                .filter(sections::Column::ScreenId.eq(screen))
                .order_by_asc(sections::Column::Position)
                .all(&self.db),
            seats::Entity::find()
                .filter(seats::Column::ScreenId.eq(screen))
                .all(&self.db),
        )?;
        let order: HashMap<Uuid, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let mut stored: Vec<(usize, Seat)> = rows
            .into_iter()
            .filter_map(|seat| {
                let at = *order.get(&seat.section_id)?;
                Some((
                    at,
                    Seat {
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
                ))
            })
            .collect();
        stored.sort_unstable_by_key(|(at, s)| (*at, s.y, s.x));
        let mut out = Venue {
            sections: Vec::with_capacity(sections.len()),
            seats: Vec::with_capacity(stored.len()),
            at: HashMap::with_capacity(stored.len()),
        };
        let mut stored = stored.into_iter().peekable();
        for (at, section) in sections.into_iter().enumerate() {
            let first = out.seats.len();
            while let Some((_, seat)) = stored.next_if(|(i, _)| *i == at) {
                out.at.insert(seat.id.uuid(), out.seats.len());
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

/// The showtime's row, the sum and count of its seats' versions, whether anyone waits
/// for it, and its prices, in one statement: what every map request must read fresh.
async fn read_state(
    db: DatabaseConnection,
    showtime: Uuid,
) -> Result<Option<Arc<ShowtimeState>>, DbErr> {
    let backend = db.get_database_backend();
    let (sql, binds) = match backend {
        DbBackend::Postgres => (
            STATE_SQL
                .replace("{section}", "CAST(section_id AS TEXT)")
                .replace("{concat}", "string_agg")
                .replace('?', "$1"),
            1,
        ),
        _ => (
            STATE_SQL
                .replace("{section}", "hex(section_id)")
                .replace("{concat}", "group_concat"),
            5,
        ),
    };
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            vec![sea_orm::Value::from(showtime); binds],
        ))
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Arc::new(ShowtimeState {
        showtime: showtimes::Model::from_query_result(&row, "")?,
        version_sum: row.try_get("", "version_sum")?,
        seat_count: row.try_get("", "seat_count")?,
        waiting: row.try_get("", "waiting")?,
        prices: PriceList::from_aggregates(
            row.try_get::<Option<String>>("", "base_prices")?.as_deref(),
            row.try_get::<Option<String>>("", "section_prices")?
                .as_deref(),
        ),
    })))
}
