//! Which titles a change touches: a showtime names its movie or event, and a theatre the
//! titles whose documents carry its name and place (those playing there in the window).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use marquee_entity::showtimes;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::documents::PLAYING_DAYS;

/// A movie or an event: what a showtime plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Title {
    Movie(Uuid),
    Event(Uuid),
}

impl Title {
    /// What a showtime plays, read from its two columns (exactly one is set).
    pub(super) fn of(movie_id: Option<Uuid>, event_id: Option<Uuid>) -> Option<Self> {
        movie_id.map(Self::Movie).or(event_id.map(Self::Event))
    }
}

/// Titles to reindex, split by kind as the document reads want them.
#[derive(Debug, Default)]
pub(super) struct Titles {
    pub(super) movies: BTreeSet<Uuid>,
    pub(super) events: BTreeSet<Uuid>,
}

impl Titles {
    pub(super) fn add(&mut self, title: Title) {
        match title {
            Title::Movie(id) => self.movies.insert(id),
            Title::Event(id) => self.events.insert(id),
        };
    }

    pub(super) fn is_empty(&self) -> bool {
        self.movies.is_empty() && self.events.is_empty()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = Title> + '_ {
        self.movies
            .iter()
            .map(|id| Title::Movie(*id))
            .chain(self.events.iter().map(|id| Title::Event(*id)))
    }
}

impl Extend<Title> for Titles {
    fn extend<I: IntoIterator<Item = Title>>(&mut self, titles: I) {
        for t in titles {
            self.add(t);
        }
    }
}

/// The titles whose documents name one of `theatres`: those with a scheduled showtime there
/// in the window (a renamed, moved or retired theatre changes what they say).
pub(super) async fn playing_at<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    theatres: &BTreeSet<Uuid>,
) -> Result<Vec<Title>, DbErr> {
    let pairs: Vec<(Option<Uuid>, Option<Uuid>)> = showtimes::Entity::find()
        .select_only()
        .column(showtimes::Column::MovieId)
        .column(showtimes::Column::EventId)
        .distinct()
        .filter(showtimes::Column::TheatreId.is_in(theatres.iter().copied()))
        .filter(showtimes::Column::Status.eq("scheduled"))
        .filter(showtimes::Column::StartsAt.gt(now))
        .filter(showtimes::Column::StartsAt.lte(now + Duration::days(PLAYING_DAYS)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(pairs
        .into_iter()
        .filter_map(|(m, e)| Title::of(m, e))
        .collect())
}
