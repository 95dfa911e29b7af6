use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The source of hold fencing tokens: a sequence on PostgreSQL, a counter row on SQLite.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE SEQUENCE IF NOT EXISTS hold_fencing")
                    .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL PRIMARY KEY, value BIGINT NOT NULL)",
                )
                .await?;
                db.execute_unprepared(
                    "INSERT INTO counters (name, value) VALUES ('hold_fencing', 0)",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP SEQUENCE IF EXISTS hold_fencing")
                    .await?
            }
            _ => {
                db.execute_unprepared("DROP TABLE IF EXISTS counters")
                    .await?
            }
        };
        Ok(())
    }
}
