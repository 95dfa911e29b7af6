//! Fencing tokens: a strictly increasing number per hold, from the database, so that a
//! client whose hold lapsed and was re-taken can be told apart from the new holder.

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};

/// The next token. PostgreSQL uses a sequence (no lock held until commit); SQLite, whose
/// writers are serialised anyway, a counter row.
pub(crate) async fn next_token(txn: &DatabaseTransaction) -> Result<i64, DbErr> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT nextval('hold_fencing') AS v",
        _ => {
            "UPDATE counters SET value = value + 1 WHERE name = 'hold_fencing' RETURNING value AS v"
        }
    };
    let row = txn
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| DbErr::Custom("the fencing counter is missing".into()))?;
    row.try_get::<i64>("", "v")
}
