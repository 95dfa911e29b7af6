//! Hot queries shared by every request: answers kept for a short while in a [`CacheStore`]
//! (Redis when scaled out, so instances share them; memory otherwise), with one
//! computation per instance for a burst of identical requests. Keys carry a generation:
//! the newest catalog change this instance has heard of, so that no answer computed before
//! a change is served by an instance that has heard of it.

mod fresh_reads;
mod in_process;
mod latest;
mod redis;
#[cfg(test)]
mod tests;

use std::any::Any;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;

pub use fresh_reads::{FreshReads, Shared};
pub use in_process::InProcessCache;
pub use latest::Latest;
pub use redis::RedisCache;

use marquee_entity::outbox;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::events::{
    CATALOG_CHANGED, DomainEvent, SHOWTIME_ADDED, SHOWTIME_CANCELLED, SHOWTIME_CHANGED,
    SHOWTIME_UPDATED,
};
use crate::redis_store::RedisUnavailable;

/// Where cached answers are kept.
#[async_trait]
pub trait CacheStore: Send + Sync {
    /// The answer stored under `key`, unless it expired.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RedisUnavailable>;
    /// Stores an answer for `ttl`.
    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisUnavailable>;
}

/// A computation in flight: a `OnceCell<Arc<T>>` for the kind's answer type.
type Flight = Arc<dyn Any + Send + Sync>;

/// Cached queries of one deployment.
pub struct QueryCache {
    store: Arc<dyn CacheStore>,
    ttl: Duration,
    generation: AtomicI64,
    flights: Mutex<HashMap<String, Flight>>,
    computed: AtomicU64,
    waited: AtomicU64,
}

impl QueryCache {
    /// Answers kept in `store` for `ttl`.
    pub fn new(store: Arc<dyn CacheStore>, ttl: Duration) -> Self {
        Self {
            store,
            ttl,
            generation: AtomicI64::new(0),
            flights: Mutex::default(),
            computed: AtomicU64::new(0),
            waited: AtomicU64::new(0),
        }
    }

    /// A change with this event id was heard: answers from before it are no longer served.
    /// Catalog changes commit in id order (see `catalog_change_lock`), so the newest id
    /// heard stands for every change before it.
    pub fn heard(&self, event_id: i64) {
        self.generation.fetch_max(event_id, Ordering::SeqCst);
    }

    /// The newest change heard of.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn key(&self, kind: &str, query: &str) -> String {
        format!("{kind}:{}:{query}", self.generation())
    }

    /// How many answers were computed rather than found (for tests and metrics).
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    /// How many requests came while the same answer was being computed here and waited for
    /// it instead of computing it again (for tests and metrics).
    pub fn waited(&self) -> u64 {
        self.waited.load(Ordering::Relaxed)
    }

    /// The answer to `query` of kind `kind`: stored, being computed here (then waited
    /// for), or computed now. A store that cannot be reached, or an answer it holds that
    /// cannot be read, is a miss, not an error.
    pub async fn get_or_compute<T, E, F, Fut>(
        &self,
        kind: &str,
        query: &str,
        compute: F,
    ) -> Result<Arc<T>, E>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = self.key(kind, query);
        let flight: Flight = {
            let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
            match flights.entry(key.clone()) {
                Entry::Occupied(flight) => {
                    self.waited.fetch_add(1, Ordering::Relaxed);
                    flight.get().clone()
                }
                Entry::Vacant(none) => none.insert(Arc::new(OnceCell::<Arc<T>>::new())).clone(),
            }
        };
        let Ok(cell) = flight.clone().downcast::<OnceCell<Arc<T>>>() else {
            return self.fetch(&key, compute).await;
        };
        let answer = cell
            .get_or_try_init(|| self.fetch(&key, compute))
            .await
            .cloned();
        let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        if flights.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
            flights.remove(&key);
        }
        answer
    }

    async fn fetch<T, E, F, Fut>(&self, key: &str, compute: F) -> Result<Arc<T>, E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        match self.store.get(key).await {
            Ok(Some(bytes)) => {
                if let Ok(answer) = serde_json::from_slice(&bytes) {
                    return Ok(Arc::new(answer));
                }
            }
            Ok(None) => {}
            Err(e) => tracing::debug!(error = %e, "query cache unreachable"),
        }
        let answer = compute().await?;
        self.computed.fetch_add(1, Ordering::Relaxed);
        if let Ok(bytes) = serde_json::to_vec(&answer)
            && let Err(e) = self.store.put(key, &bytes, self.ttl).await
        {
            tracing::debug!(error = %e, "query cache unreachable");
        }
        Ok(Arc::new(answer))
    }
}

/// The topics that change what listings show.
const LISTING_TOPICS: [&str; 5] = [
    CATALOG_CHANGED,
    SHOWTIME_ADDED,
    SHOWTIME_CHANGED,
    SHOWTIME_UPDATED,
    SHOWTIME_CANCELLED,
];

impl QueryCache {
    /// Moves to the newest catalog change committed: at start, and after a write made
    /// here (so that its author reads it back at once, before the change feed brings it).
    pub async fn catch_up<C: ConnectionTrait>(&self, db: &C) -> Result<(), DbErr> {
        let newest: Option<Option<i64>> = outbox::Entity::find()
            .select_only()
            .column_as(outbox::Column::Id.max(), "newest")
            .filter(outbox::Column::Topic.is_in(LISTING_TOPICS))
            .into_tuple()
            .one(db)
            .await?;
        if let Some(Some(id)) = newest {
            self.heard(id);
        }
        Ok(())
    }

    /// After a change committed here: [`Self::catch_up`], logged rather than failed (the
    /// change is saved; the feed brings the new generation soon anyway).
    pub async fn after_write<C: ConnectionTrait>(&self, db: &C) {
        if let Err(e) = self.catch_up(db).await {
            tracing::warn!(error = %e, "cached listings may lag a change");
        }
    }

    /// Follows the change feed until the process stops.
    pub async fn follow(
        self: Arc<Self>,
        db: DatabaseConnection,
        mut events: broadcast::Receiver<Arc<DomainEvent>>,
    ) {
        loop {
            match events.recv().await {
                Ok(e) if LISTING_TOPICS.contains(&e.topic.as_str()) => self.heard(e.id),
                Ok(e) if !e.is_missed() => {}
                // Changes were missed: the database knows the newest.
                Ok(_) | Err(RecvError::Lagged(_)) => {
                    if let Err(e) = self.catch_up(&db).await {
                        tracing::warn!(error = %e, "query cache cannot catch up");
                    }
                }
                Err(RecvError::Closed) => return,
            }
        }
    }
}
