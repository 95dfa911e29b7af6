use sea_orm_migration::prelude::*;

use crate::m20261123_000001_accounts_and_catalog::Movies;

/// How many reviews gave a movie each number of stars, kept next to its count and total so
/// that the histogram is read with the movie and updated in the review's transaction.
#[derive(DeriveMigrationName)]
pub struct Migration;

const STARS: [&str; 5] = [
    "ratings_1",
    "ratings_2",
    "ratings_3",
    "ratings_4",
    "ratings_5",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for star in STARS {
            m.alter_table(
                Table::alter()
                    .table(Movies::Table)
                    .add_column(
                        ColumnDef::new(Alias::new(star))
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for star in STARS {
            m.alter_table(
                Table::alter()
                    .table(Movies::Table)
                    .drop_column(Alias::new(star))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
