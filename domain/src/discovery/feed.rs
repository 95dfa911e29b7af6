//! The change feed into the index. Hearing an event only notes what it touches, so the bus
//! never waits on a reindex and a burst of events (an on-sale) does not make this listener
//! fall behind. One worker brings the index up to date with what was noted: a reindex that
//! fails leaves its changes noted and is tried again after a growing pause, and a rebuild
//! (asked for at start, or after events were missed) runs in that same worker, so what it
//! read can never overwrite a newer change, and the changes heard meanwhile follow it.

use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};
use std::time::Duration;

use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;

use super::reindex::Changes;
use super::{DiscoveryError, DiscoveryService};
use crate::booking::ExecutionOutcome;
use crate::events::DomainEvent;

/// How often the worker looks at the clock when nothing is heard: sales waiting for their
/// turn and showtimes crossing the window's edges change documents with nothing published.
const TICK: Duration = Duration::from_secs(1);

/// The pause before the first retry of a failed reindex; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const MAX_PAUSE: Duration = Duration::from_secs(10);

fn pause_after(failures: u32) -> Duration {
    FIRST_PAUSE
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(MAX_PAUSE)
}

impl DiscoveryService {
    fn noted(&self) -> MutexGuard<'_, Changes> {
        self.noted.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Has the feed read the whole catalog again, after whatever it is doing now (a server
    /// refreshing an index it kept from before it stopped).
    pub fn request_rebuild(&self) {
        self.noted().rebuild = true;
        self.wake.notify_one();
    }

    /// Runs until the bus closes: notes every catalog, showtime and sales event, while a
    /// worker reindexes what they touched and what time has changed.
    pub async fn run(self, mut events: Receiver<Arc<DomainEvent>>) {
        let worker = tokio::spawn(self.clone().catch_up());
        loop {
            let touched = match events.recv().await {
                Ok(e) => self.noted().note(&e),
                Err(RecvError::Lagged(missed)) => {
                    // Which titles those events touched is unknown: one rebuild covers them
                    // all, however many times the bus overflows before it starts.
                    tracing::warn!(missed, "search feed fell behind the bus; rebuilding");
                    self.noted().rebuild = true;
                    true
                }
                Err(RecvError::Closed) => break,
            };
            if touched {
                self.wake.notify_one();
            }
        }
        worker.abort();
    }

    async fn catch_up(self) {
        let mut failures = 0u32;
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => failures = 0,
                Ok(ExecutionOutcome::EmptyQueue) => {
                    failures = 0;
                    tokio::select! {
                        () = self.wake.notified() => {}
                        () = tokio::time::sleep(TICK) => {}
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    self.reindex_failures.fetch_add(1, Ordering::Relaxed);
                    let pause = pause_after(failures);
                    tracing::warn!(
                        error = %e,
                        failures,
                        retry_in_ms = pause.as_millis() as u64,
                        "search reindex failed; its changes are kept for the retry"
                    );
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    /// Brings the index up to date with what was noted and with what time has changed.
    /// On failure everything noted stays noted for the next try.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DiscoveryError> {
        let changes = std::mem::take(&mut *self.noted());
        if changes.rebuild {
            // What was noted so far was committed before the rebuild reads: it is covered.
            return match self.rebuild().await {
                Ok(_) => Ok(ExecutionOutcome::TaskCompleted),
                Err(e) => {
                    self.noted().merge(changes);
                    Err(e)
                }
            };
        }
        let mut progress = self.progress.lock().await;
        match self.apply(&mut progress, &changes).await {
            Ok(true) => Ok(ExecutionOutcome::TaskCompleted),
            Ok(false) => Ok(ExecutionOutcome::EmptyQueue),
            Err(e) => {
                drop(progress);
                self.noted().merge(changes);
                Err(e)
            }
        }
    }

    /// Reindexes that have failed so far (each is retried).
    pub fn reindex_failures(&self) -> u64 {
        self.reindex_failures.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_pause_longer_each_time_up_to_ten_seconds() {
        let pauses: Vec<u64> = (1..=9).map(|n| pause_after(n).as_millis() as u64).collect();
        assert_eq!(
            pauses,
            [200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000]
        );
        assert_eq!(pause_after(u32::MAX), MAX_PAUSE);
    }
}
