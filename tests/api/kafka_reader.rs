//! What the event-feed tests need of Kafka: the broker of the run, a private broker to
//! take down, a consumer that reads every record of a topic prefix, and the check of those
//! records against the outbox rows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use marquee_domain::feed::{EVENT_ID_HEADER, EVENT_TOPIC_HEADER, partition_of};
use marquee_entity::outbox;
use rskafka::client::ClientBuilder;
use rskafka::client::partition::{OffsetAt, UnknownTopicHandling};
use serde_json::Value;

/// The broker of the run (`host:port`); a test without one fails.
pub fn run_broker() -> String {
    std::env::var("TEST_KAFKA_BROKERS").expect(
        "TEST_KAFKA_BROKERS must name a Kafka-compatible broker (scripts/test.sh starts tansu)",
    )
}

/// A topic prefix of the test's own.
pub fn own_prefix() -> String {
    format!("test.{}.", uuid::Uuid::new_v4().simple())
}

/// A loopback port nothing listens on (until a broker is started on it).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A broker of the test's own (tansu, in memory), to stop and resume; killed when dropped.
pub struct PrivateBroker {
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl PrivateBroker {
    /// Starts tansu (`TEST_TANSU_BIN`) on `port` and waits until it answers.
    pub async fn start(port: u16) -> Self {
        let bin = std::env::var("TEST_TANSU_BIN")
            .expect("TEST_TANSU_BIN must name the tansu binary (scripts/test.sh builds it)");
        let dir = tempfile::tempdir().unwrap();
        let url = format!("tcp://127.0.0.1:{port}");
        let started = Instant::now();
        let child = std::process::Command::new(bin)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start tansu");
        let broker = Self { child, _dir: dir };
        let addr = format!("127.0.0.1:{port}");
        while tokio::net::TcpStream::connect(&addr).await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "tansu did not start on {addr}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!(
            "private tansu answered on {addr} after {:?}",
            started.elapsed()
        );
        broker
    }

    fn signal(&self, signal: &str) {
        let ok = std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {signal}");
    }

    /// Freezes the broker: connections open, nothing answered.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen broker go on.
    pub fn resume(&self) {
        self.signal("-CONT");
    }
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One record as read from Kafka.
#[derive(Debug, Clone, PartialEq)]
pub struct Consumed {
    pub topic: String,
    pub partition: i32,
    pub key: Option<String>,
    pub value: Value,
    pub headers: BTreeMap<String, String>,
}

/// Every record of every topic named `prefix…`, each partition in offset order.
pub async fn read_all(brokers: &str, prefix: &str) -> Vec<Consumed> {
    // Without a deadline the client retries for ever: a missing broker must fail the test.
    let backoff = rskafka::BackoffConfig {
        deadline: Some(Duration::from_secs(20)),
        ..Default::default()
    };
    let client = ClientBuilder::new(vec![brokers.to_owned()])
        .backoff_config(backoff)
        .build()
        .await
        .expect("connect to the test broker");
    let mut out = Vec::new();
    let topics = client.list_topics().await.unwrap();
    for topic in topics.iter().filter(|t| t.name.starts_with(prefix)) {
        for &p in &topic.partitions {
            let pc = client
                .partition_client(topic.name.clone(), p, UnknownTopicHandling::Retry)
                .await
                .unwrap();
            let end = pc.get_offset(OffsetAt::Latest).await.unwrap();
            let mut offset = pc.get_offset(OffsetAt::Earliest).await.unwrap();
            let started = Instant::now();
            while offset < end {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "reading {}:{p}",
                    topic.name
                );
                let (records, _) = pc.fetch_records(offset, 1..1_000_000, 500).await.unwrap();
                for r in records {
                    offset = r.offset + 1;
                    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
                    out.push(Consumed {
                        topic: topic.name.clone(),
                        partition: p,
                        key: r.record.key.map(text),
                        value: serde_json::from_slice(&r.record.value.unwrap_or_default()).unwrap(),
                        headers: r
                            .record
                            .headers
                            .into_iter()
                            .map(|(k, v)| (k, text(v)))
                            .collect(),
                    });
                }
            }
        }
    }
    out
}

/// Holds the records of a feed against the outbox rows: the same events, each record
/// equal to its row, one partition per key, and per key the first copy of each event in
/// id order (a record may be repeated, as an exact copy). Returns the repeats.
pub fn check_feed(
    rows: &[outbox::Model],
    records: &[Consumed],
    prefix: &str,
    partitions: i32,
) -> usize {
    let by_id: HashMap<i64, &outbox::Model> = rows.iter().map(|r| (r.id, r)).collect();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut first_copies: HashMap<(String, String), Vec<i64>> = HashMap::new();
    let mut partition_of_key: HashMap<(String, String), i32> = HashMap::new();
    let mut repeats = 0;
    for r in records {
        let id = r.value["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {r:?}"));
        let row = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("event {id} is in Kafka but not in the outbox: {r:?}"));
        assert_eq!(r.topic, format!("{prefix}{}", row.topic), "topic of {id}");
        assert_eq!(r.key.as_deref(), Some(row.key.as_str()), "key of {id}");
        assert_eq!(
            r.headers[EVENT_ID_HEADER],
            id.to_string(),
            "event-id of {id}"
        );
        assert_eq!(
            r.headers[EVENT_TOPIC_HEADER], row.topic,
            "event-topic of {id}"
        );
        assert_eq!(r.value["topic"], row.topic.as_str(), "value topic of {id}");
        assert_eq!(r.value["key"], row.key.as_str(), "value key of {id}");
        assert_eq!(r.value["payload"], row.payload, "payload of {id}");
        let created: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(r.value["createdAt"].clone()).unwrap();
        assert_eq!(created, row.created_at, "createdAt of {id}");
        let key = (row.topic.clone(), row.key.clone());
        assert_eq!(
            r.partition,
            partition_of(row.key.as_bytes(), partitions),
            "partition of {id}"
        );
        let p = *partition_of_key.entry(key.clone()).or_insert(r.partition);
        assert_eq!(p, r.partition, "key {key:?} in two partitions");
        if seen.insert(id) {
            first_copies.entry(key).or_default().push(id);
        } else {
            repeats += 1;
        }
    }
    let exported: HashSet<i64> = seen;
    let held: HashSet<i64> = by_id.keys().copied().collect();
    let missing: Vec<_> = held.difference(&exported).collect();
    assert!(
        missing.is_empty(),
        "events of the outbox missing in Kafka: {missing:?}"
    );
    for (key, ids) in &first_copies {
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "events of {key:?} out of order in Kafka: {ids:?}"
        );
    }
    repeats
}
