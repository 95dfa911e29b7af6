use sea_orm_migration::prelude::*;

/// The W3C `traceparent` of the span that wrote an outbox row, and of the span that queued
/// an email, so that the relay, the inbox deriver and the email worker continue the trace
/// of the request behind them. Null when traces are off.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::TraceParent).string().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Emails::Table)
                .add_column(ColumnDef::new(Emails::TraceParent).string().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Emails::Table)
                .drop_column(Emails::TraceParent)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::TraceParent)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    TraceParent,
}

#[derive(DeriveIden, Clone, Copy)]
enum Emails {
    Table,
    TraceParent,
}
