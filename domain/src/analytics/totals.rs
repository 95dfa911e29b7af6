//! Each showtime's figures over its whole life, with the first and last day it had
//! activity: a report over a period of whole days counts every showtime whose activity
//! lies inside the period from one row, and reads day rows only for the few that straddle
//! its ends. Also where reports over a period find each showtime's sellable seats once.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

use super::figures::{COLUMNS, Figures, ShowtimeFacts, placeholder};
use super::upsert::Upsert;

/// Adds `by_day` (per showtime and day) to the showtimes' totals, widening their span.
pub(crate) async fn add<C: ConnectionTrait>(
    db: &C,
    by_day: &HashMap<(Uuid, i64), Figures>,
    showtimes: &HashMap<Uuid, ShowtimeFacts>,
) -> Result<(), DbErr> {
    let mut rows: HashMap<Uuid, (Figures, i64, i64)> = HashMap::new();
    for ((showtime, day), f) in by_day {
        let row = rows
            .entry(*showtime)
            .or_insert_with(|| (Figures::default(), *day, *day));
        row.0.add(f);
        row.1 = row.1.min(*day);
        row.2 = row.2.max(*day);
    }
    let mut entries: Vec<_> = rows.into_iter().collect();
    // A fixed order, so that concurrent writers lock rows in the same order.
    entries.sort_by_key(|(k, _)| *k);
    let (least, greatest) = match db.get_database_backend() {
        DbBackend::Postgres => ("LEAST", "GREATEST"),
        _ => ("MIN", "MAX"),
    };
    let t = "analytics_showtime_totals";
    let mut updates: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("{c} = {t}.{c} + excluded.{c}"))
        .collect();
    updates.push(format!(
        "first_day = {least}({t}.first_day, excluded.first_day)"
    ));
    updates.push(format!(
        "last_day = {greatest}({t}.last_day, excluded.last_day)"
    ));
    let values: Vec<Vec<Value>> = entries
        .iter()
        .filter_map(|(showtime, (f, first_day, last_day))| {
            let facts = showtimes.get(showtime)?;
            let mut row: Vec<Value> = vec![
                (*showtime).into(),
                facts.theatre_id.into(),
                facts.screen_id.into(),
                facts.movie_id.into(),
                facts.event_id.into(),
                (*first_day).into(),
                (*last_day).into(),
                facts.sellable_seats.into(),
            ];
            row.extend(f.values().into_iter().map(Value::from));
            Some(row)
        })
        .collect();
    let mut columns = vec![
        "showtime_id",
        "theatre_id",
        "screen_id",
        "movie_id",
        "event_id",
        "first_day",
        "last_day",
        "sellable_seats",
    ];
    columns.extend(COLUMNS);
    Upsert {
        table: t,
        columns: &columns,
        conflict: "showtime_id",
        updates: &updates,
    }
    .run(db, &values)
    .await
}

/// Where each showtime's seats move among the days its activity began on (`first_seats`
/// of the daily dimension rollups), per (showtime, day): to the earliest day of `by_day`
/// when it comes before the showtime's recorded first day (or there is none yet), and
/// away from the recorded one. Read before [`add`] widens the span, with the totals rows
/// locked on PostgreSQL so that two writers of one showtime move its seats one after the
/// other.
pub(crate) async fn first_day_moves<C: ConnectionTrait>(
    db: &C,
    by_day: &HashMap<(Uuid, i64), Figures>,
    showtimes: &HashMap<Uuid, ShowtimeFacts>,
) -> Result<HashMap<(Uuid, i64), i64>, DbErr> {
    let mut earliest: HashMap<Uuid, i64> = HashMap::new();
    for (showtime, day) in by_day.keys() {
        let e = earliest.entry(*showtime).or_insert(*day);
        *e = (*e).min(*day);
    }
    let mut ids: Vec<Uuid> = earliest.keys().copied().collect();
    ids.sort_unstable();
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        " ORDER BY showtime_id FOR NO KEY UPDATE"
    } else {
        ""
    };
    let mut recorded: HashMap<Uuid, i64> = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| placeholder(backend, i)).collect();
        let sql = format!(
            "SELECT showtime_id, first_day FROM analytics_showtime_totals \
             WHERE showtime_id IN ({}){lock}",
            marks.join(", ")
        );
        let values: Vec<Value> = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            recorded.insert(row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        }
    }
    let mut moves: HashMap<(Uuid, i64), i64> = HashMap::new();
    for (showtime, day) in earliest {
        let Some(facts) = showtimes.get(&showtime) else {
            continue;
        };
        match recorded.get(&showtime) {
            Some(first) if *first <= day => {}
            first => {
                *moves.entry((showtime, day)).or_default() += facts.sellable_seats;
                if let Some(first) = first {
                    *moves.entry((showtime, *first)).or_default() -= facts.sellable_seats;
                }
            }
        }
    }
    Ok(moves)
}
