//! Accounts recently found live, so that a crowd of signed-in buyers (an on-sale) does not
//! turn every request into an account read. An entry is trusted for a short, configured
//! time; deleting an account or ending its tokens evicts it here at once, and other
//! instances see the change when their entry lapses.

use std::time::Duration;

use moka::sync::Cache;

use crate::ids::UserId;

use super::Role;

/// Beyond this many entries the least used go first: a cache, not a store.
const MAX_ENTRIES: u64 = 100_000;

/// What is known of a live account: its role and its current token version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Live {
    pub(super) role: Role,
    pub(super) token_version: i32,
}

/// Live accounts seen within the TTL; none kept when it is zero.
pub(super) struct RecentAccounts {
    entries: Option<Cache<UserId, Live>>,
}

impl std::fmt::Debug for RecentAccounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentAccounts")
            .field("on", &self.entries.is_some())
            .finish()
    }
}

impl RecentAccounts {
    pub(super) fn new(ttl: Duration) -> Self {
        let entries = (!ttl.is_zero()).then(|| {
            Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(ttl)
                .build()
        });
        Self { entries }
    }

    /// A live account seen within the TTL.
    pub(super) fn get(&self, id: UserId) -> Option<Live> {
        self.entries.as_ref()?.get(&id)
    }

    pub(super) fn remember(&self, id: UserId, live: Live) {
        if let Some(entries) = &self.entries {
            entries.insert(id, live);
        }
    }

    pub(super) fn forget(&self, id: UserId) {
        if let Some(entries) = &self.entries {
            entries.invalidate(&id);
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
