use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261206_000015_organisations::Organisations;
use crate::{fk, index};

/// Gift cards an organisation issues: a balance in its currency, spent at checkout, and the
/// history of every change to it (issue, spend, restore, adjust). Only a hash of each code
/// is kept, so a leaked table does not spend anyone's balance.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GiftCards::Table)
                .if_not_exists()
                .col(pk_uuid(GiftCards::Id))
                .col(uuid(GiftCards::OrganisationId))
                .col(string_uniq(GiftCards::CodeHash))
                .col(string_len(GiftCards::CodeLast4, 4))
                .col(string_len(GiftCards::Currency, 3))
                .col(big_integer(GiftCards::InitialCents))
                .col(big_integer(GiftCards::BalanceCents))
                .col(timestamp_with_time_zone_null(GiftCards::ExpiresAt))
                .col(timestamp_with_time_zone_null(GiftCards::DisabledAt))
                .col(string_null(GiftCards::RecipientEmail))
                .col(uuid(GiftCards::IssuedBy))
                .col(timestamp_with_time_zone(GiftCards::CreatedAt))
                .col(timestamp_with_time_zone(GiftCards::UpdatedAt))
                // The last guard against spending twice: whatever the code does, a balance
                // never goes below zero.
                .check(Expr::col(GiftCards::BalanceCents).gte(0))
                .foreign_key(&mut fk(
                    GiftCards::Table,
                    GiftCards::OrganisationId,
                    Organisations::Table,
                ))
                .to_owned(),
        )
        .await?;
        // Staff list their organisation's cards newest first.
        m.create_index(index(
            GiftCards::Table,
            [GiftCards::OrganisationId, GiftCards::CreatedAt],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(GiftCardEntries::Table)
                .if_not_exists()
                .col(pk_uuid(GiftCardEntries::Id))
                .col(uuid(GiftCardEntries::GiftCardId))
                .col(string(GiftCardEntries::Kind))
                .col(big_integer(GiftCardEntries::AmountCents))
                .col(big_integer(GiftCardEntries::BalanceAfterCents))
                .col(uuid_null(GiftCardEntries::BookingId))
                .col(uuid_null(GiftCardEntries::PaymentId))
                .col(uuid_null(GiftCardEntries::ActorId))
                .col(string_null(GiftCardEntries::Note))
                .col(timestamp_with_time_zone(GiftCardEntries::CreatedAt))
                .check(
                    Expr::col(GiftCardEntries::Kind).is_in(["issue", "spend", "restore", "adjust"]),
                )
                .foreign_key(&mut fk(
                    GiftCardEntries::Table,
                    GiftCardEntries::GiftCardId,
                    GiftCards::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            GiftCardEntries::Table,
            [GiftCardEntries::GiftCardId, GiftCardEntries::CreatedAt],
            false,
        ))
        .await?;
        // Restores and the booking's "how it was paid" look entries up by payment.
        m.create_index(index(
            GiftCardEntries::Table,
            [GiftCardEntries::PaymentId],
            false,
        ))
        .await?;
        m.create_index(index(
            GiftCardEntries::Table,
            [GiftCardEntries::BookingId],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GiftCardEntries::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(GiftCards::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum GiftCards {
    Table,
    Id,
    OrganisationId,
    CodeHash,
    CodeLast4,
    Currency,
    InitialCents,
    BalanceCents,
    ExpiresAt,
    DisabledAt,
    RecipientEmail,
    IssuedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum GiftCardEntries {
    Table,
    Id,
    GiftCardId,
    Kind,
    AmountCents,
    BalanceAfterCents,
    BookingId,
    PaymentId,
    ActorId,
    Note,
    CreatedAt,
}
