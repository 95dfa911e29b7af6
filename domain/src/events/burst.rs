//! One burst of a key's events, as handed to every subscriber of that key, with a memo
//! where the API layer keeps what it rendered from it: a thousand viewers of one seat map
//! asking for the same fields share one rendering of each burst instead of making a
//! thousand.

use std::any::Any;
use std::sync::{Arc, Mutex};

use super::DomainEvent;

/// Renderings kept per burst at most (one per distinct subscription request).
const MEMO_LIMIT: usize = 16;

type Entry = (u64, Arc<dyn Any + Send + Sync>);

/// A key's events of one burst, in bus order.
pub struct Burst {
    events: Box<[Arc<DomainEvent>]>,
    memo: Mutex<Vec<Entry>>,
}

impl Burst {
    /// A burst of `events`.
    pub fn new(events: Vec<Arc<DomainEvent>>) -> Self {
        Self {
            events: events.into_boxed_slice(),
            memo: Mutex::new(Vec::new()),
        }
    }

    /// The events, in bus order.
    pub fn events(&self) -> &[Arc<DomainEvent>] {
        &self.events
    }

    /// What was remembered as a `T` under `key`.
    pub fn recall<T: Any + Send + Sync>(&self, key: u64) -> Option<Arc<T>> {
        let memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        find::<T>(&memo, key)
    }

    /// Remembers `value` under `key` and returns what is remembered there: the value of
    /// whoever got there first, so racing renderers all end up sharing one.
    pub fn remember<T: Any + Send + Sync>(&self, key: u64, value: Arc<T>) -> Arc<T> {
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = find::<T>(&memo, key) {
            return kept;
        }
        // A burst lives for milliseconds; the limit only guards against a flood of
        // distinct requests keeping many renderings of one burst alive.
        if memo.len() < MEMO_LIMIT {
            memo.push((key, value.clone()));
        }
        value
    }
}

/// Entries are told apart by key and type: one request's rendering and its serialized
/// message live side by side under the same key.
fn find<T: Any + Send + Sync>(memo: &[Entry], key: u64) -> Option<Arc<T>> {
    memo.iter()
        .find(|(k, v)| *k == key && v.is::<T>())
        .and_then(|(_, v)| v.clone().downcast::<T>().ok())
}

impl std::fmt::Debug for Burst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Burst")
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_rendering_is_the_one_kept() {
        let burst = Burst::new(Vec::new());
        assert!(burst.recall::<String>(1).is_none());
        let first = burst.remember(1, Arc::new("a".to_owned()));
        let second = burst.remember(1, Arc::new("b".to_owned()));
        assert_eq!(*first, "a");
        assert_eq!(*second, "a");
        assert_eq!(
            burst.recall::<String>(1).as_deref().map(String::as_str),
            Some("a")
        );
        assert!(
            burst.recall::<u32>(1).is_none(),
            "another type is not mistaken for it"
        );
        assert_eq!(*burst.remember(1, Arc::new(5_u32)), 5, "kept beside it");
        assert_eq!(burst.recall::<u32>(1).as_deref(), Some(&5));
        assert!(burst.recall::<String>(2).is_none());
    }

    #[test]
    fn a_flood_of_keys_is_not_kept() {
        let burst = Burst::new(Vec::new());
        for k in 0..100 {
            burst.remember(k, Arc::new(k));
        }
        assert_eq!(burst.memo.lock().unwrap().len(), MEMO_LIMIT);
        assert_eq!(
            *burst.remember(99, Arc::new(7_u64)),
            7,
            "unkept values still returned"
        );
    }
}
