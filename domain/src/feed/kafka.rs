//! The Kafka adapter of [`EventSink`], on rskafka (a pure Rust client: no librdkafka to
//! build). One topic per outbox topic (prefix + topic), the row's key as the record's key,
//! partitioned as Kafka's default partitioner does, so one key always lands in one
//! partition; the records of one partition go in one produce request, in id order, and
//! count as delivered once the broker acknowledged them (acks = all).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::future::join_all;
use rskafka::BackoffConfig;
use rskafka::client::partition::{Compression, PartitionClient, UnknownTopicHandling};
use rskafka::client::{Client, ClientBuilder};
use rskafka::record::Record;
use tokio::sync::Mutex;

use super::{
    EVENT_ID_HEADER, EVENT_TOPIC_HEADER, EventSink, FeedError, RecordValue, Undelivered,
    partition_of,
};
use crate::events::DomainEvent;

/// How the feed reaches Kafka.
#[derive(Debug, Clone)]
pub struct KafkaSettings {
    /// Bootstrap brokers, `host:port` each.
    pub brokers: Vec<String>,
    /// Put before every outbox topic to name its Kafka topic.
    pub topic_prefix: String,
    /// Partitions of a topic the feed creates (existing topics keep theirs).
    pub partitions: i32,
    /// Replication factor of a topic the feed creates.
    pub replication_factor: i16,
    /// Longest wait for the broker in one step (connecting, a topic, a produce).
    pub timeout: Duration,
}

/// Produces outbox events to Kafka.
pub struct KafkaSink {
    settings: KafkaSettings,
    /// The connection and the partitions known so far; dropped after any failure, so the
    /// next delivery starts from fresh metadata (a broker that moved or came back).
    conn: Mutex<Option<Connection>>,
}

struct Connection {
    client: Client,
    /// Partition clients of each Kafka topic, by partition number.
    topics: HashMap<String, Vec<Arc<PartitionClient>>>,
}

/// Records bound for one partition, with their event ids.
type Bound = (Arc<PartitionClient>, Vec<i64>, Vec<Record>);

impl KafkaSink {
    /// A sink that connects on its first delivery.
    pub fn new(settings: KafkaSettings) -> Self {
        Self {
            settings,
            conn: Mutex::new(None),
        }
    }

    /// The Kafka topic of an outbox topic.
    pub fn topic_name(&self, outbox_topic: &str) -> String {
        format!("{}{outbox_topic}", self.settings.topic_prefix)
    }

