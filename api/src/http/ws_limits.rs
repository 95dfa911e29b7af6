//! Limits of subscription connections: a connection must say who it is (`connection_init`)
//! promptly, a connection without subscriptions is closed when idle, a connection may run
//! only so many subscriptions, and a user only so many connections.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use marquee_domain::ids::UserId;

/// The configured limits, shared by every connection of the server.
#[derive(Debug)]
pub struct WsLimits {
    /// Time allowed between opening and `connection_init`.
    pub init_timeout: Duration,
    /// Time a connection may stay open without a subscription.
    pub idle_timeout: Duration,
    /// Subscriptions running at once on one connection.
    pub max_subscriptions: usize,
    /// Connections open at once per signed-in user.
    pub max_connections_per_user: usize,
    per_user: Mutex<HashMap<UserId, usize>>,
}

impl WsLimits {
    /// Limits with these values.
    pub fn new(
        init_timeout: Duration,
        idle_timeout: Duration,
        max_subscriptions: usize,
        max_connections_per_user: usize,
    ) -> Self {
        Self {
            init_timeout,
            idle_timeout,
            max_subscriptions,
            max_connections_per_user,
            per_user: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a connection of `user`; `false` when the user has too many already.
    pub fn enter(&self, user: UserId) -> bool {
        let Ok(mut per_user) = self.per_user.lock() else {
            return false;
        };
        let open = per_user.entry(user).or_insert(0);
        if *open >= self.max_connections_per_user {
            return false;
        }
        *open += 1;
        true
    }

    /// Forgets a connection of `user`.
    pub fn leave(&self, user: UserId) {
        if let Ok(mut per_user) = self.per_user.lock()
            && let Some(open) = per_user.get_mut(&user)
        {
            *open = open.saturating_sub(1);
            if *open == 0 {
                per_user.remove(&user);
            }
        }
    }
}

/// One connection's state, in its GraphQL data so that subscriptions can take a slot.
#[derive(Debug)]
pub struct Connection {
    max_subscriptions: usize,
    initialized: AtomicBool,
    active: AtomicUsize,
    quiet_since: Mutex<Instant>,
    user: Mutex<Option<UserId>>,
}

/// A running subscription's place on its connection; freed when the subscription ends.
#[derive(Debug)]
pub struct Slot(Arc<Connection>);

impl Drop for Slot {
    fn drop(&mut self) {
        if self.0.active.fetch_sub(1, Ordering::SeqCst) == 1
            && let Ok(mut quiet) = self.0.quiet_since.lock()
        {
            *quiet = Instant::now();
        }
    }
}

impl Connection {
    /// A fresh connection.
    pub fn new(max_subscriptions: usize) -> Arc<Self> {
        Arc::new(Self {
            max_subscriptions,
            initialized: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            quiet_since: Mutex::new(Instant::now()),
            user: Mutex::new(None),
        })
    }

    /// Records the `connection_init` (and who sent it).
    pub fn initialized(&self, user: Option<UserId>) {
        self.initialized.store(true, Ordering::SeqCst);
        if let Ok(mut u) = self.user.lock() {
            *u = user;
        }
    }

    /// The signed-in user of the connection, if any.
    pub fn user(&self) -> Option<UserId> {
        self.user.lock().ok().and_then(|u| *u)
    }

    /// A slot for one more subscription, if the connection has one left.
    pub fn acquire(self: &Arc<Self>) -> Option<Slot> {
        let taken = self.active.fetch_add(1, Ordering::SeqCst);
        if taken >= self.max_subscriptions {
            self.active.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(self.clone()))
    }

    /// Why the connection should be closed now, if it should.
    pub fn overdue(&self, opened: Instant, limits: &WsLimits) -> Option<&'static str> {
        if !self.initialized.load(Ordering::SeqCst) {
            return (opened.elapsed() > limits.init_timeout)
                .then_some("no connection_init in time");
        }
        if self.active.load(Ordering::SeqCst) == 0 {
            let quiet = self
                .quiet_since
                .lock()
                .map(|q| q.elapsed())
                .unwrap_or_default();
            return (quiet > limits.idle_timeout).then_some("idle without subscriptions");
        }
        None
    }
}
