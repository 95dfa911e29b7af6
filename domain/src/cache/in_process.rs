//! Cached answers in this process's memory (the embedded default).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::Expiry;
use moka::sync::Cache;

use super::CacheStore;
use crate::redis_store::RedisUnavailable;

/// Answers kept at most; beyond, the least used go first.
const MAX_ENTRIES: u64 = 4_096;

/// An answer and how long it was stored for.
struct Kept {
    bytes: Vec<u8>,
    ttl: Duration,
}

/// Each answer lives as long as it was stored for, counted from its last store.
struct StoredFor;

impl Expiry<String, Arc<Kept>> for StoredFor {
    fn expire_after_create(&self, _: &String, kept: &Arc<Kept>, _: Instant) -> Option<Duration> {
        Some(kept.ttl)
    }

    fn expire_after_update(
        &self,
        _: &String,
        kept: &Arc<Kept>,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        Some(kept.ttl)
    }
}

/// Answers in memory until they expire.
pub struct InProcessCache {
    entries: Cache<String, Arc<Kept>>,
}

impl Default for InProcessCache {
    fn default() -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .expire_after(StoredFor)
                .build(),
        }
    }
}

#[async_trait]
impl CacheStore for InProcessCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RedisUnavailable> {
        Ok(self.entries.get(key).map(|kept| kept.bytes.clone()))
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisUnavailable> {
        let kept = Kept {
            bytes: value.to_vec(),
            ttl,
        };
        self.entries.insert(key.to_owned(), Arc::new(kept));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn an_answer_lives_as_long_as_it_was_stored_for_and_the_store_stays_bounded() {
        let cache = InProcessCache::default();
        cache
            .put("short", b"a", Duration::from_millis(30))
            .await
            .unwrap();
        cache
            .put("long", b"b", Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            cache.get("short").await.unwrap().as_deref(),
            Some(&b"a"[..])
        );
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(cache.get("short").await.unwrap(), None);
        assert_eq!(cache.get("long").await.unwrap().as_deref(), Some(&b"b"[..]));
        for i in 0..MAX_ENTRIES * 2 {
            let ttl = Duration::from_secs(60);
            cache.put(&format!("k{i}"), b"x", ttl).await.unwrap();
        }
        cache.entries.run_pending_tasks();
        assert!(cache.entries.entry_count() <= MAX_ENTRIES);
    }
}
