use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Events, Theatres, Users};
use crate::{fk, index};

/// Organisations (theatre chains, promoters) own theatres, events and promotions; their staff
/// are members with a role; invitations by email add members; the audit log keeps who changed
/// what. Rows written before this migration have no organisation: only the platform's admins
/// manage them.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Organisations::Table)
                .if_not_exists()
                .col(pk_uuid(Organisations::Id))
                .col(string(Organisations::Name))
                .col(string_uniq(Organisations::Slug))
                .col(string_len(Organisations::Currency, 3))
                .col(timestamp_with_time_zone(Organisations::CreatedAt))
                .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrganisationMembers::Table)
                .if_not_exists()
                .col(pk_uuid(OrganisationMembers::Id))
                .col(uuid(OrganisationMembers::OrganisationId))
                .col(uuid(OrganisationMembers::UserId))
                .col(string(OrganisationMembers::Role))
                .col(big_integer_null(OrganisationMembers::RefundLimitCents))
                .col(timestamp_with_time_zone(OrganisationMembers::CreatedAt))
                .check(Expr::col(OrganisationMembers::Role).is_in(["manager", "support"]))
                .foreign_key(&mut fk(
                    OrganisationMembers::Table,
                    OrganisationMembers::OrganisationId,
                    Organisations::Table,
                ))
                .foreign_key(&mut fk(
                    OrganisationMembers::Table,
                    OrganisationMembers::UserId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            OrganisationMembers::Table,
            [
                OrganisationMembers::OrganisationId,
                OrganisationMembers::UserId,
            ],
            true,
        ))
        .await?;
        // Signing in loads the caller's memberships.
        m.create_index(index(
            OrganisationMembers::Table,
            [OrganisationMembers::UserId],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(OrganisationInvitations::Table)
                .if_not_exists()
                .col(pk_uuid(OrganisationInvitations::Id))
                .col(uuid(OrganisationInvitations::OrganisationId))
                .col(string(OrganisationInvitations::Email))
                .col(string(OrganisationInvitations::Role))
                .col(big_integer_null(OrganisationInvitations::RefundLimitCents))
                .col(string_uniq(OrganisationInvitations::TokenHash))
                .col(uuid(OrganisationInvitations::InvitedBy))
                .col(timestamp_with_time_zone(OrganisationInvitations::CreatedAt))
                .col(timestamp_with_time_zone(OrganisationInvitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(
                    OrganisationInvitations::AcceptedAt,
                ))
                .col(uuid_null(OrganisationInvitations::AcceptedBy))
                .check(Expr::col(OrganisationInvitations::Role).is_in(["manager", "support"]))
                .foreign_key(&mut fk(
                    OrganisationInvitations::Table,
                    OrganisationInvitations::OrganisationId,
                    Organisations::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(pk_uuid(AuditLog::Id))
                .col(uuid_null(AuditLog::OrganisationId))
                .col(uuid(AuditLog::ActorId))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::SubjectType))
                .col(uuid_null(AuditLog::SubjectId))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                .to_owned(),
        )
        .await?;
        // Managers read their organisation's log newest first.
        m.create_index(index(
            AuditLog::Table,
            [AuditLog::OrganisationId, AuditLog::CreatedAt],
            false,
        ))
        .await?;
        // SQLite cannot add a foreign key to an existing table: the owner columns are checked
        // by the domain, which only ever writes an organisation it has read.
        for table in [
            Theatres::Table.into_iden(),
            Events::Table.into_iden(),
            Alias::new("promotions").into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(table.clone())
                    .add_column(ColumnDef::new(Alias::new("organisation_id")).uuid().null())
                    .to_owned(),
            )
            .await?;
            m.create_index(index(table, [Alias::new("organisation_id")], false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["theatres", "events", "promotions"] {
            m.drop_index(
                Index::drop()
                    .name(format!("idx_{table}_organisation_id"))
                    .table(Alias::new(table))
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new("organisation_id"))
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            AuditLog::Table.into_iden(),
            OrganisationInvitations::Table.into_iden(),
            OrganisationMembers::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Organisations {
    Table,
    Id,
    Name,
    Slug,
    Currency,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganisationMembers {
    Table,
    Id,
    OrganisationId,
    UserId,
    Role,
    RefundLimitCents,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganisationInvitations {
    Table,
    Id,
    OrganisationId,
    Email,
    Role,
    RefundLimitCents,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    OrganisationId,
    ActorId,
    Action,
    SubjectType,
    SubjectId,
    Before,
    After,
    CreatedAt,
}
