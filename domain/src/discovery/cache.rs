//! Hot queries answered from memory: a burst of identical searches (a title trending on
//! opening night) costs one index search, and answers are reused for a short while. Every
//! instance keeps its own, because every instance searches its own index; a change applied
//! to the index starts a new generation, so no answer from before it is served after it.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// How long an answer is reused.
const FRESH_FOR: Duration = Duration::from_secs(30);
/// Answers kept at most; beyond, the oldest are dropped.
const MAX_ENTRIES: usize = 2_048;

type Flight<T> = Arc<OnceCell<Arc<T>>>;

/// Answers of one kind of query, by the query's text form.
pub(super) struct HotQueries<T> {
    generation: AtomicU64,
    answers: Mutex<Answers<T>>,
    /// Queries being computed: latecomers wait for the one computation in flight.
    flights: Mutex<HashMap<String, Flight<T>>>,
}

/// Answers by key, and their keys in the order they were kept: every answer lives as long,
/// so the first kept is the first to go, found without scanning the others.
struct Answers<T> {
    by_key: HashMap<String, (Instant, Arc<T>)>,
    order: VecDeque<(Instant, String)>,
}

impl<T> Default for Answers<T> {
    fn default() -> Self {
        Self {
            by_key: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<T> Default for HotQueries<T> {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            answers: Mutex::default(),
            flights: Mutex::default(),
        }
    }
}

impl<T> HotQueries<T> {
    /// Forgets every answer: the index changed.
    pub(super) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut answers) = self.answers.lock() {
            *answers = Answers::default();
        }
    }

    fn fresh(&self, key: &str) -> Option<Arc<T>> {
        let answers = self.answers.lock().ok()?;
        let (at, answer) = answers.by_key.get(key)?;
        (at.elapsed() < FRESH_FOR).then(|| answer.clone())
    }

    fn keep(&self, key: String, answer: Arc<T>) {
        let Ok(mut answers) = self.answers.lock() else {
            return;
        };
        let now = Instant::now();
        let Answers { by_key, order } = &mut *answers;
        while let Some((at, oldest)) = order.front() {
            if by_key.len() < MAX_ENTRIES && at.elapsed() < FRESH_FOR {
                break;
            }
            // A key kept again later has a newer time in the map: only its old place goes.
            if by_key.get(oldest).is_some_and(|(kept, _)| kept == at) {
                by_key.remove(oldest);
            }
            order.pop_front();
        }
        order.push_back((now, key.clone()));
        by_key.insert(key, (now, answer));
    }

    /// The answer to `query`: remembered, being computed (then waited for), or computed now.
    pub(super) async fn get_or_compute<E, F, Fut>(
        &self,
        query: &str,
        compute: F,
    ) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = format!("{}\n{query}", self.generation.load(Ordering::SeqCst));
        if let Some(answer) = self.fresh(&key) {
            return Ok(answer);
        }
        let flight = match self.flights.lock() {
            Ok(mut flights) => flights.entry(key.clone()).or_default().clone(),
            Err(_) => Arc::default(),
        };
        let answer = flight
            .get_or_try_init(|| async { compute().await.map(Arc::new) })
            .await
            .cloned();
        if let Ok(mut flights) = self.flights.lock()
            && flights.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight))
        {
            flights.remove(&key);
        }
        let answer = answer?;
        // Kept only if no change landed meanwhile (the key names the generation it began in).
        if key.starts_with(&format!("{}\n", self.generation.load(Ordering::SeqCst))) {
            self.keep(key, answer.clone());
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::AtomicUsize;

    use super::*;

    #[tokio::test]
    async fn a_full_cache_drops_its_oldest_answers_first() {
        let cache = HotQueries::<usize>::default();
        for i in 0..MAX_ENTRIES + 10 {
            cache
                .get_or_compute(&format!("q{i}"), || async move { Ok::<_, ()>(i) })
                .await
                .unwrap();
        }
        let answers = cache.answers.lock().unwrap();
        assert_eq!(answers.by_key.len(), MAX_ENTRIES);
        assert!(answers.order.len() <= MAX_ENTRIES);
        drop(answers);
        let key = |i: usize| format!("0\nq{i}");
        assert!(cache.fresh(&key(9)).is_none(), "the first kept went first");
        assert_eq!(cache.fresh(&key(10)).as_deref(), Some(&10));
        assert_eq!(
            cache.fresh(&key(MAX_ENTRIES + 9)).as_deref(),
            Some(&(MAX_ENTRIES + 9))
        );
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
