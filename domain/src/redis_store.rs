//! The shared Redis connection (when configured) with this deployment's key prefix.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// A Redis handle: a self-reconnecting connection and the prefix every key gets, so that
/// several deployments (or tests) can share one server.
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    conn: ConnectionManager,
    prefix: String,
}

/// Redis could not be reached or answered with an error.
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisUnavailable(#[from] redis::RedisError);

impl RedisStore {
    /// Opens a lazily connecting handle: the server may be down at start and come up later.
    pub fn open(url: &str, prefix: &str) -> Result<Self, RedisUnavailable> {
        Self::with_client(redis::Client::open(url)?, prefix)
    }

    /// The same server and prefix on a connection of its own, for traffic that must not
    /// queue behind the shared connection's commands (one connection carries every
    /// buyer's hold).
    pub fn separate(&self) -> Result<Self, RedisUnavailable> {
        Self::with_client(self.client.clone(), &self.prefix)
    }

    fn with_client(client: redis::Client, prefix: &str) -> Result<Self, RedisUnavailable> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        Ok(Self {
            client,
            conn,
            prefix: prefix.to_owned(),
        })
    }

    /// The key under this deployment's prefix.
    pub fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// The client, for dedicated connections (pub/sub).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// A connection handle (cheap clone).
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// PING, for readiness checks.
    pub async fn ping(&self) -> Result<(), RedisUnavailable> {
        let mut conn = self.conn.clone();
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}

/// The Redis of a test run: `TEST_REDIS_URL`, which a run that names PostgreSQL + Redis
/// (`TEST_BACKEND=postgres`) must have, rather than quietly skip the Redis adapters' tests.
#[cfg(test)]
pub(crate) fn test_redis_url() -> Option<String> {
    let url = std::env::var("TEST_REDIS_URL").ok();
    let named = std::env::var("TEST_BACKEND").ok();
    assert!(
        url.is_some() || named.as_deref() != Some("postgres"),
        "TEST_BACKEND=postgres, but TEST_REDIS_URL is not set: run through scripts/test.sh"
    );
    url
}
