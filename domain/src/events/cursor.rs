//! Readers of the outbox that keep a cursor column of their own (the inbox deriver, the
//! sales rollups): one reader at a time across instances (a transaction-scoped advisory
//! lock on PostgreSQL), rows taken in id order and marked in the transaction that writes
//! what they produce, so each row counts exactly once whatever crashes or restarts.
//!
//! The relay's marker, these readers and the feed's export all update the same fresh rows
//! (each its own column, but one row lock). On PostgreSQL each of them therefore locks its
//! rows in id order, so that none waits on another in a cycle (PostgreSQL breaks a deadlock
//! only after a second, and the relay stalls behind its marker meanwhile), and a reader
//! marks its rows last, just before it commits, so that the marker never waits behind a
//! reader's whole pass.

use chrono::{DateTime, Utc};
use marquee_entity::outbox;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};

/// What a reader got.
pub(crate) enum Claim {
    /// Nothing waits, or another instance is reading.
    Idle,
    /// Another reader (on SQLite there is no lock) took some of the rows meanwhile.
    Raced,
    /// Rows to read, in a transaction that writes what they produce and marks them.
    Rows(Claimed),
}

/// Claimed rows and their transaction: write what the rows produce in `txn()`, then
/// `commit()`, which marks them.
pub(crate) struct Claimed {
    txn: DatabaseTransaction,
    rows: Vec<outbox::Model>,
    cursor: outbox::Column,
    now: DateTime<Utc>,
    /// Whether the rows were marked when claimed (SQLite).
    marked: bool,
}

impl Claimed {
    pub(crate) fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub(crate) fn rows(&self) -> &[outbox::Model] {
        &self.rows
    }

    /// Marks the rows (unless marked already) and commits; false, with nothing committed,
    /// when another reader marked some of them first.
    pub(crate) async fn commit(self) -> Result<bool, DbErr> {
        if !self.marked && !mark(&self.txn, self.cursor, &self.rows, self.now).await? {
            self.txn.rollback().await?;
            return Ok(false);
        }
        self.txn.commit().await?;
        Ok(true)
    }
}

/// Takes up to `batch` rows whose `cursor` is unset, holding `lock`. On SQLite they are
/// marked `now` at once; on PostgreSQL when the reader commits.
pub(crate) async fn claim(
    db: &DatabaseConnection,
    lock: i64,
    cursor: outbox::Column,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    let txn = db.begin().await?;
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    if postgres {
        let locked = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1)",
                [lock.into()],
            ))
            .await?
            .map(|row| row.try_get_by_index::<bool>(0))
            .transpose()?
            .unwrap_or(false);
        if !locked {
            txn.rollback().await?;
            return Ok(Claim::Idle);
        }
    }
    // Read outside the transaction: on SQLite a transaction that has read cannot become
    // a writer once another connection has committed, one that starts by writing waits
    // for the lock instead (which is why SQLite marks first).
    let rows = outbox::Entity::find()
        .filter(cursor.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    if rows.is_empty() {
        txn.rollback().await?;
        return Ok(Claim::Idle);
    }
    if !postgres && !mark(&txn, cursor, &rows, now).await? {
        txn.rollback().await?;
        return Ok(Claim::Raced);
    }
    Ok(Claim::Rows(Claimed {
        txn,
        rows,
        cursor,
        now,
        marked: !postgres,
    }))
}

/// Sets `cursor` on rows where it is unset: whether all of them were.
async fn mark(
    txn: &DatabaseTransaction,
    cursor: outbox::Column,
    rows: &[outbox::Model],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let marked = outbox::Entity::update_many()
        .col_expr(cursor, Expr::value(now))
        .filter(ids_locked_in_order(txn.get_database_backend(), &ids))
        .filter(cursor.is_null())
        .exec(txn)
        .await?
        .rows_affected;
    Ok(marked == rows.len() as u64)
}

/// The condition `id IN ids` for an update of outbox rows; on PostgreSQL it first locks
/// them in id order (see the module's comment).
pub(crate) fn ids_locked_in_order(backend: DbBackend, ids: &[i64]) -> SimpleExpr {
    if backend != DbBackend::Postgres || ids.is_empty() {
        return outbox::Column::Id.is_in(ids.iter().copied());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    Expr::cust(format!(
        "\"outbox\".\"id\" IN (SELECT \"id\" FROM \"outbox\" WHERE \"id\" IN ({list}) \
         ORDER BY \"id\" FOR NO KEY UPDATE)"
    ))
}
