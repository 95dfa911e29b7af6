//! Writes of one transaction sent to the database in one round trip.
//!
//! On PostgreSQL the writes become one statement, each a data-modifying common table
//! expression, and the statement returns each write's row count. Elsewhere (SQLite runs in
//! the process, so a round trip costs nothing) they run one after another. Either way the
//! caller reads the counts and rolls the transaction back when one is not what it needs:
//! the writes of a batch must not depend on one another's effects, because on PostgreSQL
//! they all see the database as it was when the statement began.

use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, InsertStatement, PostgresQueryBuilder, Query,
    UpdateStatement, WithClause,
};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Statement, UpdateMany};

enum Write {
    Update(UpdateStatement),
    Insert(InsertStatement),
}

/// Writes to run together, in order.
#[derive(Default)]
pub struct WriteBatch {
    writes: Vec<Write>,
}

impl WriteBatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many writes the batch holds.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// Whether the batch holds no write.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Adds an update; its count is the rows it changed.
    pub fn update<E: EntityTrait>(mut self, update: UpdateMany<E>) -> Self {
        self.writes.push(Write::Update(update.into_query()));
        self
    }

    /// Adds an insert; its count is the rows it inserted.
    pub fn insert<Q: QueryTrait<QueryStatement = InsertStatement>>(mut self, insert: Q) -> Self {
        self.writes.push(Write::Insert(insert.into_query()));
        self
    }

    /// Runs the writes; each one's row count, in the order they were added.
    pub async fn run<C: ConnectionTrait>(self, conn: &C) -> Result<Vec<u64>, DbErr> {
        let backend = conn.get_database_backend();
        if backend != DbBackend::Postgres || self.writes.len() < 2 {
            let mut counts = Vec::with_capacity(self.writes.len());
            for write in &self.writes {
                let done = match write {
                    Write::Update(u) => conn.execute(u).await?,
                    Write::Insert(i) => conn.execute(i).await?,
                };
                counts.push(done.rows_affected());
            }
            return Ok(counts);
        }
        let writes = self.writes.len();
        let (sql, values) = self.statement().build(PostgresQueryBuilder);
        let row = conn
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .ok_or_else(|| DbErr::Custom("a write batch returned no row".into()))?;
        (0..writes)
            .map(|i| {
                row.try_get_by_index::<i64>(i)
                    .map(|n| u64::try_from(n).unwrap_or(0))
            })
            .collect()
    }

    /// `WITH w0 AS (… RETURNING 1), w1 AS (…) SELECT (SELECT COUNT(*) FROM w0), …`.
    /// The final select names the writes in order, so PostgreSQL runs them in that order
    /// and rows are locked in the order the caller chose.
    fn statement(self) -> sea_orm::sea_query::WithQuery {
        let mut with = WithClause::new();
        let mut counts = Query::select();
        for (i, write) in self.writes.into_iter().enumerate() {
            let name = Alias::new(format!("w{i}"));
            let returning = Query::returning().expr(Expr::val(1));
            let mut cte = CommonTableExpression::new();
            match write {
                Write::Update(mut u) => cte.query(u.returning(returning).to_owned()),
                Write::Insert(mut ins) => cte.query(ins.returning(returning).to_owned()),
            };
            with.cte(cte.table_name(name.clone()).to_owned());
            counts.expr(Expr::SubQuery(
                None,
                Box::new(
                    Query::select()
                        .expr(Expr::cust("COUNT(*)"))
                        .from(name)
                        .to_owned()
                        .into(),
                ),
            ));
        }
        with.query(counts)
    }
}
