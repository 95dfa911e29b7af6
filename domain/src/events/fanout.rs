//! Per-key fan-out of the event bus for live subscribers. One task per instance hears the
//! bus and hands each subscriber only the events of its topic and key, grouped per burst:
//! a thousand viewers of one seat map wake once per burst of its changes, not once per
//! event of any kind (booking statuses, other showtimes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use super::{Burst, DomainEvent, RecentIds};

/// Bursts buffered per key before a subscriber is told it lagged.
const ROUTE_CAPACITY: usize = 1_024;
/// Events taken off the bus per burst at most, so one flood cannot starve every route.
const BURST: usize = 1_024;
/// Event ids remembered to drop repeats (the relay publishes at least once).
const REMEMBERED: usize = 16_384;
/// How often routes whose subscribers have all gone are dropped.
const SWEEP: Duration = Duration::from_secs(30);

/// What a subscriber of one key receives.
#[derive(Debug, Clone)]
pub enum Delivery {
    /// The key's events of one burst, in bus order.
    Events(Arc<Burst>),
    /// Events may have been lost upstream: the subscriber must resynchronise.
    Resync,
}

/// A topic and a key.
type Route = (String, String);
type Routes = HashMap<Route, broadcast::Sender<Delivery>>;

/// Subscriptions by topic and key.
#[derive(Clone, Default)]
pub struct Fanout {
    routes: Arc<Mutex<Routes>>,
}

impl Fanout {
    /// Starts routing what `bus` receives.
    pub fn start(bus: broadcast::Receiver<Arc<DomainEvent>>) -> Self {
        let fanout = Self::default();
        tokio::spawn(fanout.clone().route(bus));
        fanout
    }

    /// Every event of `topic` about `key` routed from now on.
    pub fn subscribe(&self, topic: &str, key: &str) -> broadcast::Receiver<Delivery> {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        routes
            .entry((topic.to_owned(), key.to_owned()))
            .or_insert_with(|| broadcast::channel(ROUTE_CAPACITY).0)
            .subscribe()
    }

    /// Keys with at least one subscriber.
    pub fn routes(&self) -> usize {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        routes.values().filter(|tx| tx.receiver_count() > 0).count()
    }

