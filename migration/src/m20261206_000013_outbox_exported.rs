use sea_orm_migration::prelude::*;

/// The event feed (Kafka) reads the outbox with a cursor of its own: `exported_at` marks the
/// rows the broker acknowledged, so that an outage of the feed delays neither the bus
/// (`published_at`) nor the inbox (`derived_at`). Rows written before this column existed
/// stay unmarked: a deployment that turns the feed on exports what the outbox still holds.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(
                    ColumnDef::new(Outbox::ExportedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // The exporter scans only what is still to export, oldest first.
        m.create_index(
            Index::create()
                .name("idx_outbox_unexported")
                .table(Outbox::Table)
                .col(Outbox::Id)
                .and_where(Expr::col(Outbox::ExportedAt).is_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_outbox_unexported")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::ExportedAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    ExportedAt,
}
