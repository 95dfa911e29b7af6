//! Rollups per theatre, screen and title (movie or event) by day, and per theatre by hour:
//! what reports grouped that way read, a few rows per theatre and bucket instead of one
//! per showtime. Each showtime's sellable seats count once in each bucket it has activity
//! in, as the per-showtime rows would count them.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};
use uuid::Uuid;

use super::figures::{COLUMNS, Figures, ShowtimeFacts, placeholder};
use super::upsert::Upsert;

/// A rollup kept per theatre (and maybe one more dimension) and bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dimension {
    /// Per theatre and day.
    TheatreDaily,
    /// Per theatre and hour.
    TheatreHourly,
    /// Per screen and day.
    ScreenDaily,
    /// Per movie or event (shown in a theatre) and day.
    TitleDaily,
}

/// Every dimension rollup, in the order they are written.
pub(crate) const DIMENSIONS: [Dimension; 4] = [
    Dimension::TheatreDaily,
    Dimension::TheatreHourly,
    Dimension::ScreenDaily,
    Dimension::TitleDaily,
];

/// What a showtime adds to besides its theatre: (the column, its id, a kind written
/// with it).
type Member = Option<(&'static str, Uuid, Option<&'static str>)>;

impl Dimension {
    pub(crate) fn table(self) -> &'static str {
        match self {
            Self::TheatreDaily => "analytics_theatre_daily",
            Self::TheatreHourly => "analytics_theatre_hourly",
            Self::ScreenDaily => "analytics_screen_daily",
            Self::TitleDaily => "analytics_title_daily",
        }
    }

    pub(crate) fn hourly(self) -> bool {
        self == Self::TheatreHourly
    }

    fn bucket(self) -> &'static str {
        if self.hourly() { "hour" } else { "day" }
    }

    fn member(self, show: &ShowtimeFacts) -> Member {
        match self {
            Self::TheatreDaily | Self::TheatreHourly => None,
            Self::ScreenDaily => Some(("screen_id", show.screen_id, None)),
            Self::TitleDaily => match (show.movie_id, show.event_id) {
                (Some(movie), _) => Some(("title_id", movie, Some("movie"))),
                (None, Some(event)) => Some(("title_id", event, Some("event"))),
                (None, None) => None,
            },
        }
    }
}

/// The (showtime, bucket) pairs of `keys` that have no row in `table` yet (read before
/// they are written, in the same transaction).
pub(crate) async fn new_keys<C: ConnectionTrait>(
    db: &C,
    table: &str,
    bucket: &str,
    keys: &[(Uuid, i64)],
) -> Result<HashSet<(Uuid, i64)>, DbErr> {
    let mut absent: HashSet<(Uuid, i64)> = keys.iter().copied().collect();
    let backend = db.get_database_backend();
    let mut sorted = keys.to_vec();
    sorted.sort_unstable_by_key(|k| (k.1, k.0));
    for chunk in sorted.chunks(500) {
        let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
            continue;
        };
        let ids: HashSet<Uuid> = chunk.iter().map(|k| k.0).collect();
        let mut values: Vec<Value> = vec![first.1.into(), last.1.into()];
        values.extend(ids.iter().map(|id| Value::from(*id)));
        let marks: Vec<String> = (3..=values.len())
            .map(|i| placeholder(backend, i))
            .collect();
        let sql = format!(
            "SELECT showtime_id, {bucket} FROM {table} WHERE {bucket} >= {} AND {bucket} <= {} \
             AND showtime_id IN ({})",
            placeholder(backend, 1),
            placeholder(backend, 2),
            marks.join(", ")
        );
        for row in db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            absent.remove(&(row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
    }
    Ok(absent)
}

/// The seats a pass adds besides figures, per (showtime, bucket): `fresh` are the pairs
/// seen for the first time, whose showtime's sellable seats count in that bucket;
/// `moves` are the seats of showtimes whose activity now begins on a day
/// (`first_seats`, kept by the daily rollups only).
pub(crate) struct Seats<'a> {
    pub fresh: &'a HashSet<(Uuid, i64)>,
    pub moves: &'a HashMap<(Uuid, i64), i64>,
}

/// One row to add: figures, sellable seats, first seats, and what the row is of.
type Row = (Figures, i64, i64, Member);

/// Adds `by_bucket` (per showtime and the dimension's bucket) to the dimension's rows,
/// with the seats `seats` says.
pub(crate) async fn add<C: ConnectionTrait>(
    db: &C,
    dimension: Dimension,
    by_bucket: &HashMap<(Uuid, i64), Figures>,
    seats: Seats<'_>,
    showtimes: &HashMap<Uuid, ShowtimeFacts>,
) -> Result<(), DbErr> {
    type Key = (Uuid, Option<Uuid>, i64);
    let mut rows: HashMap<Key, Row> = HashMap::new();
    let keys = by_bucket
        .iter()
        .map(|(k, f)| (k, Some(f)))
        .chain(seats.moves.keys().map(|k| (k, None)));
    for ((showtime, bucket), f) in keys {
        let Some(facts) = showtimes.get(showtime) else {
            continue;
        };
        let member = dimension.member(facts);
        if dimension == Dimension::TitleDaily && member.is_none() {
            continue;
        }
        let row = rows
            .entry((facts.theatre_id, member.map(|m| m.1), *bucket))
            .or_insert_with(|| (Figures::default(), 0, 0, member));
        let Some(f) = f else {
            row.2 += seats.moves[&(*showtime, *bucket)];
            continue;
        };
        row.0.add(f);
        if seats.fresh.contains(&(*showtime, *bucket)) {
            row.1 += facts.sellable_seats;
        }
    }
    let mut entries: Vec<_> = rows.into_iter().collect();
    // A fixed order, so that concurrent writers lock rows in the same order.
    entries.sort_by_key(|(k, _)| *k);
    let table = dimension.table();
    let bucket = dimension.bucket();
    let seat_columns: &[&str] = if dimension.hourly() {
        &["sellable_seats"]
    } else {
        &["sellable_seats", "first_seats"]
    };
    let updates: Vec<String> = COLUMNS
        .iter()
        .chain(seat_columns)
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    let (members, conflict): (&[&str], String) = match dimension {
        Dimension::TheatreDaily | Dimension::TheatreHourly => {
            (&[], format!("theatre_id, {bucket}"))
        }
        Dimension::ScreenDaily => (&["screen_id"], format!("theatre_id, {bucket}, screen_id")),
        Dimension::TitleDaily => (
            &["title_id", "kind"],
            format!("theatre_id, {bucket}, title_id"),
        ),
    };
    let mut columns = vec!["theatre_id", bucket];
    columns.extend(members);
    columns.extend(COLUMNS);
    columns.extend(seat_columns);
    let values: Vec<Vec<Value>> = entries
        .into_iter()
        .map(|((theatre, _, at), (f, seats, first_seats, member))| {
            let mut row: Vec<Value> = vec![theatre.into(), at.into()];
            if let Some((_, id, kind)) = member {
                row.push(id.into());
                if let Some(kind) = kind {
                    row.push(kind.into());
                }
            }
            row.extend(f.values().into_iter().map(Value::from));
            row.push(seats.into());
            if !dimension.hourly() {
                row.push(first_seats.into());
            }
            row
        })
        .collect();
    Upsert {
        table,
        columns: &columns,
        conflict: &conflict,
        updates: &updates,
    }
    .run(db, &values)
    .await
}
