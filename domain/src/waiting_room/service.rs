//! Entering, watching and leaving the waiting room, and the admission check of the
//! booking path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use marquee_entity::showtimes;
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::Notify;

use super::{Standing, Visit, VisitOutcome, WaitingRoomSettings, WaitingRoomStore};
use crate::analytics::EntryTally;
use crate::booking::BookingError;
use crate::catalog::ShowtimeStatus;
use crate::clock::SharedClock;
use crate::ids::{ShowtimeId, UserId};

/// Longest a `place` request may wait for admission.
pub const MAX_WAIT: Duration = Duration::seconds(30);

/// Admissions made on other instances (or lapsed ones) are noticed this often by a
/// waiting request; admissions made here wake it at once.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Requests of this instance waiting for admission, by showtime and buyer.
type Waiters = Mutex<HashMap<(ShowtimeId, UserId), Arc<Notify>>>;

/// What the room needs to know of a showtime, read at most this often: the herd entering
/// at an on-sale's opening must not become a herd of database reads. A stale answer only
/// lets someone line up for a show just cancelled (holds read the showtime afresh) or,
/// for a few seconds after the flag is lifted, keeps asking for admission.
const FACTS_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// The showtime as the room sees it.
#[derive(Debug, Clone, Copy)]
struct Facts {
    bookable: Result<(), &'static str>,
    waiting_room: bool,
    on_sale_at: DateTime<Utc>,
}

type FactsCache = Mutex<HashMap<ShowtimeId, (tokio::time::Instant, Facts)>>;

/// Where a buyer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceStatus {
    /// In line.
    Waiting,
    /// Through: holds are accepted until `admitted_until`.
    Admitted,
    /// Not in line (never entered, left, used the admission or let it lapse).
    NotInLine,
    /// This showtime has no waiting room: go ahead.
    NotRequired,
}

/// A buyer's place at a showtime's waiting room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The showtime.
    pub showtime_id: ShowtimeId,
    /// Where the buyer stands.
    pub status: PlaceStatus,
    /// Place in line (1 is next), while waiting.
    pub position: Option<u64>,
    /// End of the admission, once admitted.
    pub admitted_until: Option<DateTime<Utc>>,
    /// How long a client should wait before asking again.
    pub retry_after_ms: u32,
}

/// What the booking path learns about a buyer at a showtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Admitted, and the admission is now spent on this hold (given back if it fails).
    Spent {
        /// The end the admission had.
        until: DateTime<Utc>,
    },
    /// In a room but not (or no longer) admitted.
    NotAdmitted,
    /// The showtime has no room open (nobody queued).
    NoRoom,
    /// The room's store did not answer: let the buyer through (the database still guards).
    Unknown,
}

/// The waiting rooms of hot showtimes.
#[derive(Clone)]
pub struct WaitingRoomService {
    db: DatabaseConnection,
    clock: SharedClock,
    store: Arc<dyn WaitingRoomStore>,
    settings: WaitingRoomSettings,
    /// Requests of this instance waiting for admission, woken when a visit here admits them.
    waiters: Arc<Waiters>,
    facts: Arc<FactsCache>,
    /// One read at a time refreshes the facts, so a herd arriving together costs one.
    facts_read: Arc<tokio::sync::Mutex<()>>,
    /// Rooms of this instance with a task that opens them at the on-sale time.
    openers: Arc<Mutex<std::collections::HashSet<ShowtimeId>>>,
    /// New places in line, for the sales figures.
    entries: EntryTally,
}

