//! Reads that must be fresh, shared by the callers that arrive together. A caller is served
//! by a read that started after it arrived, so it sees every change committed before it
//! asked; callers that arrive while a read runs wait for the next one and share it. At
//! most one read per key runs at a time, so a herd of a thousand callers costs a handful
//! of reads instead of a thousand, with no staleness added.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// What a shared read answers: its value, or its error shared by every caller it served.
pub type Shared<V, E> = Result<V, Arc<E>>;

type Waiters<V, E> = Vec<oneshot::Sender<Shared<V, E>>>;

/// Callers waiting per key for a read that has not started yet. A key is present while
/// its reader runs.
pub struct FreshReads<K, V, E> {
    waiting: Arc<Mutex<HashMap<K, Waiters<V, E>>>>,
}

impl<K, V, E> Default for FreshReads<K, V, E> {
    fn default() -> Self {
        Self {
            waiting: Arc::default(),
        }
    }
}

/// Ends the reader of a key: whatever way it stops (a panicking read included), the key
/// goes, and its waiters, whose senders are dropped, hear that no read will serve them.
struct Reader<K: Eq + Hash, V, E> {
    key: Option<K>,
    waiting: Arc<Mutex<HashMap<K, Waiters<V, E>>>>,
}

impl<K: Eq + Hash, V, E> Drop for Reader<K, V, E> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.waiting
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&key);
        }
    }
}

impl<K, V, E> FreshReads<K, V, E>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
    E: Send + Sync + 'static,
{
    /// The value of `key` as read by a `read` that started after this call: the next read
    /// to start, shared with every caller who asked before it started. `lost` stands for
    /// the error of a read that never answered (its task panicked).
    pub async fn read<F, Fut>(&self, key: K, read: F, lost: impl FnOnce() -> E) -> Shared<V, E>
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let lead = {
            let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
            match waiting.get_mut(&key) {
                Some(queue) => {
                    queue.push(tx);
                    false
                }
                None => {
                    waiting.insert(key.clone(), vec![tx]);
                    true
                }
            }
        };
        if lead {
            // Its own task: a caller that gives up must not strand the others.
            let reader = Reader {
                key: Some(key),
                waiting: self.waiting.clone(),
            };
            tokio::spawn(run_reader(reader, read));
        }
        rx.await.unwrap_or_else(|_| Err(Arc::new(lost())))
    }
}

/// Reads for the callers queued when each read starts, until none are left.
async fn run_reader<K, V, E, F, Fut>(mut reader: Reader<K, V, E>, read: F)
where
    K: Eq + Hash,
    V: Clone,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<V, E>>,
{
    loop {
        let served = {
            let mut waiting = reader.waiting.lock().unwrap_or_else(|p| p.into_inner());
            let Some(key) = reader.key.as_ref() else {
                return;
            };
            let queue = waiting.get_mut(key).map(std::mem::take).unwrap_or_default();
            if queue.is_empty() {
                // Removed under the lock: a caller arriving now starts a reader of its own.
                waiting.remove(key);
                reader.key = None;
                return;
            }
            queue
        };
        let answer = read().await.map_err(Arc::new);
        for tx in served {
            let _ = tx.send(answer.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use super::*;

    /// A read of a counter that changes while reads are in flight: each caller must see a
    /// value written no earlier than when it asked.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_caller_sees_what_was_written_before_it_asked_and_a_herd_shares_reads() {
        let reads: Arc<FreshReads<u8, u64, String>> = Arc::default();
        let stored = Arc::new(AtomicU64::new(0));
        let count = Arc::new(AtomicU64::new(0));
        let mut callers = Vec::new();
        for _ in 0..200 {
            let (reads, stored, count) = (reads.clone(), stored.clone(), count.clone());
            callers.push(tokio::spawn(async move {
                // A write committed before this caller asks.
                let written = stored.fetch_add(1, Ordering::SeqCst) + 1;
                let seen = reads
                    .read(
                        7,
                        move || {
                            let (stored, count) = (stored.clone(), count.clone());
                            async move {
                                count.fetch_add(1, Ordering::SeqCst);
                                let v = stored.load(Ordering::SeqCst);
                                tokio::time::sleep(Duration::from_millis(5)).await;
                                Ok(v)
                            }
                        },
                        || "lost".to_owned(),
                    )
                    .await
                    .unwrap();
                assert!(seen >= written, "saw {seen}, wrote {written} before asking");
            }));
        }
        for c in callers {
            c.await.unwrap();
        }
        let n = count.load(Ordering::SeqCst);
        assert!(n < 100, "200 callers took {n} reads");
        // The reader is gone; the next caller reads again.
        let again = reads
            .read(7, || async { Ok(41) }, || "lost".to_owned())
            .await;
        assert_eq!(again, Ok(41));
    }

    fn broken() -> Result<u64, String> {
        panic!("the read broke")
    }

    #[tokio::test]
    async fn a_failed_read_answers_its_callers_and_a_panicking_one_strands_nobody() {
        let reads: FreshReads<u8, u64, String> = FreshReads::default();
        let failed = reads
            .read(1, || async { Err("down".to_owned()) }, || "lost".to_owned())
            .await;
        assert_eq!(failed, Err(Arc::new("down".to_owned())));
        let panicked = reads
            .read(1, || async { broken() }, || "lost".to_owned())
            .await;
        assert_eq!(panicked, Err(Arc::new("lost".to_owned())));
        assert_eq!(
            reads
                .read(1, || async { Ok(3) }, || "lost".to_owned())
                .await,
            Ok(3)
        );
    }
}
