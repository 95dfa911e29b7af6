//! Accounts recently found live, so that a crowd of signed-in buyers (an on-sale) does not
//! turn every request into an account read. An entry is trusted for a short, configured
//! time; deleting an account evicts it here at once, and other instances see the deletion
//! when their entry lapses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ids::UserId;

use super::Role;

/// Beyond this many entries the map is emptied rather than grown: a cache, not a store.
const MAX_ENTRIES: usize = 100_000;

/// Live accounts seen within `ttl`.
#[derive(Debug)]
pub(super) struct RecentAccounts {
    ttl: Duration,
    entries: Mutex<HashMap<UserId, (Role, Instant)>>,
}

impl RecentAccounts {
    pub(super) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The role of a live account seen within the TTL.
    pub(super) fn get(&self, id: UserId) -> Option<Role> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        entries
            .get(&id)
            .filter(|(_, seen)| seen.elapsed() < self.ttl)
            .map(|(role, _)| *role)
    }

    pub(super) fn remember(&self, id: UserId, role: Role) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(id, (role, Instant::now()));
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
        assert_eq!(recent.get(id), None);
        recent.remember(id, Role::Customer);
        assert_eq!(recent.get(id), Some(Role::Customer));
        recent.forget(id);
        assert_eq!(recent.get(id), None);
        recent.remember(id, Role::Admin);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get(id), None);
        let off = RecentAccounts::new(Duration::ZERO);
        off.remember(id, Role::Admin);
        assert_eq!(off.get(id), None);
    }
}
