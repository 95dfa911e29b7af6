//! The virtual waiting room of showtimes flagged hot: buyers line up in arrival order and
//! are let through a few at a time, so that an on-sale's herd waits in a cheap queue
//! instead of crowding the booking path. A buyer (one place per account) is admitted while
//! fewer than `capacity` admissions are live; an admission lasts `admission` or until it is
//! used by a successful hold, whichever comes first, and then passes to the next in line.
//! The room is load shedding, like the seat-hold front line: the database still decides
//! every seat, and if the room's store is unreachable buyers go straight through.

mod in_process;
mod redis;
mod service;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use crate::ids::{ShowtimeId, UserId};

pub use in_process::InProcessWaitingRoom;
pub use redis::RedisWaitingRoom;
pub use service::{Admission, Place, PlaceStatus, WaitingRoomService};

/// How many buyers a room lets through at once, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct WaitingRoomSettings {
    /// Admissions live at once per showtime.
    pub capacity: u32,
    /// How long an unused admission lasts.
    pub admission: Duration,
}

/// What a visitor does at the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Take a place in line (kept if already taken); the room opens for admission at
    /// `opens_at` (the showtime's on-sale time).
    Enter {
        /// When admission starts.
        opens_at: DateTime<Utc>,
    },
    /// Ask where one stands.
    Look,
    /// Give up one's place or admission.
    Leave,
    /// Spend the admission on a hold, before the hold runs, so that one admission cannot
    /// carry two holds at once: the slot passes on at once. The outcome's standing is
    /// `Admitted` (with the admission's end) only when this visit spent it.
    Spend,
    /// Give back an admission that was spent on a hold that then failed, until its end.
    Restore {
        /// The end the admission had.
        until: DateTime<Utc>,
    },
}

/// Where a visitor stands after a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Through the door until then.
    Admitted {
        /// End of the admission.
        until: DateTime<Utc>,
    },
    /// In line; 1 is next.
    Waiting {
        /// Place in line.
        position: u64,
    },
    /// The room exists but the visitor is not in it (never entered, left, or lapsed).
    Absent,
    /// Nobody has entered this showtime's room.
    NoRoom,
}

/// The answer of a visit: the visitor's standing and whoever the visit let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitOutcome {
    /// The visitor's standing.
    pub standing: Standing,
    /// Visitors admitted by this visit (slots freed by it or by lapsed admissions).
    pub admitted: Vec<UserId>,
    /// Whether this visit took a new place in line (an entry, for the sales figures).
    pub entered: bool,
}

/// The room's store could not answer.
#[derive(Debug, thiserror::Error)]
#[error("waiting room store unavailable: {0}")]
pub struct RoomUnavailable(pub String);

/// The waiting-room port: an in-process adapter for one instance and a Redis adapter
/// shared by all. Every visit first lets lapsed admissions go and admits the head of the
/// line into free slots, atomically.
#[async_trait]
pub trait WaitingRoomStore: Send + Sync {
    /// One visit by `visitor` to the room of `showtime` at `now`.
    async fn visit(
        &self,
        showtime: ShowtimeId,
        visitor: UserId,
        visit: Visit,
        now: DateTime<Utc>,
        settings: WaitingRoomSettings,
    ) -> Result<VisitOutcome, RoomUnavailable>;
}

/// How long the room of a showtime is remembered after its last entry.
pub(crate) const ROOM_KEPT: Duration = Duration::hours(12);

#[cfg(test)]
mod tests;
