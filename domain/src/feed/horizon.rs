//! How far the outbox can be exported without passing a row that is yet to commit.
//!
//! On PostgreSQL, concurrent transactions take outbox ids in one order and may commit in
//! another: two holds of one showtime take ids 10 and 11, and 11 commits first. Reading
//! whatever is committed would export 11 before 10, out of order for their key. So the
//! exporter reads only up to a horizon: the last id taken at some moment, once every
//! transaction that was then writing the outbox has ended. A transaction takes its row
//! lock on the table (RowExclusiveLock, held to its end) before it takes an id, so the
//! writers seen in `pg_locks` after the id was read include every one that may still
//! commit an id below it; ids of transactions that rolled back are gaps forever.
//!
//! SQLite has one writer at a time, which takes ids in commit order: no horizon there.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// The horizon's state, kept by the exporter between passes.
#[derive(Debug, Default)]
pub(super) struct Horizon {
    /// Every id up to this one is committed or never will be.
    settled: i64,
    /// An id read while transactions (named by their virtual ids) were writing the outbox:
    /// settled once none of them is.
    waiting: Option<(i64, Vec<String>)>,
}

/// The transactions writing the outbox, on this database.
const WRITERS: &str = "SELECT virtualtransaction FROM pg_locks \
     WHERE locktype = 'relation' AND relation = 'outbox'::regclass \
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
     AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()";

impl Horizon {
    /// The highest id that may be exported now; `None` when any may (SQLite).
    pub(super) async fn bound(&mut self, db: &DatabaseConnection) -> Result<Option<i64>, DbErr> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(None);
        }
        if let Some((id, writers)) = &self.waiting
            && !still_writing(db, writers).await?
        {
            self.settled = *id;
            self.waiting = None;
        }
        if self.waiting.is_none() {
            // The id first, then the writers: a writer that took an id up to it holds its
            // lock by then.
            let last = last_id_taken(db).await?;
            if last > self.settled {
                let writers = writers(db).await?;
                if writers.is_empty() {
                    self.settled = last;
                } else {
                    self.waiting = Some((last, writers));
                }
            }
        }
        Ok(Some(self.settled))
    }

    /// Whether a horizon is waiting for writers to end (the exporter looks again soon).
    pub(super) fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }
}

async fn last_id_taken(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('outbox', 'id')::regclass), 0)",
        ))
        .await?;
    row.map(|r| r.try_get_by_index::<i64>(0))
        .transpose()
        .map(|v| v.unwrap_or(0))
}

async fn writers(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, WRITERS))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect()
}

async fn still_writing(db: &DatabaseConnection, waited: &[String]) -> Result<bool, DbErr> {
    let now = writers(db).await?;
    Ok(waited.iter().any(|w| now.contains(w)))
}
