//! Domain events: rows of the outbox, written in the same transaction as the change they
//! report, published in order by the relay to an event bus that every instance hears.

mod burst;
mod bus;
mod cursor;
mod fanout;
mod lane;
pub(crate) mod outbox;
mod recent;
mod relay;

pub use burst::Burst;
pub use bus::{EventBus, InProcessBus, RedisBus};
pub(crate) use cursor::{Claim, claim, ids_locked_in_order};
pub use fanout::{Delivery, Fanout};
pub use lane::LiveLane;
pub use outbox::{
    BOOKING_REMINDER, BOOKING_STATUS, CATALOG_CHANGED, SEAT_CHANGES, SHOWTIME_ADDED,
    SHOWTIME_CANCELLED, SHOWTIME_CHANGED, SHOWTIME_UPDATED, SeatChange, TICKETS_ISSUED,
    WAITLIST_OFFERED,
};
pub(crate) use outbox::{
    booking_status_row, booking_status_row_because, catalog_changed_row, hold_placed_row,
    insert_catalog_row, seat_changes_row, showtime_row, tickets_issued_row, waitlist_offered_row,
};
pub use recent::RecentIds;
pub use relay::{OutboxRelay, RELAY_LOCK};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A published domain event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainEvent {
    /// The outbox row id: increasing in commit order of the relay.
    pub id: i64,
    /// What happened (`seat.changes`, `booking.status`, …).
    pub topic: String,
    /// What it is about (a showtime id, a booking id): events of one key stay in order.
    pub key: String,
    /// The event's data.
    pub payload: serde_json::Value,
    /// When the change was committed.
    pub created_at: DateTime<Utc>,
    /// The seat changes of a `seat.changes` payload, decoded once for all subscribers of
    /// this instance rather than once per subscriber.
    #[serde(skip)]
    pub seats: Option<std::sync::Arc<[SeatChange]>>,
    /// The W3C `traceparent` of the span that wrote the row, when it was traced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_parent: Option<String>,
}

/// Not an event of the outbox: the bus says it may have missed events (its Redis
/// subscription was broken and is back). Listeners resynchronise as when they lag.
pub const EVENTS_MISSED: &str = "events.missed";

impl From<marquee_entity::outbox::Model> for DomainEvent {
    fn from(r: marquee_entity::outbox::Model) -> Self {
        Self {
            id: r.id,
            topic: r.topic,
            key: r.key,
            payload: r.payload,
            created_at: r.created_at,
            seats: None,
            trace_parent: r.trace_parent,
        }
    }
}

impl DomainEvent {
    /// The marker of a gap in what the bus heard.
    pub fn missed() -> Self {
        Self {
            id: 0,
            topic: EVENTS_MISSED.to_owned(),
            key: String::new(),
            payload: serde_json::Value::Null,
            created_at: Utc::now(),
            seats: None,
            trace_parent: None,
        }
    }

    /// Whether this is the marker of a gap.
    pub fn is_missed(&self) -> bool {
        self.topic == EVENTS_MISSED
    }

    /// The event with its seat changes decoded (a no-op for other topics).
    pub fn decoded(mut self) -> Self {
        if self.topic == SEAT_CHANGES && self.seats.is_none() {
            self.seats = serde_json::from_value::<Vec<SeatChange>>(self.payload["seats"].clone())
                .ok()
                .map(Into::into);
        }
        self
    }
}
