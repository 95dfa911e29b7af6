//! Hot queries answered from memory: a burst of identical searches (a title trending on
//! opening night) costs one index search, and answers are reused for a short while. Every
//! instance keeps its own, because every instance searches its own index; a change applied
//! to the index starts a new generation, so no answer from before it is served after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use moka::future::Cache;

/// How long an answer is reused.
const FRESH_FOR: Duration = Duration::from_secs(30);
/// Answers kept at most; beyond, the least used are dropped.
const MAX_ENTRIES: u64 = 2_048;

/// Answers of one kind of query, by the index generation and the query's text form.
pub(super) struct HotQueries<T> {
    generation: AtomicU64,
    /// Latecomers to a query being computed wait for the one computation in flight.
    answers: Cache<(u64, String), Arc<T>>,
}

impl<T: Send + Sync + 'static> Default for HotQueries<T> {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            answers: Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(FRESH_FOR)
                .build(),
        }
    }
}

impl<T: Send + Sync + 'static> HotQueries<T> {
    /// Forgets every answer: the index changed. A computation still in flight keeps its
    /// answer under the old generation, which no later query asks for.
    pub(super) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.answers.invalidate_all();
    }

    /// The answer to `query`: remembered, being computed (then waited for), or computed
    /// now. Every caller waiting on a failed computation gets the same error.
    pub(super) async fn get_or_compute<E, F, Fut>(
        &self,
        query: &str,
        compute: F,
    ) -> Result<Arc<T>, Arc<E>>
    where
        E: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = (self.generation.load(Ordering::SeqCst), query.to_owned());
        self.answers
            .try_get_with(key, async { compute().await.map(Arc::new) })
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::AtomicUsize;

    use super::*;

    async fn ask(cache: &HotQueries<u64>, runs: &AtomicUsize, i: u64) -> u64 {
        let query = format!("q{i}");
        let answer = cache.get_or_compute(&query, || async {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(i)
        });
        *answer.await.unwrap()
    }

    #[tokio::test]
    async fn a_full_cache_stays_bounded_and_keeps_what_is_asked_again() {
        let cache = HotQueries::<u64>::default();
        let runs = AtomicUsize::new(0);
        for round in 0..3 {
            // A hot query asked again and again among a stream of queries asked once.
            for i in 0..MAX_ENTRIES {
                assert_eq!(ask(&cache, &runs, 0).await, 0);
                let once = round * MAX_ENTRIES + i + 1;
                assert_eq!(ask(&cache, &runs, once).await, once);
            }
        }
        cache.answers.run_pending_tasks().await;
        assert!(cache.answers.entry_count() <= MAX_ENTRIES);
        let before = runs.load(Ordering::SeqCst);
        ask(&cache, &runs, 0).await;
        assert_eq!(runs.load(Ordering::SeqCst), before, "the hot query stayed");
    }

    #[tokio::test]
    async fn concurrent_identical_queries_compute_once_and_a_change_starts_afresh() {
        let cache = Arc::new(HotQueries::<String>::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let ask = |cache: Arc<HotQueries<String>>, runs: Arc<AtomicUsize>| async move {
            cache
                .get_or_compute("avengers", || async {
                    runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<_, ()>("hits".to_owned())
                })
                .await
                .unwrap()
        };
        let tasks: Vec<_> = (0..200)
            .map(|_| tokio::spawn(ask(cache.clone(), runs.clone())))
            .collect();
        for t in tasks {
            assert_eq!(*t.await.unwrap(), "hits");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        ask(cache.clone(), runs.clone()).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1, "answered from memory");
        cache.invalidate();
        ask(cache.clone(), runs.clone()).await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "computed again after a change"
        );
    }
}
