use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Showtimes, Users};
use crate::{fk, index};

/// The email queue: one row per message owed to a buyer, sent by the email worker at least once
/// and recorded as sent so that it is sent once in all but a crash between the SMTP reply and the
/// update.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Emails::Table)
                .if_not_exists()
                .col(pk_uuid(Emails::Id))
                .col(string_uniq(Emails::DedupeKey))
                .col(uuid(Emails::UserId))
                .col(string(Emails::Recipient))
                .col(string(Emails::Kind))
                .col(uuid_null(Emails::BookingId))
                .col(string(Emails::Status))
                .col(integer(Emails::Attempts).default(0))
                .col(timestamp_with_time_zone(Emails::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Emails::LeaseUntil))
                .col(text_null(Emails::LastError))
                .col(string(Emails::MessageId))
                .col(timestamp_with_time_zone_null(Emails::SentAt))
                .col(timestamp_with_time_zone(Emails::CreatedAt))
                .check(Expr::col(Emails::Status).is_in(["pending", "sent", "dead"]))
                .foreign_key(&mut fk(Emails::Table, Emails::UserId, Users::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Emails::Table,
            [Emails::Status, Emails::NextAttemptAt],
            false,
        ))
        .await?;
        // Reminders look for shows starting soon, across all theatres.
        m.create_index(index(Showtimes::Table, [Showtimes::StartsAt], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_showtimes_starts_at")
                .table(Showtimes::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Emails::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Emails {
    Table,
    Id,
    DedupeKey,
    UserId,
    Recipient,
    Kind,
    BookingId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    MessageId,
    SentAt,
    CreatedAt,
}