    async fn route(self, mut bus: broadcast::Receiver<Arc<DomainEvent>>) {
        let mut sweep = tokio::time::interval(SWEEP);
        let mut recent = RecentIds::new(REMEMBERED);
        loop {
            let first = tokio::select! {
                got = bus.recv() => got,
                _ = sweep.tick() => {
                    self.sweep();
                    continue;
                }
            };
            let mut burst = match first {
                Ok(e) => vec![e],
                Err(RecvError::Lagged(_)) => {
                    self.resync_all();
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let mut lagged = false;
            while burst.len() < BURST {
                match bus.try_recv() {
                    Ok(e) => burst.push(e),
                    Err(TryRecvError::Lagged(_)) => {
                        lagged = true;
                        break;
                    }
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            let missed = burst.iter().any(|e| e.is_missed());
            burst.retain(|e| !e.is_missed() && recent.is_new(e.id));
            if !burst.is_empty() {
                self.deliver(burst);
            }
            if lagged || missed {
                self.resync_all();
            }
        }
    }

    fn deliver(&self, burst: Vec<Arc<DomainEvent>>) {
        // Grouped in first-seen order of keys, each key's events in bus order.
        let mut groups: Vec<(Route, Vec<Arc<DomainEvent>>)> = Vec::new();
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        for e in burst {
            let route = (e.topic.clone(), e.key.clone());
            if !routes.contains_key(&route) {
                continue;
            }
            match groups.iter_mut().find(|(r, _)| *r == route) {
                Some((_, events)) => events.push(e),
                None => groups.push((route, vec![e])),
            }
        }
        for (route, events) in groups {
            if let Some(tx) = routes.get(&route) {
                // No receiver left is not an error; the sweep drops the route.
                let _ = tx.send(Delivery::Events(Arc::new(Burst::new(events))));
            }
        }
    }

    fn resync_all(&self) {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        for tx in routes.values() {
            let _ = tx.send(Delivery::Resync);
        }
    }

    fn sweep(&self) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        routes.retain(|_, tx| tx.receiver_count() > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, topic: &str, key: &str) -> Arc<DomainEvent> {
        Arc::new(DomainEvent {
            id,
            topic: topic.into(),
            key: key.into(),
            payload: serde_json::Value::Null,
            created_at: chrono::Utc::now(),
            seats: None,
            trace_parent: None,
        })
    }

    fn ids(d: Delivery) -> Vec<i64> {
        match d {
            Delivery::Events(es) => es.events().iter().map(|e| e.id).collect(),
            Delivery::Resync => vec![-1],
        }
    }

    #[tokio::test]
    async fn each_subscriber_gets_only_its_key_in_order() {
        let (tx, rx) = broadcast::channel(64);
        let fanout = Fanout::start(rx);
        let mut a = fanout.subscribe("seat.changes", "A");
        let mut b = fanout.subscribe("seat.changes", "B");
        let mut other_topic = fanout.subscribe("booking.status", "A");
        for (id, topic, key) in [
            (1, "seat.changes", "A"),
            (2, "booking.status", "A"),
            (3, "seat.changes", "B"),
            (4, "seat.changes", "A"),
        ] {
            tx.send(event(id, topic, key)).unwrap();
        }
        let mut got_a = Vec::new();
        while got_a.len() < 2 {
            got_a.extend(ids(a.recv().await.unwrap()));
        }
        assert_eq!(got_a, vec![1, 4]);
        assert_eq!(ids(b.recv().await.unwrap()), vec![3]);
        assert_eq!(ids(other_topic.recv().await.unwrap()), vec![2]);
        assert!(a.try_recv().is_err(), "nothing else for A");
    }

    #[tokio::test]
    async fn repeats_are_dropped_before_they_reach_subscribers() {
        let (tx, rx) = broadcast::channel(64);
        let fanout = Fanout::start(rx);
        let mut a = fanout.subscribe("seat.changes", "A");
        for id in [1, 2, 1, 3, 2, 0, 0] {
            tx.send(event(id, "seat.changes", "A")).unwrap();
        }
        let mut got = Vec::new();
        while got.len() < 5 {
            got.extend(ids(a.recv().await.unwrap()));
        }
        assert_eq!(got, vec![1, 2, 3, 0, 0]);
        assert!(a.try_recv().is_err(), "nothing else for A");
    }

    #[tokio::test]
    async fn a_lag_upstream_asks_every_subscriber_to_resync() {
        let (tx, rx) = broadcast::channel(4);
        let fanout = Fanout::default();
        let mut a = fanout.subscribe("seat.changes", "A");
        // More than the bus holds before the router reads it.
        for id in 0..10 {
            tx.send(event(id, "seat.changes", "A")).unwrap();
        }
        tokio::spawn(fanout.clone().route(rx));
        let mut saw_resync = false;
        while let Ok(Ok(d)) = tokio::time::timeout(Duration::from_millis(200), a.recv()).await {
            saw_resync |= matches!(d, Delivery::Resync);
        }
        assert!(saw_resync);
    }

    #[tokio::test]
    async fn a_gap_in_the_bus_asks_every_subscriber_to_resync() {
        let (tx, rx) = broadcast::channel(64);
        let fanout = Fanout::start(rx);
        let mut a = fanout.subscribe("seat.changes", "A");
        tx.send(Arc::new(DomainEvent::missed())).unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), a.recv()).await;
        assert!(matches!(got, Ok(Ok(Delivery::Resync))), "{got:?}");
    }

    #[tokio::test]
    async fn routes_without_subscribers_are_swept() {
        let fanout = Fanout::default();
        let a = fanout.subscribe("seat.changes", "A");
        let _b = fanout.subscribe("seat.changes", "B");
        assert_eq!(fanout.routes(), 2);
        drop(a);
        fanout.sweep();
        assert_eq!(fanout.routes(), 1);
        assert_eq!(fanout.routes.lock().unwrap().len(), 1);
    }
}
