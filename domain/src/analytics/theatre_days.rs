//! Rollups per theatre and day: what day reports of an organisation or per theatre read,
//! a few hundred rows a month instead of one per showtime. Each showtime's sellable seats
//! count once in each day it has sales, as the per-showtime rows would count them.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};
use uuid::Uuid;

use super::figures::{COLUMNS, Figures, ShowtimeFacts, placeholder};

/// The (showtime, day) pairs of `keys` that have no daily row yet (read before they are
/// written, in the same transaction).
pub(crate) async fn new_days<C: ConnectionTrait>(
    db: &C,
    keys: &[(Uuid, i64)],
) -> Result<HashSet<(Uuid, i64)>, DbErr> {
    let mut absent: HashSet<(Uuid, i64)> = keys.iter().copied().collect();
    let backend = db.get_database_backend();
    for chunk in keys.chunks(500) {
        let (Some(first), Some(last)) = (
            chunk.iter().map(|k| k.1).min(),
            chunk.iter().map(|k| k.1).max(),
        ) else {
            continue;
        };
        let ids: HashSet<Uuid> = chunk.iter().map(|k| k.0).collect();
        let mut values: Vec<Value> = vec![first.into(), last.into()];
        values.extend(ids.iter().map(|id| Value::from(*id)));
        let marks: Vec<String> = (3..=values.len())
            .map(|i| placeholder(backend, i))
            .collect();
        let sql = format!(
            "SELECT showtime_id, day FROM analytics_sales_daily WHERE day >= {} AND day <= {} \
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

/// Adds `by_day` (per showtime and day) to the theatre-day rows; `fresh` are the pairs seen
/// for the first time, whose showtime's sellable seats are added too.
pub(crate) async fn add<C: ConnectionTrait>(
    db: &C,
    by_day: &HashMap<(Uuid, i64), Figures>,
    fresh: &HashSet<(Uuid, i64)>,
    showtimes: &HashMap<Uuid, ShowtimeFacts>,
) -> Result<(), DbErr> {
    let mut rows: HashMap<(Uuid, i64), (Figures, i64)> = HashMap::new();
    for ((showtime, day), f) in by_day {
        let Some(facts) = showtimes.get(showtime) else {
            continue;
        };
        let row = rows.entry((facts.theatre_id, *day)).or_default();
        row.0.add(f);
        if fresh.contains(&(*showtime, *day)) {
            row.1 += facts.sellable_seats;
        }
    }
    let mut entries: Vec<_> = rows.into_iter().collect();
    entries.sort_by_key(|(k, _)| *k);
    let backend = db.get_database_backend();
    let updates: Vec<String> = COLUMNS
        .iter()
        .chain(std::iter::once(&"sellable_seats"))
        .map(|c| format!("{c} = analytics_theatre_daily.{c} + excluded.{c}"))
        .collect();
    for chunk in entries.chunks(200) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 17);
        let mut tuples = Vec::with_capacity(chunk.len());
        for ((theatre, day), (f, seats)) in chunk {
            let first = values.len();
            values.push((*theatre).into());
            values.push((*day).into());
            values.extend(f.values().into_iter().map(Value::from));
            values.push((*seats).into());
            let marks: Vec<String> = (first..values.len())
                .map(|i| placeholder(backend, i + 1))
                .collect();
            tuples.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO analytics_theatre_daily (theatre_id, day, {}, sellable_seats) VALUES {} \
             ON CONFLICT (theatre_id, day) DO UPDATE SET {}",
            COLUMNS.join(", "),
            tuples.join(", "),
            updates.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}