impl WaitingRoomService {
    /// Wires the service.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        store: Arc<dyn WaitingRoomStore>,
        settings: WaitingRoomSettings,
    ) -> Self {
        Self {
            entries: EntryTally::new(db.clone(), clock.clone()),
            db,
            clock,
            store,
            settings,
            waiters: Arc::default(),
            facts: Arc::default(),
            facts_read: Arc::default(),
            openers: Arc::default(),
        }
    }

    async fn visit(&self, showtime: ShowtimeId, who: UserId, visit: Visit) -> Option<VisitOutcome> {
        match self
            .store
            .visit(showtime, who, visit, self.clock.now(), self.settings)
            .await
        {
            Ok(outcome) => {
                self.wake(showtime, &outcome.admitted);
                Some(outcome)
            }
            Err(e) => {
                tracing::warn!(error = %e, "waiting room unavailable; letting buyers through");
                None
            }
        }
    }

    fn wake(&self, showtime: ShowtimeId, admitted: &[UserId]) {
        if admitted.is_empty() {
            return;
        }
        if let Ok(waiters) = self.waiters.lock() {
            for who in admitted {
                if let Some(n) = waiters.get(&(showtime, *who)) {
                    n.notify_one();
                }
            }
        }
    }

    fn place(&self, showtime: ShowtimeId, standing: Standing) -> Place {
        let (status, position, admitted_until) = match standing {
            Standing::Admitted { until } => (PlaceStatus::Admitted, None, Some(until)),
            Standing::Waiting { position } => (PlaceStatus::Waiting, Some(position), None),
            Standing::Absent | Standing::NoRoom => (PlaceStatus::NotInLine, None, None),
        };
        // A quarter second per capacity's worth of buyers ahead, at most five seconds.
        let rounds = position
            .unwrap_or(0)
            .div_ceil(u64::from(self.settings.capacity.max(1)));
        Place {
            showtime_id: showtime,
            status,
            position,
            admitted_until,
            retry_after_ms: (250 * rounds.max(1)).min(5_000) as u32,
        }
    }

    fn not_required(showtime: ShowtimeId) -> Place {
        Place {
            showtime_id: showtime,
            status: PlaceStatus::NotRequired,
            position: None,
            admitted_until: None,
            retry_after_ms: 0,
        }
    }

    fn cached_facts(&self, id: ShowtimeId) -> Option<Facts> {
        let cache = self.facts.lock().ok()?;
        let (read_at, facts) = cache.get(&id)?;
        (read_at.elapsed() < FACTS_FOR).then_some(*facts)
    }

    async fn facts(&self, id: ShowtimeId) -> Result<Facts, BookingError> {
        if let Some(facts) = self.cached_facts(id) {
            return Ok(facts);
        }
        let _reading = self.facts_read.lock().await;
        if let Some(facts) = self.cached_facts(id) {
            return Ok(facts);
        }
        let now = tokio::time::Instant::now();
        let row = showtimes::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| BookingError::not_found("showtime", id))?;
        let bookable = if row.status != ShowtimeStatus::Scheduled.as_str() {
            Err("the showtime has been cancelled")
        } else if row.starts_at <= self.clock.now() {
            Err("the showtime has already started")
        } else {
            Ok(())
        };
        let facts = Facts {
            bookable,
            waiting_room: row.waiting_room,
            on_sale_at: row.on_sale_at,
        };
        if let Ok(mut cache) = self.facts.lock() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(id, (now, facts));
        }
        Ok(facts)
    }

    /// Takes a place in line for the showtime (keeping the one already taken).
    #[tracing::instrument(skip_all, fields(showtime_id = %showtime), err)]
    pub async fn enter(&self, who: UserId, showtime: ShowtimeId) -> Result<Place, BookingError> {
        let facts = self.facts(showtime).await?;
        facts
            .bookable
            .map_err(|why| BookingError::NotOnSale(why.into()))?;
        if !facts.waiting_room {
            return Ok(Self::not_required(showtime));
        }
        let visit = Visit::Enter {
            opens_at: facts.on_sale_at,
        };
        Ok(match self.visit(showtime, who, visit).await {
            Some(outcome) => {
                if outcome.entered {
                    self.entries.record(showtime, 1);
                }
                self.place(showtime, outcome.standing)
            }
            None => Self::not_required(showtime),
        })
    }

    /// Where the buyer stands; while waiting, answers as soon as the buyer is admitted or
    /// `wait` (at most [`MAX_WAIT`]) has passed.
    pub async fn place_of(
        &self,
        who: UserId,
        showtime: ShowtimeId,
        wait: Duration,
    ) -> Result<Place, BookingError> {
        if wait < Duration::zero() || wait > MAX_WAIT {
            return Err(BookingError::invalid(
                "waitMs",
                format!("between 0 and {}", MAX_WAIT.num_milliseconds()),
            ));
        }
        let deadline = tokio::time::Instant::now() + wait.to_std().unwrap_or_default();
        let notify = Arc::new(Notify::new());
        if let Ok(mut waiters) = self.waiters.lock() {
            waiters.insert((showtime, who), notify.clone());
        }
        let standing = loop {
            let Some(outcome) = self.visit(showtime, who, Visit::Look).await else {
                break None;
            };
            let now = tokio::time::Instant::now();
            if matches!(outcome.standing, Standing::Waiting { .. }) {
                self.open_on_time(showtime).await;
            }
            if !matches!(outcome.standing, Standing::Waiting { .. }) || now >= deadline {
                break Some(outcome.standing);
            }
            let _ = tokio::time::timeout(RECHECK.min(deadline - now), notify.notified()).await;
        };
        if let Ok(mut waiters) = self.waiters.lock() {
            waiters.remove(&(showtime, who));
        }
        match standing {
            None => Ok(Self::not_required(showtime)),
            Some(Standing::NoRoom) if !self.facts(showtime).await?.waiting_room => {
                Ok(Self::not_required(showtime))
            }
            Some(standing) => Ok(self.place(showtime, standing)),
        }
    }

    /// Makes sure that a room which opens later is opened on time by one visit from this
    /// instance, which wakes exactly the buyers it admits: a line that formed before the
    /// on-sale does not all ask again at the opening instant.
    async fn open_on_time(&self, showtime: ShowtimeId) {
        let Ok(facts) = self.facts(showtime).await else {
            return;
        };
        let Ok(wait) = (facts.on_sale_at - self.clock.now()).to_std() else {
            return;
        };
        let Ok(mut openers) = self.openers.lock() else {
            return;
        };
        if !openers.insert(showtime) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            // Nobody's visit: it only lets the head of the line in.
            let nobody = UserId::from(uuid::Uuid::nil());
            let _ = this.visit(showtime, nobody, Visit::Look).await;
            if let Ok(mut openers) = this.openers.lock() {
                openers.remove(&showtime);
            }
        });
    }

    /// Gives up the buyer's place or admission.
    pub async fn leave(&self, who: UserId, showtime: ShowtimeId) -> Result<Place, BookingError> {
        Ok(match self.visit(showtime, who, Visit::Leave).await {
            Some(outcome) => self.place(showtime, outcome.standing),
            None => Self::not_required(showtime),
        })
    }

    /// Whether the buyer may hold seats of the showtime now, as far as the room knows;
    /// an admission is spent by asking, atomically, so that it carries one hold at a time.
    pub async fn spend(&self, who: UserId, showtime: ShowtimeId) -> Admission {
        match self.visit(showtime, who, Visit::Spend).await {
            None => Admission::Unknown,
            Some(outcome) => match outcome.standing {
                Standing::Admitted { until } => Admission::Spent { until },
                Standing::NoRoom => Admission::NoRoom,
                Standing::Waiting { .. } | Standing::Absent => Admission::NotAdmitted,
            },
        }
    }

    /// Whether a showtime takes buyers through its waiting room only.
    pub async fn required(&self, showtime: ShowtimeId) -> Result<bool, BookingError> {
        Ok(self.facts(showtime).await?.waiting_room)
    }

    /// Gives back an admission spent on a hold that failed, until the end it had.
    pub async fn restore(&self, who: UserId, showtime: ShowtimeId, until: DateTime<Utc>) {
        let _ = self.visit(showtime, who, Visit::Restore { until }).await;
    }
}
