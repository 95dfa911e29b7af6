use sea_orm_migration::{prelude::*, schema::*};

/// Prices per section of a showtime: a promoter charges more for the lower bowl than for
/// the balcony though both are standard seats. A section's price of a category replaces
/// the showtime's; categories a section does not price keep the showtime's.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SectionPrices::Table)
                .if_not_exists()
                .col(uuid(SectionPrices::ShowtimeId))
                .col(uuid(SectionPrices::SectionId))
                .col(string_len(SectionPrices::Category, 32))
                .col(big_integer(SectionPrices::PriceCents))
                .primary_key(
                    Index::create()
                        .col(SectionPrices::ShowtimeId)
                        .col(SectionPrices::SectionId)
                        .col(SectionPrices::Category),
                )
                .check(Expr::col(SectionPrices::PriceCents).gte(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SectionPrices::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SectionPrices {
    Table,
    ShowtimeId,
    SectionId,
    Category,
    PriceCents,
}
