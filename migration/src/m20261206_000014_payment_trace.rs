use sea_orm_migration::prelude::*;

/// The W3C `traceparent` of the checkout that made a payment, so that a confirmation that
/// arrives later (a gateway webhook, reconciliation) is in the checkout's trace. Null when
/// traces are off, and for payments made before this column existed.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Payments::Table)
                .add_column(ColumnDef::new(Payments::TraceParent).string().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Payments::Table)
                .drop_column(Payments::TraceParent)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Payments {
    Table,
    TraceParent,
}
