use sea_orm_migration::{prelude::*, schema::*};

/// The fencing token of the hold a seat is under, so that confirmation can prove the seat
/// is still held by the very hold that was paid for.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ShowSeats::Table)
                .add_column(big_integer_null(ShowSeats::HoldToken))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ShowSeats::Table)
                .drop_column(ShowSeats::HoldToken)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ShowSeats {
    Table,
    HoldToken,
}
