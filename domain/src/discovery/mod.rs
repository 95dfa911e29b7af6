//! Discovery: the search index kept in step with the catalog. A rebuild reads every live
//! title and theatre; after that, each catalog or showtime change heard on the event bus
//! reindexes what it touched, so a change is searchable about a relay pass after its commit.

mod cache;
mod documents;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use marquee_entity::showtimes;
use marquee_search::index::{Hit, SearchError, SearchIndex, SearchRequest, Suggestion};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::clock::SharedClock;
use crate::error::{Classify, ErrorKind};
use crate::events::{
    CATALOG_CHANGED, DomainEvent, SHOWTIME_ADDED, SHOWTIME_CANCELLED, SHOWTIME_CHANGED,
    SHOWTIME_UPDATED, TICKETS_ISSUED,
};

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
}

impl Classify for DiscoveryError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::BadInput { .. } => ErrorKind::BadInput,
            _ => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } => Some(field),
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
    /// When each title was last reindexed for its sales.
    sales_reindexed: Arc<Mutex<HashMap<Uuid, Instant>>>,
}

/// A title's sales move its ranking at most this often: an on-sale confirms many bookings
/// a second, and one reindex per burst of the same title would be wasted work.
const SALES_REINDEX_EVERY: Duration = Duration::from_secs(60);

impl DiscoveryService {
    /// Wires the service over an opened index.
    pub fn new(db: DatabaseConnection, clock: SharedClock, index: Arc<SearchIndex>) -> Self {
        Self {
            db,
            clock,
            index,
            searches: Arc::default(),
            hot_searches: Arc::default(),
            hot_prefixes: Arc::default(),
            sales_reindexed: Arc::default(),
        }
    }

    /// Replaces the index with the catalog as it is now; returns the documents indexed.
    pub async fn rebuild(&self) -> Result<usize, DiscoveryError> {
        let docs = documents::all(&self.db, self.clock.now()).await?;
        let n = docs.len();
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.replace_all(&docs))
            .await
            .map_err(|_| DiscoveryError::Task)??;
        self.invalidate();
        Ok(n)
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
    pub async fn search(&self, request: SearchRequest) -> Result<Vec<Hit>, DiscoveryError> {
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

    /// Reindexes what a batch of events touched.
    async fn apply(&self, events: &[Arc<DomainEvent>]) -> Result<(), DiscoveryError> {
        let (mut movies, mut titles_of_shows, mut theatres, mut shows) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut sold_shows = Vec::new();
        for e in events {
            let Ok(id) = Uuid::parse_str(&e.key) else {
                continue;
            };
            match e.topic.as_str() {
                CATALOG_CHANGED => match e.payload["kind"].as_str() {
                    Some("movie") => movies.push(id),
                    Some("event") => titles_of_shows.push(id),
                    Some("theatre") => theatres.push(id),
                    _ => {}
                },
                SHOWTIME_ADDED | SHOWTIME_CHANGED | SHOWTIME_UPDATED | SHOWTIME_CANCELLED => {
                    shows.push(id)
                }
                TICKETS_ISSUED => sold_shows.extend(
                    e.payload["showtimeId"]
                        .as_str()
                        .and_then(|s| Uuid::parse_str(s).ok()),
                ),
                _ => {}
            }
        }
        let mut events_ = titles_of_shows;
        if !shows.is_empty() || !sold_shows.is_empty() {
            let found = showtimes::Entity::find()
                .filter(showtimes::Column::Id.is_in(shows.iter().chain(&sold_shows).copied()))
                .all(&self.db)
                .await?;
            let now = Instant::now();
            let mut reindexed = self
                .sales_reindexed
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            reindexed.retain(|_, at| now.duration_since(*at) < SALES_REINDEX_EVERY);
            for s in found {
                let changed = shows.contains(&s.id);
                let Some(title) = s.movie_id.or(s.event_id) else {
                    continue;
                };
                // A sale alone waits for the title's turn.
                if !changed && reindexed.insert(title, now).is_some() {
                    continue;
                }
                movies.extend(s.movie_id);
                events_.extend(s.event_id);
            }
        }
        for list in [&mut movies, &mut events_, &mut theatres] {
            list.sort();
            list.dedup();
        }
        if movies.is_empty() && events_.is_empty() && theatres.is_empty() {
            return Ok(());
        }
        let (docs, gone) =
            documents::some(&self.db, self.clock.now(), &movies, &events_, &theatres).await?;
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || {
            index.upsert(&docs)?;
            index.remove(&gone)
        })
        .await
        .map_err(|_| DiscoveryError::Task)??;
        self.invalidate();
        Ok(())
    }

    /// Runs until the bus closes: reindexes after every catalog or showtime change, and
    /// rebuilds everything when it (or the bus) missed events.
    pub async fn run(self, mut events: Receiver<Arc<DomainEvent>>) {
        loop {
            let first = match events.recv().await {
                Ok(e) => e,
                Err(RecvError::Lagged(_)) => {
                    if let Err(e) = self.rebuild().await {
                        tracing::warn!(error = %e, "search index rebuild failed");
                    }
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let mut batch = vec![first];
            while let Ok(e) = events.try_recv() {
                batch.push(e);
            }
            if batch.iter().any(|e| e.is_missed()) {
                if let Err(e) = self.rebuild().await {
                    tracing::warn!(error = %e, "search index rebuild failed");
                }
                continue;
            }
            if let Err(e) = self.apply(&batch).await {
                tracing::warn!(error = %e, "search reindex failed");
            }
        }
    }
}
