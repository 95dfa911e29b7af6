//! Discovery: the search index kept in step with the catalog. A rebuild reads every live
//! title and theatre; after that, each catalog, showtime or sales change heard on the event
//! bus reindexes what it touched (tried again until it lands), so a change is searchable
//! about a relay pass after its commit, and the passing of time moves titles through their
//! two-week window and takes in sales that waited for their turn.

mod articles;
mod cache;
mod documents;
mod feed;
mod reindex;
mod sales;
mod titles;
mod window;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use marquee_search::index::{Hit, Kind, SearchError, SearchIndex, SearchRequest, Suggestion};
use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::error::{Classify, ErrorKind};
use documents::Page;
use reindex::{Changes, Progress};

/// What can go wrong with discovery.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// The request itself is wrong.
    #[error("{message}")]
    BadInput {
        /// The argument at fault.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// The index failed.
    #[error(transparent)]
    Index(#[from] SearchError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] DbErr),
    /// A search task died.
    #[error("search task failed")]
    Task,
    /// A computation shared by identical queries in flight failed.
    #[error(transparent)]
    Shared(#[from] Arc<DiscoveryError>),
}

impl Classify for DiscoveryError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::BadInput { .. } => ErrorKind::BadInput,
            Self::Database(e) => crate::error::database_error_kind(e),
            Self::Shared(e) => e.kind(),
            _ => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } => Some(field),
            Self::Shared(e) => e.field(),
            _ => None,
        }
    }
}

/// Search over the catalog.
#[derive(Clone)]
pub struct DiscoveryService {
    db: DatabaseConnection,
    clock: SharedClock,
    index: Arc<SearchIndex>,
    searches: Arc<AtomicU64>,
    hot_searches: Arc<cache::HotQueries<Vec<Hit>>>,
    hot_prefixes: Arc<cache::HotQueries<Vec<Suggestion>>>,
    /// How far time has been brought into the index (sales, the two-week window).
    /// Held while the index is written, so that a rebuild and a reindex never interleave.
    progress: Arc<tokio::sync::Mutex<Progress>>,
    /// What heard events asked for that the index does not hold yet.
    noted: Arc<Mutex<Changes>>,
    /// Wakes the feed's worker when something is noted.
    wake: Arc<Notify>,
    reindex_failures: Arc<AtomicU64>,
    rebuilds: Arc<AtomicU64>,
}

impl DiscoveryService {
    /// Wires the service over an opened index.
    pub fn new(db: DatabaseConnection, clock: SharedClock, index: Arc<SearchIndex>) -> Self {
        Self {
            db,
            index,
            searches: Arc::default(),
            hot_searches: Arc::default(),
            hot_prefixes: Arc::default(),
            progress: Arc::new(tokio::sync::Mutex::new(Progress::built_at(clock.now()))),
            clock,
            noted: Arc::default(),
            wake: Arc::default(),
            reindex_failures: Arc::default(),
            rebuilds: Arc::default(),
        }
    }

    /// Replaces the index with the catalog as it is now; returns the documents indexed.
    /// No reindex writes between its read and its write, or what it read (older) would
    /// replace what that reindex wrote.
    #[tracing::instrument(name = "search.rebuild", skip_all, err)]
    pub async fn rebuild(&self) -> Result<usize, DiscoveryError> {
        let mut progress = self.progress.lock().await;
        let now = self.clock.now();
        // The index writes what the database read sends, a page or two behind it.
        let (pages, mut to_write) = tokio::sync::mpsc::channel::<Page>(2);
        let index = self.index.clone();
        let writer = tokio::task::spawn_blocking(move || {
            let mut rebuild = index.rebuild()?;
            let mut n = 0;
            while let Some(page) = to_write.blocking_recv() {
                match page {
                    Page::Docs(docs) => {
                        rebuild.add(&docs)?;
                        n += docs.len();
                    }
                    Page::End => {
                        rebuild.finish()?;
                        return Ok(Some(n));
                    }
                }
            }
            // The read failed: the rebuild is dropped unfinished, the old index stays.
            Ok::<_, SearchError>(None)
        });
        let read = documents::all_in_pages(&self.db, now, &pages).await;
        drop(pages);
        let written = writer.await.map_err(|_| DiscoveryError::Task)??;
        read?;
        let n = written.ok_or(DiscoveryError::Task)?;
        progress.rebuilt(now);
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        self.invalidate();
        Ok(n)
    }

    /// Rebuilds written so far.
    pub fn rebuilds_run(&self) -> u64 {
        self.rebuilds.load(Ordering::Relaxed)
    }

    /// Whether the index holds nothing (a new or lost index).
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn invalidate(&self) {
        self.hot_searches.invalidate();
        self.hot_prefixes.invalidate();
    }

    /// Index searches run so far (answers from memory are not counted).
    pub fn searches_run(&self) -> u64 {
        self.searches.load(Ordering::Relaxed)
    }

    /// Ranked hits.
    pub async fn search(&self, mut request: SearchRequest) -> Result<Vec<Hit>, DiscoveryError> {
        if request.filters.kinds.is_empty() {
            // Help articles only when asked for: a title search never lists them.
            request.filters.kinds = vec![Kind::Movie, Kind::Event, Kind::Theatre];
        }
        if request.text.chars().count() > 200 {
            return Err(DiscoveryError::BadInput {
                field: "query",
                message: "at most 200 characters".into(),
            });
        }
        if let Some((_, radius)) = request.filters.near
            && !(radius > 0.0 && radius <= 500.0)
        {
            return Err(DiscoveryError::BadInput {
                field: "near",
                message: "radiusKm must be above 0 and at most 500".into(),
            });
        }
        let query = format!("{request:?}");
        let hits = self
            .hot_searches
            .get_or_compute(&query, || async {
                self.searches.fetch_add(1, Ordering::Relaxed);
                let index = self.index.clone();
                tokio::task::spawn_blocking(move || index.search(&request))
                    .await
                    .map_err(|_| DiscoveryError::Task)?
                    .map_err(DiscoveryError::from)
            })
            .await?;
        Ok(hits.as_ref().clone())
    }

    /// Titles for the search box.
    pub async fn autocomplete(
        &self,
        prefix: String,
        limit: usize,
    ) -> Result<Vec<Suggestion>, DiscoveryError> {
        if prefix.chars().count() > 100 {
            return Err(DiscoveryError::BadInput {
                field: "prefix",
                message: "at most 100 characters".into(),
            });
        }
        let query = format!("{limit}\n{prefix}");
        let suggestions = self
            .hot_prefixes
            .get_or_compute(&query, || async {
                let index = self.index.clone();
                tokio::task::spawn_blocking(move || index.autocomplete(&prefix, limit))
                    .await
                    .map_err(|_| DiscoveryError::Task)?
                    .map_err(DiscoveryError::from)
            })
            .await?;
        Ok(suggestions.as_ref().clone())
    }
}
