//! Each showtime's figures over its whole life, with the first and last day it had
//! activity: a report over a period of whole days counts every showtime whose activity
//! lies inside the period from one row, and reads day rows only for the few that straddle
//! its ends. Also where reports over a period find each showtime's sellable seats once.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

use super::figures::{COLUMNS, Figures, ShowtimeFacts, placeholder};

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
    let backend = db.get_database_backend();
    let (least, greatest) = match backend {
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
    for chunk in entries.chunks(200) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * (COLUMNS.len() + 8));
        let mut tuples = Vec::with_capacity(chunk.len());
        for (showtime, (f, first_day, last_day)) in chunk {
            let Some(facts) = showtimes.get(showtime) else {
                continue;
            };
            let first = values.len();
            values.push((*showtime).into());
            values.push(facts.theatre_id.into());
            values.push(facts.screen_id.into());
            values.push(facts.movie_id.into());
            values.push(facts.event_id.into());
            values.push((*first_day).into());
            values.push((*last_day).into());
            values.push(facts.sellable_seats.into());
            values.extend(f.values().into_iter().map(Value::from));
            let marks: Vec<String> = (first..values.len())
                .map(|i| placeholder(backend, i + 1))
                .collect();
            tuples.push(format!("({})", marks.join(", ")));
        }
        if tuples.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO {t} (showtime_id, theatre_id, screen_id, movie_id, event_id, \
             first_day, last_day, sellable_seats, {}) VALUES {} ON CONFLICT (showtime_id) \
             DO UPDATE SET {}",
            COLUMNS.join(", "),
            tuples.join(", "),
            updates.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}
