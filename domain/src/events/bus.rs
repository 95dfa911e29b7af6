//! The event bus: an in-process broadcast on the embedded default, Redis pub/sub when
//! configured so that every instance hears every event. Subscribers that fall behind see
//! `Lagged` and must resynchronise (a seat map takes a fresh snapshot).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use tokio::sync::broadcast;

use super::DomainEvent;
use crate::redis_store::{RedisStore, RedisUnavailable};

/// Events buffered per subscriber before it is told it lagged.
const CAPACITY: usize = 4_096;

/// Where published events go and where subscribers listen.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes events, in order.
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), RedisUnavailable>;
    /// Every event published from now on (by any instance).
    fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>>;
}

/// One process: a broadcast channel.
pub struct InProcessBus {
    tx: broadcast::Sender<Arc<DomainEvent>>,
}

impl Default for InProcessBus {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
        }
    }
}

#[async_trait]
impl EventBus for InProcessBus {
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), RedisUnavailable> {
        for e in events {
            // No subscriber is not an error.
            let _ = self.tx.send(Arc::new(e.clone().decoded()));
        }
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>> {
        self.tx.subscribe()
    }
}

/// Every instance: Redis pub/sub on one channel under the deployment's prefix, fanned out
/// locally by a listener task that reconnects when Redis comes back. Every subscription,
/// the first included, is announced to local listeners as a gap: whatever other instances
/// published before it (since this instance's listeners took their start state, or since
/// the last subscription ended) was never heard here.
pub struct RedisBus {
    store: RedisStore,
    channel: String,
    local: broadcast::Sender<Arc<DomainEvent>>,
}

impl RedisBus {
    /// Connects the publisher and starts the listener.
    pub fn start(store: RedisStore) -> Arc<Self> {
        let channel = store.key("events");
        let bus = Arc::new(Self {
            store,
            channel,
            local: broadcast::channel(CAPACITY).0,
        });
        tokio::spawn(Self::listen(
            bus.store.clone(),
            bus.channel.clone(),
            bus.local.clone(),
        ));
        bus
    }

    async fn listen(
        store: RedisStore,
        channel: String,
        local: broadcast::Sender<Arc<DomainEvent>>,
    ) {
        loop {
            match store.client().get_async_pubsub().await {
                Ok(mut pubsub) => {
                    if let Err(e) = pubsub.subscribe(&channel).await {
                        tracing::warn!(error = %e, "event bus: cannot subscribe; retrying");
                    } else {
                        // Pub/sub keeps nothing for an absent listener: whatever was
                        // published before this subscription was established is lost, at
                        // start as after an outage.
                        let _ = local.send(Arc::new(DomainEvent::missed()));
                        let mut messages = pubsub.on_message();
                        while let Some(msg) = messages.next().await {
                            let Ok(body) = msg.get_payload::<String>() else {
                                continue;
                            };
                            match serde_json::from_str::<DomainEvent>(&body) {
                                Ok(event) => {
                                    let _ = local.send(Arc::new(event.decoded()));
                                }
                                Err(e) => tracing::warn!(error = %e, "event bus: unreadable event"),
                            }
                        }
                        tracing::warn!("event bus: Redis subscription ended; reconnecting");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "event bus: Redis unreachable; retrying"),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

#[async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), RedisUnavailable> {
        let mut conn = self.store.connection();
        let mut pipe = redis::pipe();
        for e in events {
            let body = serde_json::to_string(e).unwrap_or_default();
            pipe.cmd("PUBLISH").arg(&self.channel).arg(body).ignore();
        }
        pipe.query_async::<()>(&mut conn).await?;
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>> {
        self.local.subscribe()
    }
}
