use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// A report over a whole period finds each showtime's sellable seats in its totals row:
/// thousands of rows for a quarter at volume. These indexes carry the seats and the
/// groupings with the span, so the scans read the indexes alone and never the wide totals
/// rows. PostgreSQL keeps the extra columns out of the key (`INCLUDE`); SQLite has no such
/// clause and keys on them after the span, which serves the same scans. The index is built
/// from the rows already there.
#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "analytics_showtime_totals";

/// (old index, new index, the span columns it is ordered by).
const SPANS: [(&str, &str, &str); 2] = [
    (
        "idx_analytics_showtime_totals_theatre_span",
        "idx_analytics_showtime_totals_span_seats",
        "theatre_id, first_day, last_day",
    ),
    (
        "idx_analytics_showtime_totals_theatre_last_day",
        "idx_analytics_showtime_totals_last_day_seats",
        "theatre_id, last_day, first_day",
    ),
];

/// What a report reads besides the span: the seats, each grouping and the showtime (to
/// check a straddling showtime's day rows).
const CARRIED: &str = "sellable_seats, screen_id, movie_id, event_id, showtime_id";

/// The original indexes, for `down`.
const ORIGINAL: [(&str, &str); 2] = [
    (
        "idx_analytics_showtime_totals_theatre_span",
        "theatre_id, first_day, last_day",
    ),
    (
        "idx_analytics_showtime_totals_theatre_last_day",
        "theatre_id, last_day",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (old, new, span) in SPANS {
            let sql = match m.get_database_backend() {
                DbBackend::Postgres => {
                    format!("CREATE INDEX {new} ON {TABLE} ({span}) INCLUDE ({CARRIED})")
                }
                _ => format!("CREATE INDEX {new} ON {TABLE} ({span}, {CARRIED})"),
            };
            db.execute_unprepared(&sql).await?;
            db.execute_unprepared(&format!("DROP INDEX {old}")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for ((_, new, _), (old, cols)) in SPANS.iter().zip(ORIGINAL) {
            db.execute_unprepared(&format!("CREATE INDEX {old} ON {TABLE} ({cols})"))
                .await?;
            db.execute_unprepared(&format!("DROP INDEX {new}")).await?;
        }
        Ok(())
    }
}