    async fn within<T>(
        &self,
        step: impl std::future::Future<Output = Result<T, rskafka::client::error::Error>>,
    ) -> Result<T, FeedError> {
        match tokio::time::timeout(self.settings.timeout, step).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(FeedError::Broker(e.to_string())),
            Err(_) => Err(FeedError::Timeout(self.settings.timeout)),
        }
    }

    async fn connect(&self) -> Result<Connection, FeedError> {
        // rskafka retries inside each call; the deadline keeps a call within the timeout,
        // and the exporter retries the batch after its own backoff.
        let backoff = BackoffConfig {
            init_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(1),
            base: 2.0,
            deadline: Some(self.settings.timeout),
        };
        let client = self
            .within(
                ClientBuilder::new(self.settings.brokers.clone())
                    .client_id("marquee-feed")
                    .backoff_config(backoff)
                    .build(),
            )
            .await?;
        Ok(Connection {
            client,
            topics: HashMap::new(),
        })
    }

    /// The partitions of `topic`, created with the configured count when it is new.
    async fn partitions(
        &self,
        conn: &mut Connection,
        topic: &str,
    ) -> Result<Vec<Arc<PartitionClient>>, FeedError> {
        if let Some(known) = conn.topics.get(topic) {
            return Ok(known.clone());
        }
        let mut count = self.partition_count(conn, topic).await?;
        if count == 0 {
            let controller = conn
                .client
                .controller_client()
                .map_err(|e| FeedError::Broker(e.to_string()))?;
            let timeout_ms = i32::try_from(self.settings.timeout.as_millis()).unwrap_or(i32::MAX);
            // Another instance may have created it meanwhile: counted again below.
            if let Err(e) = self
                .within(controller.create_topic(
                    topic,
                    self.settings.partitions,
                    self.settings.replication_factor,
                    timeout_ms,
                ))
                .await
            {
                tracing::debug!(topic, error = %e, "creating the topic failed; counting again");
            }
            count = self.partition_count(conn, topic).await?;
            if count == 0 {
                return Err(FeedError::Broker(format!(
                    "topic {topic} has no partitions"
                )));
            }
        }
        let mut clients = Vec::with_capacity(count as usize);
        for p in 0..count {
            let client = self
                .within(
                    conn.client
                        .partition_client(topic, p, UnknownTopicHandling::Retry),
                )
                .await?;
            clients.push(Arc::new(client));
        }
        conn.topics.insert(topic.to_owned(), clients.clone());
        Ok(clients)
    }

    async fn partition_count(&self, conn: &Connection, topic: &str) -> Result<i32, FeedError> {
        let topics = self.within(conn.client.list_topics()).await?;
        Ok(topics
            .iter()
            .find(|t| t.name == topic)
            .map_or(0, |t| t.partitions.len() as i32))
    }

    /// The records of `events`, grouped by partition, each group in id order.
    async fn route(
        &self,
        conn: &mut Connection,
        events: &[DomainEvent],
    ) -> Result<Vec<Bound>, FeedError> {
        let mut groups: BTreeMap<(String, i32), Bound> = BTreeMap::new();
        for e in events {
            let topic = self.topic_name(&e.topic);
            let partitions = self.partitions(conn, &topic).await?;
            let p = partition_of(e.key.as_bytes(), partitions.len() as i32);
            let group = groups
                .entry((topic, p))
                .or_insert_with(|| (partitions[p as usize].clone(), Vec::new(), Vec::new()));
            group.1.push(e.id);
            group.2.push(record(e));
        }
        Ok(groups.into_values().collect())
    }
}

/// The record of one event: key = the row's key, value = [`RecordValue`] as JSON, the
/// event id and outbox topic as headers, the commit time as the timestamp.
pub(super) fn record(e: &DomainEvent) -> Record {
    let value = serde_json::to_vec(&RecordValue::from(e)).unwrap_or_default();
    Record {
        key: Some(e.key.clone().into_bytes()),
        value: Some(value),
        headers: BTreeMap::from([
            (EVENT_ID_HEADER.to_owned(), e.id.to_string().into_bytes()),
            (EVENT_TOPIC_HEADER.to_owned(), e.topic.clone().into_bytes()),
        ]),
        timestamp: e.created_at,
    }
}

#[async_trait]
impl EventSink for KafkaSink {
    async fn deliver(&self, events: &[DomainEvent]) -> Result<(), Undelivered> {
        let mut guard = self.conn.lock().await;
        let fail = |error| Undelivered {
            acknowledged: Vec::new(),
            error,
        };
        if guard.is_none() {
            *guard = Some(self.connect().await.map_err(fail)?);
        }
        let Some(conn) = guard.as_mut() else {
            return Err(fail(FeedError::Broker("no connection".into())));
        };
        let groups = match self.route(conn, events).await {
            Ok(groups) => groups,
            Err(e) => {
                *guard = None;
                return Err(fail(e));
            }
        };
        // Partitions are independent logs: their requests go together.
        let results = join_all(groups.into_iter().map(|(client, ids, records)| async move {
            let produced = self
                .within(client.produce(records, Compression::NoCompression))
                .await;
            (ids, produced)
        }))
        .await;
        let mut acknowledged = Vec::with_capacity(events.len());
        let mut failure = None;
        for (ids, produced) in results {
            match produced {
                Ok(_) => acknowledged.extend(ids),
                Err(e) => failure = Some(e),
            }
        }
        match failure {
            None => Ok(()),
            Some(error) => {
                *guard = None;
                Err(Undelivered {
                    acknowledged,
                    error,
                })
            }
        }
    }
}
