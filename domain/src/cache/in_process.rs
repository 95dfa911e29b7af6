//! Cached answers in this process's memory (the embedded default).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::CacheStore;
use crate::redis_store::RedisUnavailable;

/// Answers kept at most; beyond, expired ones are dropped, then everything.
const MAX_ENTRIES: usize = 4_096;

/// Answers in memory until they expire.
#[derive(Default)]
pub struct InProcessCache {
    entries: Mutex<HashMap<String, (Instant, Vec<u8>)>>,
}

#[async_trait]
impl CacheStore for InProcessCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RedisUnavailable> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        Ok(entries
            .get(key)
            .filter(|(until, _)| Instant::now() < *until)
            .map(|(_, v)| v.clone()))
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisUnavailable> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, (until, _)| now < *until);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key.to_owned(), (Instant::now() + ttl, value.to_vec()));
        Ok(())
    }
}
