//! The latest value of each key, computed once per version. A key holds one version at a
//! time: a caller that brings another version replaces it, and callers that arrive together
//! at one version share one computation instead of each running their own. Seat snapshots,
//! venues and seat-map renderings are kept this way: each is worth keeping only while it
//! is current, so nothing older than the newest version needs room.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

struct Entry<Ver, V> {
    version: Ver,
    value: OnceCell<V>,
}

/// Values by key, each at the newest version asked for.
pub struct Latest<K, Ver, V> {
    entries: Mutex<HashMap<K, Arc<Entry<Ver, V>>>>,
    /// Beyond this many keys the entries are dropped rather than grown: the ones in use
    /// come back at the next request, and a table never outgrows what a burst needs.
    limit: usize,
}

impl<K, Ver, V> Latest<K, Ver, V> {
    /// An empty table of at most `limit` keys.
    pub fn new(limit: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            limit,
        }
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Eq + Hash, Ver: PartialEq, V: Clone> Latest<K, Ver, V> {
    /// The value of `key` at `version`, computed by `init` unless it is held or being
    /// computed. A failed computation keeps nothing: the next caller tries again.
    pub async fn get_or_try_init<E, F: Future<Output = Result<V, E>>>(
        &self,
        key: K,
        version: Ver,
        init: impl FnOnce() -> F,
    ) -> Result<V, E> {
        let entry = self.entry(key, version);
        entry.value.get_or_try_init(init).await.cloned()
    }

    fn entry(&self, key: K, version: Ver) -> Arc<Entry<Ver, V>> {
        let Ok(mut entries) = self.entries.lock() else {
            return Arc::new(Entry {
                version,
                value: OnceCell::new(),
            });
        };
        if let Some(entry) = entries.get(&key).filter(|e| e.version == version) {
            return entry.clone();
        }
        if entries.len() >= self.limit && !entries.contains_key(&key) {
            entries.clear();
        }
        let entry = Arc::new(Entry {
            version,
            value: OnceCell::new(),
        });
        entries.insert(key, entry.clone());
        entry
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn callers_at_one_version_share_one_computation_and_a_new_version_replaces_it() {
        let table: Latest<u8, u32, Arc<String>> = Latest::new(16);
        let runs = AtomicUsize::new(0);
        let compute = |v: u32| {
            let runs = &runs;
            move || async move {
                runs.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok::<_, ()>(Arc::new(format!("v{v}")))
            }
        };
        let got =
            futures_util::future::join_all((0..8).map(|_| table.get_or_try_init(1, 1, compute(1))))
                .await;
        assert!(
            got.iter()
                .all(|g| g.as_deref().map(String::as_str) == Ok("v1"))
        );
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        let newer = table.get_or_try_init(1, 2, compute(2)).await.unwrap();
        assert_eq!(newer.as_str(), "v2");
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert_eq!(table.len(), 1);
    }

    #[tokio::test]
    async fn a_failed_computation_is_tried_again_and_the_table_stays_within_its_limit() {
        let table: Latest<u8, (), u8> = Latest::new(2);
        assert_eq!(
            table.get_or_try_init(1, (), || async { Err("down") }).await,
            Err("down")
        );
        assert_eq!(
            table
                .get_or_try_init(1, (), || async { Ok::<_, &str>(7) })
                .await,
            Ok(7)
        );
        for key in 2..6 {
            table
                .get_or_try_init(key, (), || async move { Ok::<_, ()>(key) })
                .await
                .unwrap();
            assert!(table.len() <= 2);
        }
    }
}
