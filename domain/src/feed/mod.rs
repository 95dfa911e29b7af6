//! The event feed: every outbox row, exported in id order to a log outside the deployment
//! (Kafka) for consumers such as analytics and notifications. Off unless configured. It
//! reads the outbox with a cursor of its own (`exported_at`), so that an outage of the log
//! delays neither the bus nor the inbox, and delivers at least once: each record carries
//! its event id (the outbox id), by which consumers drop repeats.

mod exporter;
mod horizon;
mod kafka;
mod murmur2;
#[cfg(test)]
mod tests;

use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;

use crate::events::DomainEvent;

pub use exporter::{EXPORT_LOCK, FeedObservation, FeedObserver, OutboxExporter};
pub use kafka::{KafkaSettings, KafkaSink};
pub use murmur2::{murmur2, partition_of};

/// The header that carries a record's event id (the outbox id, decimal).
pub const EVENT_ID_HEADER: &str = "event-id";
/// The header that carries a record's outbox topic (`seat.changes`, `booking.status`, …).
pub const EVENT_TOPIC_HEADER: &str = "event-topic";

/// Where exported events go (the port; Kafka is its adapter).
#[async_trait]
pub trait EventSink: Send + Sync {
    /// Delivers `events`, given in outbox id order, and returns once the destination has
    /// acknowledged every one of them. Events of one key must reach the destination in the
    /// order given. On failure it names the events acknowledged all the same, which are
    /// then not sent again.
    async fn deliver(&self, events: &[DomainEvent]) -> Result<(), Undelivered>;
}

/// A delivery that did not complete.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct Undelivered {
    /// Ids of the events the destination acknowledged nonetheless.
    pub acknowledged: Vec<i64>,
    /// Why the others were not.
    pub error: FeedError,
}

/// What can go wrong in the feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The broker refused, failed or could not be reached.
    #[error("broker: {0}")]
    Broker(String),
    /// The broker did not answer in time.
    #[error("broker: no answer within {0:?}")]
    Timeout(Duration),
    /// The outbox could not be read or marked.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// The value of an exported record: the outbox row as consumers read it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordValue<'a> {
    /// The event id (outbox id): the key to drop repeats by.
    pub id: i64,
    /// The outbox topic.
    pub topic: &'a str,
    /// What the event is about (a showtime, booking, movie… id); the record's key too.
    pub key: &'a str,
    /// When the change committed.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The event's data, as the outbox holds it.
    pub payload: &'a serde_json::Value,
}

impl<'a> From<&'a DomainEvent> for RecordValue<'a> {
    fn from(e: &'a DomainEvent) -> Self {
        Self {
            id: e.id,
            topic: &e.topic,
            key: &e.key,
            created_at: e.created_at,
            payload: &e.payload,
        }
    }
}
