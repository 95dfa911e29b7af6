//! Seat maps. On opening night thousands of buyers reload the map of one showtime, so the
//! seats and their states are kept as a snapshot per showtime and rebuilt only when the
//! database says they changed: every request reads the showtime's seat version (the sum
//! and count of its seats' row versions, which every seat change bumps) and its row, and
//! reuses the snapshot taken at that version. Requests that find the version new while a
//! rebuild is running wait for that one rebuild instead of starting their own. A map is
//! therefore never older than the last change committed before the request arrived, on
//! any instance. Prices and the hold clock are applied per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use marquee_entity::{seats, show_seats, showtimes};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::ids::ShowtimeId;

use super::super::{CatalogError, Seat, SeatCategory, SeatMap, SeatMapSeat, SeatStatus};
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

#[derive(Debug)]
struct Slot {
    key: SnapshotKey,
    seats: OnceCell<Arc<Vec<StoredSeat>>>,
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

impl CatalogReader {
    /// The seat map of a showtime, with prices and live statuses.
    pub async fn seat_map(&self, id: ShowtimeId) -> Result<SeatMap, CatalogError> {
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
        let prices: HashMap<SeatCategory, i64> = self
            .prices_by_showtimes(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.category, p.price_cents))
            .collect();
        let slot = self.snapshots.slot(id, key);
        let stored = slot
            .seats
            .get_or_try_init(|| self.stored_seats(id.uuid()))
            .await?;
        let now = self.clock.now();
        // Free seats of a showtime people wait for are offered to them first: a buyer
        // cannot hold them, so they are not shown as available.
        let free_status = if crate::booking::anyone_waiting(&self.db, id.uuid()).await? {
            SeatStatus::Held
        } else {
            SeatStatus::Available
        };
        let seats = stored
            .iter()
            .map(|s| {
                let mut status = s.status;
                // An expired hold is available by definition; no sweeper needs to have run.
                if status == SeatStatus::Held && s.hold_expires_at.is_none_or(|t| t <= now) {
                    status = SeatStatus::Available;
                }
                if status == SeatStatus::Available {
                    status = free_status;
                }
                SeatMapSeat {
                    price_cents: prices.get(&s.seat.category).copied(),
                    seat: s.seat.clone(),
                    status,
                }
            })
            .collect();
        Ok(SeatMap {
            showtime_id: id,
            currency: showtime.currency,
            seats,
        })
    }

    /// Every seat of the showtime with its stored state, front row first.
    async fn stored_seats(&self, showtime: Uuid) -> Result<Arc<Vec<StoredSeat>>, CatalogError> {
        let rows = show_seats::Entity::find()
            .filter(show_seats::Column::ShowtimeId.eq(showtime))
            .find_also_related(seats::Entity)
            .order_by_asc(seats::Column::Y)
            .order_by_asc(seats::Column::X)
            .all(&self.db)
            .await?;
        Ok(Arc::new(
            rows.into_iter()
                .filter_map(|(state, seat)| {
                    Some(StoredSeat {
                        seat: Seat::from(seat?),
                        status: SeatStatus::parse(&state.status).unwrap_or(SeatStatus::Blocked),
                        hold_expires_at: state.hold_expires_at,
                    })
                })
                .collect(),
        ))
    }
}
