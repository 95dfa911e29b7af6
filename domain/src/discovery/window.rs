//! "Playing in the next two weeks" moves with time alone: a showtime enters a title's window
//! fourteen days before it starts and leaves it when it starts, with nothing stored changing.
//! The window remembers up to when such crossings were reindexed and when the next one
//! falls, so that a sweep reads the database only once some title's window has changed.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::showtimes;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::documents::PLAYING_DAYS;
use super::titles::Title;

/// Sweeps come at most this often by the domain clock: a title's window is a matter of
/// days, and a showtime starting every few seconds somewhere must not mean a read each time.
const SWEEP_AT_MOST_EVERY: Duration = Duration::minutes(1);

/// How far the index's windows have been brought forward.
#[derive(Debug)]
pub(super) struct Window {
    /// Crossings up to this time are in the index.
    swept_to: DateTime<Utc>,
    next: Next,
}

/// The first crossing after what was swept.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Not read yet (a new index, or after a rebuild).
    Unknown,
    /// No scheduled showtime crosses again.
    Never,
    At(DateTime<Utc>),
}

/// What a sweep found: the titles whose window changed, and where the window then stands.
pub(super) struct Sweep {
    pub(super) titles: Vec<Title>,
    to: DateTime<Utc>,
    next: Next,
}

impl Window {
    /// A window whose documents were built at `now`.
    pub(super) fn built_at(now: DateTime<Utc>) -> Self {
        Self {
            swept_to: now,
            next: Next::Unknown,
        }
    }

    /// Crossings up to this time are in the index.
    pub(super) fn swept_to(&self) -> DateTime<Utc> {
        self.swept_to
    }

    /// Whether a sweep is due at `now`.
    pub(super) fn due(&self, now: DateTime<Utc>) -> bool {
        if now < self.swept_to {
            // The clock was set back: showtimes re-enter windows they had left.
            return true;
        }
        match self.next {
            Next::Unknown => true,
            Next::Never => false,
            Next::At(next) => next <= now && now - self.swept_to >= SWEEP_AT_MOST_EVERY,
        }
    }

    /// A showtime now starting at `starts_at` (added or moved) crosses at its edges.
    pub(super) fn expect(&mut self, starts_at: DateTime<Utc>) {
        for edge in [starts_at - Duration::days(PLAYING_DAYS), starts_at] {
            if edge <= self.swept_to {
                continue;
            }
            self.next = match self.next {
                // Read at the next sweep anyway.
                Next::Unknown => Next::Unknown,
                Next::Never => Next::At(edge),
                Next::At(next) => Next::At(next.min(edge)),
            };
        }
    }

    /// The index now holds what `sweep` found.
    pub(super) fn swept(&mut self, sweep: &Sweep) {
        self.swept_to = sweep.to;
        self.next = sweep.next;
    }
}

/// The titles with a scheduled showtime crossing an edge of the window between `from` and
/// `now`, and the first crossing after `now`.
pub(super) async fn sweep<C: ConnectionTrait>(
    db: &C,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Sweep, DbErr> {
    let (lo, hi) = if from <= now {
        (from, now)
    } else {
        (now, from)
    };
    let ahead = Duration::days(PLAYING_DAYS);
    let starts = |after: DateTime<Utc>, until: DateTime<Utc>| {
        Condition::all()
            .add(showtimes::Column::StartsAt.gt(after))
            .add(showtimes::Column::StartsAt.lte(until))
    };
    let pairs: Vec<(Option<uuid::Uuid>, Option<uuid::Uuid>)> = showtimes::Entity::find()
        .select_only()
        .column(showtimes::Column::MovieId)
        .column(showtimes::Column::EventId)
        .distinct()
        .filter(showtimes::Column::Status.eq("scheduled"))
        .filter(
            Condition::any()
                .add(starts(lo, hi))
                .add(starts(lo + ahead, hi + ahead)),
        )
        .into_tuple()
        .all(db)
        .await?;
    let leaves = first_start_after(db, now).await?;
    let enters = first_start_after(db, now + ahead)
        .await?
        .map(|at| at - ahead);
    Ok(Sweep {
        titles: pairs
            .into_iter()
            .filter_map(|(m, e)| Title::of(m, e))
            .collect(),
        to: now,
        next: match (leaves, enters) {
            (Some(a), Some(b)) => Next::At(a.min(b)),
            (Some(a), None) | (None, Some(a)) => Next::At(a),
            (None, None) => Next::Never,
        },
    })
}

/// When the first scheduled showtime after `t` starts, if any does.
async fn first_start_after<C: ConnectionTrait>(
    db: &C,
    t: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    showtimes::Entity::find()
        .select_only()
        .column(showtimes::Column::StartsAt)
        .filter(showtimes::Column::Status.eq("scheduled"))
        .filter(showtimes::Column::StartsAt.gt(t))
        .order_by_asc(showtimes::Column::StartsAt)
        .limit(1)
        .into_tuple()
        .one(db)
        .await
}
