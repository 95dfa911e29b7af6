//! From heard changes to rewritten documents: what each event touches, which titles that
//! means, and the titles that time alone has changed (sales whose turn came, showtimes
//! crossing the window's edges).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use marquee_entity::showtimes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tracing::Instrument as _;
use uuid::Uuid;

use super::sales::SalesThrottle;
use super::titles::{self, Title, Titles};
use super::window::{self, Window};
use super::{DiscoveryError, DiscoveryService, documents};
use crate::events::{
    CATALOG_CHANGED, DomainEvent, SHOWTIME_ADDED, SHOWTIME_CANCELLED, SHOWTIME_CHANGED,
    SHOWTIME_UPDATED, TICKETS_ISSUED,
};

/// What heard events ask the index to catch up with.
#[derive(Debug, Default)]
pub(super) struct Changes {
    movies: BTreeSet<Uuid>,
    events: BTreeSet<Uuid>,
    theatres: BTreeSet<Uuid>,
    /// Help articles written, published or withdrawn.
    articles: BTreeSet<Uuid>,
    /// Showtimes added, moved or cancelled: their titles.
    showtimes: BTreeSet<Uuid>,
    /// Showtimes that sold tickets: their titles, in their turn.
    sold: BTreeSet<Uuid>,
    /// Events were missed: only reading everything again catches up.
    pub(super) rebuild: bool,
}

impl Changes {
    /// Notes what `e` touches; whether it touches the index at all.
    pub(super) fn note(&mut self, e: &DomainEvent) -> bool {
        if e.is_missed() {
            self.rebuild = true;
            return true;
        }
        let Ok(id) = Uuid::parse_str(&e.key) else {
            return false;
        };
        match e.topic.as_str() {
            CATALOG_CHANGED => match e.payload["kind"].as_str() {
                Some("movie") => self.movies.insert(id),
                Some("event") => self.events.insert(id),
                Some("theatre") => self.theatres.insert(id),
                Some("article") => self.articles.insert(id),
                _ => false,
            },
            SHOWTIME_ADDED | SHOWTIME_CHANGED | SHOWTIME_UPDATED | SHOWTIME_CANCELLED => {
                self.showtimes.insert(id)
            }
            TICKETS_ISSUED => e.payload["showtimeId"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .is_some_and(|show| self.sold.insert(show)),
            _ => false,
        }
    }

    /// Adds what `other` asks for.
    pub(super) fn merge(&mut self, other: Changes) {
        self.movies.extend(other.movies);
        self.events.extend(other.events);
        self.theatres.extend(other.theatres);
        self.articles.extend(other.articles);
        self.showtimes.extend(other.showtimes);
        self.sold.extend(other.sold);
        self.rebuild |= other.rebuild;
    }
}

impl DiscoveryService {
    /// Rewrites the articles `changes` touched; whether there were any.
    async fn apply_articles(&self, changes: &Changes) -> Result<bool, DiscoveryError> {
        if changes.articles.is_empty() {
            return Ok(false);
        }
        let ids: Vec<Uuid> = changes.articles.iter().copied().collect();
        let (docs, gone) = super::articles::some(&self.db, &ids).await?;
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || {
            index.upsert(&docs)?;
            index.remove(&gone)
        })
        .await
        .map_err(|_| DiscoveryError::Task)??;
        self.invalidate();
        Ok(true)
    }
}

/// What the index holds beyond the catalog's rows: how far time has been brought into it.
#[derive(Debug)]
pub(super) struct Progress {
    pub(super) sales: SalesThrottle,
    pub(super) window: Window,
}

impl Progress {
    pub(super) fn built_at(now: DateTime<Utc>) -> Self {
        Self {
            sales: SalesThrottle::default(),
            window: Window::built_at(now),
        }
    }

    /// Every document was just built at `now`.
    pub(super) fn rebuilt(&mut self, now: DateTime<Utc>) {
        self.sales.all_written();
        self.window = Window::built_at(now);
    }
}

impl DiscoveryService {
    /// Reindexes what `changes` touched and what time has changed by now; whether anything
    /// was written. On failure `progress` still describes the index, so retrying the same
    /// changes later does the same work.
    pub(super) async fn apply(
        &self,
        progress: &mut Progress,
        changes: &Changes,
    ) -> Result<bool, DiscoveryError> {
        let now = self.clock.now();
        let articles_written = self.apply_articles(changes).await?;
        let mut titles = Titles::default();
        let mut for_sales = Vec::new();
        titles.movies.extend(&changes.movies);
        titles.events.extend(&changes.events);
        if !changes.showtimes.is_empty() || !changes.sold.is_empty() {
            let shows = showtimes::Entity::find()
                .filter(
                    showtimes::Column::Id
                        .is_in(changes.showtimes.iter().chain(&changes.sold).copied()),
                )
                .all(&self.db)
                .await?;
            for s in shows {
                let Some(title) = Title::of(s.movie_id, s.event_id) else {
                    continue;
                };
                if changes.showtimes.contains(&s.id) {
                    titles.add(title);
                    progress.window.expect(s.starts_at);
                } else if progress.sales.sold(title, now) {
                    for_sales.push(title);
                }
            }
        }
        if !changes.theatres.is_empty() {
            titles.extend(titles::playing_at(&self.db, now, &changes.theatres).await?);
        }
        for_sales.extend(progress.sales.due(now));
        titles.extend(for_sales.iter().copied());
        let sweep = if progress.window.due(now) {
            let from = progress.window.swept_to();
            let sweep = window::sweep(&self.db, from, now).await?;
            titles.extend(sweep.titles.iter().copied());
            Some(sweep)
        } else {
            None
        };
        if titles.is_empty() && changes.theatres.is_empty() {
            if let Some(sweep) = &sweep {
                progress.window.swept(sweep);
            }
            return Ok(articles_written);
        }
        let movies: Vec<Uuid> = titles.movies.iter().copied().collect();
        let events: Vec<Uuid> = titles.events.iter().copied().collect();
        let theatres: Vec<Uuid> = changes.theatres.iter().copied().collect();
        let span = tracing::info_span!(
            "search.reindex",
            movies = movies.len(),
            events = events.len(),
            theatres = theatres.len(),
        );
        async {
            let (docs, gone) = documents::some(&self.db, now, &movies, &events, &theatres).await?;
            let index = self.index.clone();
            tokio::task::spawn_blocking(move || {
                index.upsert(&docs)?;
                index.remove(&gone)
            })
            .await
            .map_err(|_| DiscoveryError::Task)??;
            Ok::<_, DiscoveryError>(())
        }
        .instrument(span)
        .await?;
        progress.sales.written(titles.iter(), &for_sales, now);
        if let Some(sweep) = &sweep {
            progress.window.swept(sweep);
        }
        self.invalidate();
        Ok(true)
    }
}
