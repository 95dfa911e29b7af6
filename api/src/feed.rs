//! The event feed's settings (`kafka_*`): checked at start, and turned into the domain's
//! [`FeedConfig`] with the metrics as its observer.

use std::sync::Arc;
use std::time::Duration;

use marquee_domain::FeedConfig;
use marquee_domain::feed::KafkaSettings;

use crate::config::{ConfigError, Settings};
use crate::metrics::Metrics;

/// Longest Kafka topic name.
const MAX_TOPIC_NAME: usize = 249;
/// Longest outbox topic name the prefix must leave room for.
const LONGEST_OUTBOX_TOPIC: usize = "showtime.cancelled".len();

/// The bootstrap brokers of `kafka_brokers`, each `host:port`.
fn brokers(list: &str) -> Result<Vec<String>, String> {
    let brokers: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned)
        .collect();
    if brokers.is_empty() {
        return Err(
            "must list at least one broker as host:port (or be left unset for no feed)".into(),
        );
    }
    for b in &brokers {
        let ok = b.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0)
        });
        if !ok {
            return Err(format!("has `{b}`, which is not host:port"));
        }
    }
    Ok(brokers)
}

/// Checks the `kafka_*` settings (the prefix and limits even while the feed is off, so
/// that turning it on cannot fail on them).
pub(crate) fn validate(s: &Settings) -> Result<(), ConfigError> {
    let invalid = |key, reason: String| ConfigError::Invalid { key, reason };
    if let Some(list) = &s.kafka_brokers {
        brokers(list).map_err(|r| invalid("kafka_brokers", r))?;
    }
    let prefix = &s.kafka_topic_prefix;
    if !prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        || prefix.len() + LONGEST_OUTBOX_TOPIC > MAX_TOPIC_NAME
    {
        return Err(invalid(
            "kafka_topic_prefix",
            format!(
                "may hold only letters, digits, `.`, `_` and `-`, at most {} of them",
                MAX_TOPIC_NAME - LONGEST_OUTBOX_TOPIC
            ),
        ));
    }
    if !(1..=10_000).contains(&s.kafka_partitions) {
        return Err(invalid(
            "kafka_partitions",
            "must be between 1 and 10000".into(),
        ));
    }
    if !(1..=32).contains(&s.kafka_replication_factor) {
        return Err(invalid(
            "kafka_replication_factor",
            "must be between 1 and 32".into(),
        ));
    }
    if !(100..=600_000).contains(&s.kafka_timeout_ms) {
        return Err(invalid(
            "kafka_timeout_ms",
            "must be between 100 and 600000".into(),
        ));
    }
    Ok(())
}

/// The feed these settings turn on, if any.
pub(crate) fn feed_config(s: &Settings, metrics: Option<Arc<Metrics>>) -> Option<FeedConfig> {
    let brokers = brokers(s.kafka_brokers.as_deref()?).ok()?;
    Some(FeedConfig {
        kafka: KafkaSettings {
            brokers,
            topic_prefix: s.kafka_topic_prefix.clone(),
            partitions: i32::try_from(s.kafka_partitions).unwrap_or(i32::MAX),
            replication_factor: i16::try_from(s.kafka_replication_factor).unwrap_or(i16::MAX),
            timeout: Duration::from_millis(s.kafka_timeout_ms),
        },
        observer: metrics.map(|m| Arc::new(move |o| m.observe_feed(o)) as _),
    })
}

#[cfg(test)]
// figment's Jail API fixes the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    #[test]
    fn the_feed_is_off_by_default_and_on_with_brokers() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert!(feed_config(&s, None).is_none());
            jail.set_env("MARQUEE_KAFKA_BROKERS", "127.0.0.1:9092, kafka-2:9093");
            jail.set_env("MARQUEE_KAFKA_TOPIC_PREFIX", "prod.marquee.");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            let feed = feed_config(&s, None).unwrap();
            assert_eq!(feed.kafka.brokers, ["127.0.0.1:9092", "kafka-2:9093"]);
            assert_eq!(feed.kafka.topic_prefix, "prod.marquee.");
            assert_eq!(feed.kafka.partitions, 3);
            Ok(())
        });
    }

    #[test]
    fn bad_feed_settings_name_their_key() {
        for (key, value) in [
            ("MARQUEE_KAFKA_BROKERS", ""),
            ("MARQUEE_KAFKA_BROKERS", "localhost"),
            ("MARQUEE_KAFKA_BROKERS", "localhost:9092,:1"),
            ("MARQUEE_KAFKA_TOPIC_PREFIX", "marquee/"),
            ("MARQUEE_KAFKA_PARTITIONS", "0"),
            ("MARQUEE_KAFKA_REPLICATION_FACTOR", "0"),
            ("MARQUEE_KAFKA_TIMEOUT_MS", "5"),
        ] {
            figment::Jail::expect_with(|jail| {
                jail.set_env(key, value);
                let err = Settings::load(None, &Overrides::default()).unwrap_err();
                let name = key.trim_start_matches("MARQUEE_").to_lowercase();
                assert!(err.to_string().contains(&name), "{key}={value}: {err}");
                Ok(())
            });
        }
    }
}
