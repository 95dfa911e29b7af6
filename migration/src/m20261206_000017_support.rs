use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::Users;
use crate::m20261123_000002_inventory_and_bookings::Bookings;
use crate::m20261206_000015_organisations::Organisations;
use crate::{fk, index};

/// The help center: support tickets owned by the organisation of the booking they are about
/// (or the platform), with an assignee, a lifecycle and a reply token for answers by email;
/// their messages (replies, internal notes, refunds, from the app or by email); and help
/// articles. The tickets and messages tables of the first schema were never written, so they
/// are made again rather than altered (SQLite cannot add foreign keys to a table).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SupportMessages::Table.into_iden(),
            SupportTickets::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        m.create_table(
            Table::create()
                .table(SupportTickets::Table)
                .col(pk_uuid(SupportTickets::Id))
                .col(uuid(SupportTickets::UserId))
                .col(uuid_null(SupportTickets::BookingId))
                .col(uuid_null(SupportTickets::OrganisationId))
                .col(uuid_null(SupportTickets::AssigneeId))
                .col(string(SupportTickets::Subject))
                .col(string(SupportTickets::Status))
                .col(string_uniq(SupportTickets::ReplyToken))
                .col(timestamp_with_time_zone(SupportTickets::CreatedAt))
                .col(timestamp_with_time_zone(SupportTickets::UpdatedAt))
                .col(timestamp_with_time_zone_null(
                    SupportTickets::FirstResponseAt,
                ))
                .col(timestamp_with_time_zone_null(SupportTickets::ResolvedAt))
                .col(timestamp_with_time_zone_null(SupportTickets::ClosedAt))
                .check(Expr::col(SupportTickets::Status).is_in([
                    "open",
                    "waiting_on_customer",
                    "resolved",
                    "closed",
                ]))
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
                .foreign_key(&mut fk(
                    SupportTickets::Table,
                    SupportTickets::OrganisationId,
                    Organisations::Table,
                ))
                .foreign_key(&mut fk(
                    SupportTickets::Table,
                    SupportTickets::AssigneeId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        for cols in [
            vec![SupportTickets::UserId, SupportTickets::CreatedAt],
            vec![SupportTickets::Status, SupportTickets::CreatedAt],
            vec![
                SupportTickets::OrganisationId,
                SupportTickets::Status,
                SupportTickets::CreatedAt,
            ],
            vec![SupportTickets::AssigneeId, SupportTickets::Status],
        ] {
            m.create_index(index(SupportTickets::Table, cols, false))
                .await?;
        }
        m.create_table(
            Table::create()
                .table(SupportMessages::Table)
                .col(pk_uuid(SupportMessages::Id))
                .col(uuid(SupportMessages::TicketId))
                .col(uuid(SupportMessages::AuthorId))
                .col(boolean(SupportMessages::FromStaff))
                .col(boolean(SupportMessages::Internal))
                .col(string(SupportMessages::Source))
                .col(text(SupportMessages::Body))
                .col(uuid_null(SupportMessages::RefundId))
                .col(timestamp_with_time_zone(SupportMessages::CreatedAt))
                .check(Expr::col(SupportMessages::Source).is_in(["app", "email"]))
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
        .await?;
        m.create_table(
            Table::create()
                .table(HelpArticles::Table)
                .if_not_exists()
                .col(pk_uuid(HelpArticles::Id))
                .col(uuid_null(HelpArticles::OrganisationId))
                .col(string(HelpArticles::Category))
                .col(string(HelpArticles::Title))
                .col(text(HelpArticles::Body))
                .col(boolean(HelpArticles::Published))
                .col(uuid_null(HelpArticles::AuthorId))
                .col(timestamp_with_time_zone(HelpArticles::CreatedAt))
                .col(timestamp_with_time_zone(HelpArticles::UpdatedAt))
                .foreign_key(&mut fk(
                    HelpArticles::Table,
                    HelpArticles::OrganisationId,
                    Organisations::Table,
                ))
                .foreign_key(&mut fk(
                    HelpArticles::Table,
                    HelpArticles::AuthorId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            HelpArticles::Table,
            [HelpArticles::OrganisationId, HelpArticles::Category],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The tickets and messages tables stay (in their new shape): the first schema's
        // migration owns them and drops them when it is rolled back.
        m.drop_table(Table::drop().table(HelpArticles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportTickets {
    Table,
    Id,
    UserId,
    BookingId,
    OrganisationId,
    AssigneeId,
    Subject,
    Status,
    ReplyToken,
    CreatedAt,
    UpdatedAt,
    FirstResponseAt,
    ResolvedAt,
    ClosedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportMessages {
    Table,
    Id,
    TicketId,
    AuthorId,
    FromStaff,
    Internal,
    Source,
    Body,
    RefundId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum HelpArticles {
    Table,
    Id,
    OrganisationId,
    Category,
    Title,
    Body,
    Published,
    AuthorId,
    CreatedAt,
    UpdatedAt,
}
