//! A buyer's place at a hot showtime's waiting room.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use marquee_domain::waiting_room as domain;

use super::enums::WaitingRoomStatus;

/// Where the caller stands in a showtime's waiting room.
pub struct WaitingRoomPlace(pub domain::Place);

#[Object]
impl WaitingRoomPlace {
    /// The showtime.
    async fn showtime_id(&self) -> ID {
        ID(self.0.showtime_id.to_string())
    }

    /// WAITING (in line), ADMITTED (holds accepted until `admittedUntil`), NOT_IN_LINE,
    /// or NOT_REQUIRED (this showtime has no waiting room).
    async fn status(&self) -> WaitingRoomStatus {
        self.0.status.into()
    }

    /// Place in line while waiting; 1 is next.
    async fn position(&self) -> Option<u64> {
        self.0.position
    }

    /// End of the admission: a successful hold uses it, and it lapses unused at this time.
    async fn admitted_until(&self) -> Option<DateTime<Utc>> {
        self.0.admitted_until
    }

    /// Ask again no sooner than this (or wait on the server with `waitMs`).
    async fn retry_after_ms(&self) -> u32 {
        self.0.retry_after_ms
    }
}
