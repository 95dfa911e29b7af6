use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .if_not_exists()
                .col(big_pk_auto(Outbox::Id))
                .col(string(Outbox::Topic))
                .col(string(Outbox::Key))
                .col(json_binary(Outbox::Payload))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::PublishedAt))
                .col(integer(Outbox::Attempts).default(0))
                .to_owned(),
        )
        .await?;
        // The relay scans only what is still unpublished.
        m.create_index(
            Index::create()
                .name("idx_outbox_unpublished")
                .table(Outbox::Table)
                .col(Outbox::Id)
                .and_where(Expr::col(Outbox::PublishedAt).is_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    Topic,
    Key,
    Payload,
    CreatedAt,
    PublishedAt,
    Attempts,
}
