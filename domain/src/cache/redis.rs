//! Cached answers in Redis, shared by every instance, expired by Redis itself.

use std::time::Duration;

use async_trait::async_trait;

use super::CacheStore;
use crate::redis_store::{RedisStore, RedisUnavailable};

/// Answers under `cache:` in the deployment's prefix.
pub struct RedisCache {
    store: RedisStore,
}

impl RedisCache {
    /// Keeps answers in `store`.
    pub fn new(store: RedisStore) -> Self {
        Self { store }
    }
}

#[async_trait]
impl CacheStore for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RedisUnavailable> {
        let mut conn = self.store.connection();
        Ok(redis::cmd("GET")
            .arg(self.store.key(&format!("cache:{key}")))
            .query_async(&mut conn)
            .await?)
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisUnavailable> {
        let mut conn = self.store.connection();
        let millis = ttl.as_millis().max(1) as u64;
        redis::cmd("SET")
            .arg(self.store.key(&format!("cache:{key}")))
            .arg(value)
            .arg("PX")
            .arg(millis)
            .query_async::<()>(&mut conn)
            .await?;
        Ok(())
    }
}
