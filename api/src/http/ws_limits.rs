//! Limits of subscription connections: a connection must say who it is (`connection_init`)
//! promptly, a connection without subscriptions is closed when idle, a connection may run
//! only so many operations, a user only so many connections, and an address (signed in or
//! not) and the server as a whole only so many.

use std::collections::HashMap;
use std::net::IpAddr;
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
    /// Connections open at once from one address (an IPv6 /64 counts as one).
    pub max_connections_per_ip: usize,
    /// Connections open at once on this server.
    pub max_connections: usize,
    per_user: Mutex<HashMap<UserId, usize>>,
    open: Mutex<Open>,
}

/// The connections open now, in all and by address.
#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// Why a connection was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its address has as many open as it may.
    PerIp,
    /// The server has as many open as it may.
    Total,
}

/// A connection's place among the open ones; given back when dropped.
#[derive(Debug)]
pub struct Admission {
    limits: Arc<WsLimits>,
    ip: IpAddr,
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut open = self.limits.open();
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.per_ip.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.per_ip.remove(&self.ip);
            }
        }
    }
}

/// The address a connection counts against: an IPv4 address (or an IPv4 address mapped
/// into IPv6) as it is, an IPv6 address by its /64, which one host or home often holds
/// whole.
fn counted(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
    }
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
            max_connections_per_ip: usize::MAX,
            max_connections: usize::MAX,
            per_user: Mutex::new(HashMap::new()),
            open: Mutex::new(Open::default()),
        }
    }

    /// The same limits with caps on connections per address and in all.
    pub fn with_connection_caps(mut self, per_ip: usize, total: usize) -> Self {
        self.max_connections_per_ip = per_ip;
        self.max_connections = total;
        self
    }

    /// Lets a connection from `ip` in, unless its address or the server is at its cap.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Admission, Refusal> {
        let ip = counted(ip);
        let mut open = self.open();
        if open.total >= self.max_connections {
            return Err(Refusal::Total);
        }
        let from_ip = open.per_ip.entry(ip).or_insert(0);
        if *from_ip >= self.max_connections_per_ip {
            return Err(Refusal::PerIp);
        }
        *from_ip += 1;
        open.total += 1;
        Ok(Admission {
            limits: self.clone(),
            ip,
        })
    }

    fn open(&self) -> std::sync::MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_ip: usize, total: usize) -> Arc<WsLimits> {
        let d = Duration::from_secs(1);
        Arc::new(WsLimits::new(d, d, 1, 1).with_connection_caps(per_ip, total))
    }

    #[test]
    fn connections_are_capped_per_address_and_in_all_and_freed_when_dropped() {
        let limits = limits(2, 3);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = limits.admit(a).unwrap();
        let _second = limits.admit(a).unwrap();
        assert_eq!(limits.admit(a).unwrap_err(), Refusal::PerIp);
        let _third = limits.admit(b).unwrap();
        assert_eq!(limits.admit(b).unwrap_err(), Refusal::Total);
        drop(first);
        assert!(limits.admit(b).is_ok());
    }

    #[test]
    fn an_ipv6_host_counts_by_its_64_and_a_mapped_ipv4_as_itself() {
        let limits = limits(1, 10);
        let _one = limits.admit("2001:db8::1".parse().unwrap()).unwrap();
        assert!(limits.admit("2001:db8::ffff:2".parse().unwrap()).is_err());
        assert!(limits.admit("2001:db8:0:1::1".parse().unwrap()).is_ok());
        let _v4 = limits.admit("192.0.2.1".parse().unwrap()).unwrap();
        assert!(limits.admit("::ffff:192.0.2.1".parse().unwrap()).is_err());
    }
}
