//! The one way rollup rows are written: many rows per statement, each added to the row
//! already there under the same key.

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

use super::figures::placeholder;

/// Rows per statement: the widest rollup row carries 23 values, well under both backends'
/// limits on bind parameters.
const ROWS_PER_STATEMENT: usize = 200;

/// A rollup table's insert: its columns, the key rows conflict on, and what an existing
/// row becomes (e.g. `n = t.n + excluded.n`).
pub(crate) struct Upsert<'a> {
    pub table: &'a str,
    pub columns: &'a [&'a str],
    pub conflict: &'a str,
    pub updates: &'a [String],
}

impl Upsert<'_> {
    /// Writes `rows`, each its values in the order of `columns`, in the order given (the
    /// callers sort them, so that concurrent writers lock rows in the same order).
    pub(crate) async fn run<C: ConnectionTrait>(
        &self,
        db: &C,
        rows: &[Vec<Value>],
    ) -> Result<(), DbErr> {
        let backend = db.get_database_backend();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * self.columns.len());
            let mut tuples = Vec::with_capacity(chunk.len());
            for row in chunk {
                let first = values.len();
                values.extend(row.iter().cloned());
                let marks: Vec<String> = (first..values.len())
                    .map(|i| placeholder(backend, i + 1))
                    .collect();
                tuples.push(format!("({})", marks.join(", ")));
            }
            if tuples.is_empty() {
                continue;
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
                self.table,
                self.columns.join(", "),
                tuples.join(", "),
                self.conflict,
                self.updates.join(", ")
            );
            db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
        Ok(())
    }
}
