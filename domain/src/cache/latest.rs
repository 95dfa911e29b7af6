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

    /// The same, except that a value held for which `stale` says so is computed again, as
    /// if its version were new (for values that also lapse with time).
    pub async fn get_or_try_init_unless<E, F: Future<Output = Result<V, E>>>(
        &self,
        key: K,
        version: Ver,
        stale: impl Fn(&V) -> bool,
        init: impl FnOnce() -> F,
    ) -> Result<V, E>
    where
        K: Clone,
        Ver: Clone,
    {
        let mut entry = self.entry(key.clone(), version.clone());
        if entry.value.get().is_some_and(&stale)
            && let Ok(mut entries) = self.entries.lock()
        {
            let held = entries
                .get(&key)
                .filter(|e| !Arc::ptr_eq(e, &entry))
                .cloned();
            entry = held.unwrap_or_else(|| {
                let fresh = Arc::new(Entry {
                    version,
                    value: OnceCell::new(),
                });
                entries.insert(key, fresh.clone());
                fresh
            });
        }
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
    async fn a_stale_value_is_computed_again_once_for_the_callers_that_find_it() {
        let table: Latest<u8, u32, (u32, bool)> = Latest::new(4);
        let runs = AtomicUsize::new(0);
        let compute = |stale: bool| {
            let runs = &runs;
            move || async move {
                let n = runs.fetch_add(1, Ordering::SeqCst) as u32;
                tokio::task::yield_now().await;
                Ok::<_, ()>((n, stale))
            }
        };
        let is_stale = |v: &(u32, bool)| v.1;
        let first = table
            .get_or_try_init_unless(1, 1, is_stale, compute(true))
            .await
            .unwrap();
        assert_eq!(first, (0, true));
        let again = futures_util::future::join_all(
            (0..6).map(|_| table.get_or_try_init_unless(1, 1, is_stale, compute(false))),
        )
        .await;
        assert!(again.iter().all(|v| *v == Ok((1, false))));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
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
