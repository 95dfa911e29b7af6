use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Movies, Users};
use crate::m20261123_000002_inventory_and_bookings::Bookings;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reviews::Table)
                .if_not_exists()
                .col(pk_uuid(Reviews::Id))
                .col(uuid(Reviews::UserId))
                .col(uuid(Reviews::MovieId))
                .col(integer(Reviews::Rating))
                .col(text(Reviews::Body))
                .col(boolean(Reviews::Verified).default(false))
                .col(boolean(Reviews::Hidden).default(false))
                .col(timestamp_with_time_zone(Reviews::CreatedAt))
                .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                .check(Expr::col(Reviews::Rating).between(1, 5))
                .foreign_key(&mut fk(Reviews::Table, Reviews::UserId, Users::Table))
                .foreign_key(&mut fk(Reviews::Table, Reviews::MovieId, Movies::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Reviews::Table,
            [Reviews::UserId, Reviews::MovieId],
            true,
        ))
        .await?;
        m.create_index(index(
            Reviews::Table,
            [Reviews::MovieId, Reviews::CreatedAt],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Promotions::Table)
                .if_not_exists()
                .col(pk_uuid(Promotions::Id))
                .col(string_uniq(Promotions::Code))
                .col(string(Promotions::Description))
                .col(string(Promotions::Kind))
                .col(big_integer(Promotions::Value))
                .col(string_null(Promotions::Currency))
                .col(timestamp_with_time_zone(Promotions::StartsAt))
                .col(timestamp_with_time_zone(Promotions::EndsAt))
                .col(integer_null(Promotions::MaxUses))
                .col(integer_null(Promotions::MaxUsesPerUser))
                .col(integer(Promotions::Uses).default(0))
                .col(timestamp_with_time_zone(Promotions::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .if_not_exists()
                .col(pk_uuid(Notifications::Id))
                .col(uuid(Notifications::UserId))
                .col(string(Notifications::Kind))
                .col(string(Notifications::Title))
                .col(text(Notifications::Body))
                .col(json_binary(Notifications::Data))
                .col(string_uniq(Notifications::DedupeKey))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .foreign_key(&mut fk(
                    Notifications::Table,
                    Notifications::UserId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Notifications::Table,
            [Notifications::UserId, Notifications::CreatedAt],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SupportTickets::Table)
                .if_not_exists()
                .col(pk_uuid(SupportTickets::Id))
                .col(uuid(SupportTickets::UserId))
                .col(uuid_null(SupportTickets::BookingId))
                .col(string(SupportTickets::Subject))
                .col(string(SupportTickets::Status))
                .col(timestamp_with_time_zone(SupportTickets::CreatedAt))
                .col(timestamp_with_time_zone(SupportTickets::UpdatedAt))
                .foreign_key(&mut fk(
                    SupportTickets::Table,
                    SupportTickets::UserId,
                    Users::Table,
                ))
                .foreign_key(&mut fk(
                    SupportTickets::Table,
                    SupportTickets::BookingId,
                    Bookings::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            SupportTickets::Table,
            [SupportTickets::UserId],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SupportMessages::Table)
                .if_not_exists()
                .col(pk_uuid(SupportMessages::Id))
                .col(uuid(SupportMessages::TicketId))
                .col(uuid(SupportMessages::AuthorId))
                .col(text(SupportMessages::Body))
                .col(timestamp_with_time_zone(SupportMessages::CreatedAt))
                .foreign_key(&mut fk(
                    SupportMessages::Table,
                    SupportMessages::TicketId,
                    SupportTickets::Table,
                ))
                .foreign_key(&mut fk(
                    SupportMessages::Table,
                    SupportMessages::AuthorId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            SupportMessages::Table,
            [SupportMessages::TicketId, SupportMessages::CreatedAt],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SupportMessages::Table.into_iden(),
            SupportTickets::Table.into_iden(),
            Notifications::Table.into_iden(),
            Promotions::Table.into_iden(),
            Reviews::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Reviews {
    Table,
    Id,
    UserId,
    MovieId,
    Rating,
    Body,
    Verified,
    Hidden,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Promotions {
    Table,
    Id,
    Code,
    Description,
    Kind,
    Value,
    Currency,
    StartsAt,
    EndsAt,
    MaxUses,
    MaxUsesPerUser,
    Uses,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    Data,
    DedupeKey,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportTickets {
    Table,
    Id,
    UserId,
    BookingId,
    Subject,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportMessages {
    Table,
    Id,
    TicketId,
    AuthorId,
    Body,
    CreatedAt,
}
