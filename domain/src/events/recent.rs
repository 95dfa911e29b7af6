//! A bounded memory of event ids, to drop the repeats of an at-least-once relay.

use std::collections::{HashSet, VecDeque};

/// The last `capacity` event ids seen. Not a high-water mark: events of different keys
/// may be published out of id order (ids are taken before commit).
#[derive(Debug)]
pub struct RecentIds {
    capacity: usize,
    seen: HashSet<i64>,
    order: VecDeque<i64>,
}

impl RecentIds {
    /// Remembers up to `capacity` ids, forgetting the oldest first.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            seen: HashSet::new(),
            order: VecDeque::new(),
        }
    }

    /// Whether `id` was not seen lately (ids of 0 are pushes that never repeat).
    pub fn is_new(&mut self, id: i64) -> bool {
        if id <= 0 {
            return true;
        }
        if !self.seen.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_dropped_until_forgotten() {
        let mut recent = RecentIds::new(2);
        assert!(recent.is_new(1));
        assert!(!recent.is_new(1));
        assert!(recent.is_new(2));
        assert!(recent.is_new(3));
        // 1 was the oldest of three with room for two.
        assert!(recent.is_new(1));
        assert!(!recent.is_new(3));
        assert!(recent.is_new(0) && recent.is_new(0));
    }
}
