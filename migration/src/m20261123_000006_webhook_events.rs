use sea_orm_migration::{prelude::*, schema::*};

/// Gateway webhook events already handled, so that a redelivered event is a no-op.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookEvents::Table)
                .if_not_exists()
                .col(string(WebhookEvents::Id).primary_key())
                .col(string(WebhookEvents::Kind))
                .col(timestamp_with_time_zone(WebhookEvents::ReceivedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookEvents {
    Table,
    Id,
    Kind,
    ReceivedAt,
}
