//! Readers of the outbox that keep a cursor column of their own (the inbox deriver, the
//! sales rollups): one reader at a time across instances (a transaction-scoped advisory
//! lock on PostgreSQL), rows taken in id order and marked in the transaction that writes
//! what they produce, so each row counts exactly once whatever crashes or restarts.

use chrono::{DateTime, Utc};
use marquee_entity::outbox;
use sea_orm::sea_query::Expr;
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
    /// Rows marked in the transaction, which the reader commits with what it writes.
    Rows(DatabaseTransaction, Vec<outbox::Model>),
}

/// Takes up to `batch` rows whose `cursor` is unset, holding `lock`, and marks them `now`.
pub(crate) async fn claim(
    db: &DatabaseConnection,
    lock: i64,
    cursor: outbox::Column,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    let txn = db.begin().await?;
    if db.get_database_backend() == DbBackend::Postgres {
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
    // for the lock instead.
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
    let marked = outbox::Entity::update_many()
        .col_expr(cursor, Expr::value(now))
        .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .filter(cursor.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if marked != rows.len() as u64 {
        txn.rollback().await?;
        return Ok(Claim::Raced);
    }
    Ok(Claim::Rows(txn, rows))
}
