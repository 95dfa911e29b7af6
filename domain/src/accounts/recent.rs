//! Accounts recently found live, so that a crowd of signed-in buyers (an on-sale) does not
//! turn every request into an account read. An entry is trusted for a short, configured
//! time; deleting an account or ending its tokens evicts it here at once, and other
//! instances see the change when their entry lapses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ids::UserId;

use super::Role;

/// Beyond this many entries the map is emptied rather than grown: a cache, not a store.
const MAX_ENTRIES: usize = 100_000;

/// What is known of a live account: its role and its current token version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Live {
    pub(super) role: Role,
    pub(super) token_version: i32,
}

/// Live accounts seen within `ttl`.
#[derive(Debug)]
pub(super) struct RecentAccounts {
    ttl: Duration,
    entries: Mutex<HashMap<UserId, (Live, Instant)>>,
}

impl RecentAccounts {
    pub(super) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// A live account seen within the TTL.
    pub(super) fn get(&self, id: UserId) -> Option<Live> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        entries
            .get(&id)
            .filter(|(_, seen)| seen.elapsed() < self.ttl)
            .map(|(live, _)| *live)
    }

    pub(super) fn remember(&self, id: UserId, live: Live) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(id, (live, Instant::now()));
        }
    }

    pub(super) fn forget(&self, id: UserId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_lapse_and_can_be_forgotten() {
        let id = UserId::from(uuid::Uuid::now_v7());
        let recent = RecentAccounts::new(Duration::from_millis(50));
        let customer = Live {
            role: Role::Customer,
            token_version: 2,
        };
        let admin = Live {
            role: Role::Admin,
            token_version: 0,
        };
        assert_eq!(recent.get(id), None);
        recent.remember(id, customer);
        assert_eq!(recent.get(id), Some(customer));
        recent.forget(id);
        assert_eq!(recent.get(id), None);
        recent.remember(id, admin);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get(id), None);
        let off = RecentAccounts::new(Duration::ZERO);
        off.remember(id, admin);
        assert_eq!(off.get(id), None);
    }
}
