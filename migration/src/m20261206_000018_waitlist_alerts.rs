use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Showtimes, Users};
use crate::{fk, index};

/// Waitlists of sold-out showtimes, and buyers' "notify me" alerts for titles not yet on
/// sale where they are.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WaitlistEntries::Table)
                .if_not_exists()
                .col(pk_uuid(WaitlistEntries::Id))
                .col(uuid(WaitlistEntries::ShowtimeId))
                .col(uuid(WaitlistEntries::UserId))
                .col(integer(WaitlistEntries::Seats))
                .col(string(WaitlistEntries::Status))
                .col(uuid_uniq(WaitlistEntries::OfferBookingId))
                .col(timestamp_with_time_zone_null(WaitlistEntries::OfferedAt))
                .col(timestamp_with_time_zone_null(
                    WaitlistEntries::OfferExpiresAt,
                ))
                .col(timestamp_with_time_zone(WaitlistEntries::CreatedAt))
                .col(timestamp_with_time_zone(WaitlistEntries::UpdatedAt))
                .check(
                    Expr::col(WaitlistEntries::Status)
                        .is_in(["waiting", "offered", "claimed", "lapsed", "left"]),
                )
                .foreign_key(&mut fk(
                    WaitlistEntries::Table,
                    WaitlistEntries::ShowtimeId,
                    Showtimes::Table,
                ))
                .foreign_key(&mut fk(
                    WaitlistEntries::Table,
                    WaitlistEntries::UserId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        // The line of a showtime, in order; and the hold path's "anyone waiting?".
        m.create_index(index(
            WaitlistEntries::Table,
            [
                WaitlistEntries::ShowtimeId,
                WaitlistEntries::Status,
                WaitlistEntries::CreatedAt,
            ],
            false,
        ))
        .await?;
        // One place in a showtime's line per buyer.
        m.create_index(
            Index::create()
                .name("uq_waitlist_entries_live_user")
                .table(WaitlistEntries::Table)
                .col(WaitlistEntries::ShowtimeId)
                .col(WaitlistEntries::UserId)
                .unique()
                .and_where(Expr::col(WaitlistEntries::Status).is_in(["waiting", "offered"]))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            WaitlistEntries::Table,
            [WaitlistEntries::UserId],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(TitleAlerts::Table)
                .if_not_exists()
                .col(pk_uuid(TitleAlerts::Id))
                .col(uuid(TitleAlerts::UserId))
                .col(uuid_null(TitleAlerts::MovieId))
                .col(uuid_null(TitleAlerts::EventId))
                .col(string_null(TitleAlerts::City))
                .col(double_null(TitleAlerts::Lat))
                .col(double_null(TitleAlerts::Lon))
                .col(double_null(TitleAlerts::RadiusKm))
                .col(string(TitleAlerts::Status))
                .col(string_uniq(TitleAlerts::UnsubscribeToken))
                .col(uuid_null(TitleAlerts::NotifiedShowtimeId))
                .col(timestamp_with_time_zone_null(TitleAlerts::NotifiedAt))
                .col(timestamp_with_time_zone(TitleAlerts::CreatedAt))
                .col(timestamp_with_time_zone(TitleAlerts::UpdatedAt))
                .check(Expr::col(TitleAlerts::Status).is_in(["active", "notified", "unsubscribed"]))
                .foreign_key(&mut fk(
                    TitleAlerts::Table,
                    TitleAlerts::UserId,
                    Users::Table,
                ))
                .to_owned(),
        )
        .await?;
        // The worker looks up active alerts by title; interest is counted the same way.
        m.create_index(index(
            TitleAlerts::Table,
            [TitleAlerts::Status, TitleAlerts::MovieId],
            false,
        ))
        .await?;
        m.create_index(index(
            TitleAlerts::Table,
            [TitleAlerts::Status, TitleAlerts::EventId],
            false,
        ))
        .await?;
        m.create_index(index(TitleAlerts::Table, [TitleAlerts::UserId], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TitleAlerts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(WaitlistEntries::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum WaitlistEntries {
    Table,
    Id,
    ShowtimeId,
    UserId,
    Seats,
    Status,
    OfferBookingId,
    OfferedAt,
    OfferExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TitleAlerts {
    Table,
    Id,
    UserId,
    MovieId,
    EventId,
    City,
    Lat,
    Lon,
    RadiusKm,
    Status,
    UnsubscribeToken,
    NotifiedShowtimeId,
    NotifiedAt,
    CreatedAt,
    UpdatedAt,
}
