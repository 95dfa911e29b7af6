//! Connecting to the database of record (SQLite file or PostgreSQL) and migrating it.

use std::sync::Arc;
use std::time::Duration;

use marquee_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// Rows written by one bulk insert, and values in one `IN (…)` list: a statement must stay
/// under the bind parameters a database takes (SQLite 32,766, PostgreSQL 65,535), or a
/// batch the relay must write (one inbox entry and one email per ticket holder of several
/// sold-out showtimes moved together) fails every time it is tried.
pub(crate) const ROWS_PER_STATEMENT: usize = 500;

/// Called after every statement with its duration and whether it failed; feeds metrics.
pub type QueryObserver = Arc<dyn Fn(Duration, bool) + Send + Sync>;

/// How to reach the database.
#[derive(Clone)]
pub struct DbSettings {
    /// `sqlite://path?mode=rwc` or `postgres://…`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
    /// How long a statement waits for a connection of the pool before it fails.
    pub acquire_timeout: Duration,
    /// Optional per-statement observer.
    pub observer: Option<QueryObserver>,
}

/// Opens a pool. SQLite gets WAL (readers never block the writer), a busy timeout so
/// concurrent writers queue instead of failing, and foreign keys on.
pub async fn connect(settings: &DbSettings) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(settings.url.clone());
    opts.max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(settings.acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
        });
    let mut db = Database::connect(opts).await?;
    if let Some(observer) = settings.observer.clone() {
        db.set_metric_callback(move |info| observer(info.elapsed, info.failed));
    }
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// A cheap round trip, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// `sqlite` or `postgres`, for logs and metrics.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Whether a database error is a unique-constraint violation (both backends).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
