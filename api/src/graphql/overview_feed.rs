//! One live venue overview per showtime and instance, shared by every `sectionUpdates`
//! subscriber of that showtime. A stadium's on-sale may have thousands of buyers watching
//! the overview at once: each re-reading it after every run of changes would multiply one
//! read (every section's figures, from the seat snapshot and the general-admission
//! counters) by the number of watchers. Here one task per showtime listens to its seat
//! changes, reads the overview once a run of changes has settled, and hands the result to
//! every watcher; it ends when the last watcher leaves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use marquee_domain::Services;
use marquee_domain::catalog::{CatalogError, SectionSummary};
use marquee_domain::events::{Delivery, SEAT_CHANGES};
use marquee_domain::ids::ShowtimeId;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;

use crate::metrics::Metrics;

/// How long a run of changes may go on before the overview is read again: watchers see
/// figures at most this old, and a burst of holds costs one read.
pub const SETTLE: Duration = Duration::from_millis(250);

/// The overviews being watched on this instance.
pub struct OverviewFeeds {
    feeds: Mutex<HashMap<ShowtimeId, Weak<Feed>>>,
    metrics: Arc<Metrics>,
}

/// One showtime's overview, kept current while anyone watches it.
pub struct Feed {
    latest: watch::Receiver<Arc<Vec<SectionSummary>>>,
    reader: tokio::task::JoinHandle<()>,
    metrics: Arc<Metrics>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.reader.abort();
        self.metrics.overview_feeds(-1);
    }
}

impl Feed {
    /// A watcher of the overview: it sees the figures now, then each change of them.
    pub fn watch(&self) -> watch::Receiver<Arc<Vec<SectionSummary>>> {
        let mut rx = self.latest.clone();
        rx.mark_changed();
        rx
    }
}

impl OverviewFeeds {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            feeds: Mutex::new(HashMap::new()),
            metrics,
        }
    }

    /// The showtime's feed: the one already running on this instance, or a new one (whose
    /// first read's error, a showtime that does not exist say, is the caller's).
    pub async fn feed(
        &self,
        services: &Arc<Services>,
        id: ShowtimeId,
    ) -> Result<Arc<Feed>, CatalogError> {
        if let Some(feed) = self.running(id) {
            return Ok(feed);
        }
        // Listen before reading, so that no change falls between the two.
        let deliveries = services.live.subscribe(SEAT_CHANGES, &id.to_string());
        let first = services.catalog.section_overview(id).await?;
        let (tx, latest) = watch::channel(Arc::new(first));
        let reader = tokio::spawn(follow(
            services.clone(),
            self.metrics.clone(),
            id,
            deliveries,
            tx,
        ));
        self.metrics.overview_feeds(1);
        let fresh = Arc::new(Feed {
            latest,
            reader,
            metrics: self.metrics.clone(),
        });
        let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        // Two first watchers may have raced: the feed registered first wins and the
        // other is dropped (its task with it).
        if let Some(feed) = feeds.get(&id).and_then(Weak::upgrade) {
            return Ok(feed);
        }
        feeds.retain(|_, f| f.strong_count() > 0);
        feeds.insert(id, Arc::downgrade(&fresh));
        Ok(fresh)
    }

    fn running(&self, id: ShowtimeId) -> Option<Arc<Feed>> {
        let feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        feeds.get(&id).and_then(Weak::upgrade)
    }
}

/// Reads the overview again after each run of changes, and publishes it when it moved.
async fn follow(
    services: Arc<Services>,
    metrics: Arc<Metrics>,
    id: ShowtimeId,
    mut deliveries: tokio::sync::broadcast::Receiver<Delivery>,
    tx: watch::Sender<Arc<Vec<SectionSummary>>>,
) {
    loop {
        match deliveries.recv().await {
            // A gap (lagged, or a resync after a lost connection) calls for a read too.
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return,
        }
        tokio::time::sleep(SETTLE).await;
        loop {
            match deliveries.try_recv() {
                Ok(_) | Err(TryRecvError::Lagged(_)) => continue,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => return,
            }
        }
        metrics.overview_read();
        match services.catalog.section_overview(id).await {
            Ok(now) => {
                tx.send_if_modified(|last| {
                    if **last == now {
                        return false;
                    }
                    *last = Arc::new(now);
                    true
                });
            }
            // The next change tries again; watchers keep the last figures meanwhile.
            Err(e) => tracing::warn!(error = %e, showtime = %id, "cannot read a venue overview"),
        }
    }
}
