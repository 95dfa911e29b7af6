use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Seats, Showtimes, Users};
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Bookings::Table)
                .if_not_exists()
                .col(pk_uuid(Bookings::Id))
                .col(uuid(Bookings::UserId))
                .col(uuid(Bookings::ShowtimeId))
                .col(string(Bookings::Status))
                .col(big_integer(Bookings::SubtotalCents))
                .col(big_integer(Bookings::DiscountCents))
                .col(big_integer(Bookings::FeeCents))
                .col(big_integer(Bookings::TotalCents))
                .col(string(Bookings::Currency))
                .col(uuid_null(Bookings::PromotionId))
                .col(timestamp_with_time_zone(Bookings::ExpiresAt))
                .col(big_integer(Bookings::FencingToken))
                .col(string_null(Bookings::IdempotencyKey))
                .col(string_null(Bookings::StatusReason))
                .col(timestamp_with_time_zone(Bookings::CreatedAt))
                .col(timestamp_with_time_zone(Bookings::UpdatedAt))
                .foreign_key(&mut fk(Bookings::Table, Bookings::UserId, Users::Table))
                .foreign_key(&mut fk(
                    Bookings::Table,
                    Bookings::ShowtimeId,
                    Showtimes::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Bookings::Table,
            [Bookings::UserId, Bookings::IdempotencyKey],
            true,
        ))
        .await?;
        m.create_index(index(
            Bookings::Table,
            [Bookings::UserId, Bookings::CreatedAt],
            false,
        ))
        .await?;
        m.create_index(index(
            Bookings::Table,
            [Bookings::Status, Bookings::ExpiresAt],
            false,
        ))
        .await?;
        m.create_index(index(Bookings::Table, [Bookings::ShowtimeId], false))
            .await?;

        m.create_table(
            Table::create()
                .table(ShowSeats::Table)
                .if_not_exists()
                .col(uuid(ShowSeats::ShowtimeId))
                .col(uuid(ShowSeats::SeatId))
                .col(string(ShowSeats::Status))
                .col(uuid_null(ShowSeats::BookingId))
                .col(timestamp_with_time_zone_null(ShowSeats::HoldExpiresAt))
                .col(integer(ShowSeats::Version).default(0))
                .primary_key(
                    Index::create()
                        .col(ShowSeats::ShowtimeId)
                        .col(ShowSeats::SeatId),
                )
                .foreign_key(&mut fk(
                    ShowSeats::Table,
                    ShowSeats::ShowtimeId,
                    Showtimes::Table,
                ))
                .foreign_key(&mut fk(ShowSeats::Table, ShowSeats::SeatId, Seats::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ShowSeats::Table, [ShowSeats::BookingId], false))
            .await?;

        m.create_table(
            Table::create()
                .table(BookingSeats::Table)
                .if_not_exists()
                .col(uuid(BookingSeats::BookingId))
                .col(uuid(BookingSeats::SeatId))
                .col(uuid(BookingSeats::ShowtimeId))
                .col(string(BookingSeats::Category))
                .col(big_integer(BookingSeats::PriceCents))
                .col(boolean(BookingSeats::Active))
                .primary_key(
                    Index::create()
                        .col(BookingSeats::BookingId)
                        .col(BookingSeats::SeatId),
                )
                .foreign_key(&mut fk(
                    BookingSeats::Table,
                    BookingSeats::BookingId,
                    Bookings::Table,
                ))
                .foreign_key(&mut fk(
                    BookingSeats::Table,
                    BookingSeats::SeatId,
                    Seats::Table,
                ))
                .to_owned(),
        )
        .await?;
        // The schema itself refuses a second active booking of one seat.
        m.create_index(
            Index::create()
                .name("uq_booking_seats_active_seat")
                .table(BookingSeats::Table)
                .col(BookingSeats::ShowtimeId)
                .col(BookingSeats::SeatId)
                .unique()
                .and_where(Expr::col(BookingSeats::Active).eq(true))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tickets::Table)
                .if_not_exists()
                .col(pk_uuid(Tickets::Id))
                .col(string_uniq(Tickets::Code))
                .col(uuid(Tickets::BookingId))
                .col(uuid(Tickets::ShowtimeId))
                .col(uuid(Tickets::SeatId))
                .col(string(Tickets::Status))
                .col(timestamp_with_time_zone(Tickets::IssuedAt))
                .foreign_key(&mut fk(Tickets::Table, Tickets::BookingId, Bookings::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Tickets::Table, [Tickets::BookingId], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Payments::Table)
                .if_not_exists()
                .col(pk_uuid(Payments::Id))
                .col(uuid(Payments::BookingId))
                .col(string(Payments::Provider))
                .col(string_null(Payments::ProviderRef))
                .col(string_uniq(Payments::IdempotencyKey))
                .col(big_integer(Payments::AmountCents))
                .col(string(Payments::Currency))
                .col(string(Payments::Status))
                .col(string_null(Payments::FailureReason))
                .col(integer(Payments::Attempts).default(0))
                .col(timestamp_with_time_zone_null(Payments::NextCheckAt))
                .col(timestamp_with_time_zone(Payments::CreatedAt))
                .col(timestamp_with_time_zone(Payments::UpdatedAt))
                .foreign_key(&mut fk(
                    Payments::Table,
                    Payments::BookingId,
                    Bookings::Table,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Payments::Table, [Payments::BookingId], false))
            .await?;
        m.create_index(index(
            Payments::Table,
            [Payments::Status, Payments::NextCheckAt],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Refunds::Table)
                .if_not_exists()
                .col(pk_uuid(Refunds::Id))
                .col(uuid(Refunds::PaymentId))
                .col(uuid(Refunds::BookingId))
                .col(string_null(Refunds::ProviderRef))
                .col(string_uniq(Refunds::IdempotencyKey))
                .col(big_integer(Refunds::AmountCents))
                .col(string(Refunds::Status))
                .col(string(Refunds::Reason))
                .col(timestamp_with_time_zone(Refunds::CreatedAt))
                .col(timestamp_with_time_zone(Refunds::UpdatedAt))
                .foreign_key(&mut fk(Refunds::Table, Refunds::PaymentId, Payments::Table))
                .foreign_key(&mut fk(Refunds::Table, Refunds::BookingId, Bookings::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Refunds::Table, [Refunds::BookingId], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Refunds::Table.into_iden(),
            Payments::Table.into_iden(),
            Tickets::Table.into_iden(),
            BookingSeats::Table.into_iden(),
            ShowSeats::Table.into_iden(),
            Bookings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Bookings {
    Table,
    Id,
    UserId,
    ShowtimeId,
    Status,
    SubtotalCents,
    DiscountCents,
    FeeCents,
    TotalCents,
    Currency,
    PromotionId,
    ExpiresAt,
    FencingToken,
    IdempotencyKey,
    StatusReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ShowSeats {
    Table,
    ShowtimeId,
    SeatId,
    Status,
    BookingId,
    HoldExpiresAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum BookingSeats {
    Table,
    BookingId,
    SeatId,
    ShowtimeId,
    Category,
    PriceCents,
    Active,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    Id,
    Code,
    BookingId,
    ShowtimeId,
    SeatId,
    Status,
    IssuedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payments {
    Table,
    Id,
    BookingId,
    Provider,
    ProviderRef,
    IdempotencyKey,
    AmountCents,
    Currency,
    Status,
    FailureReason,
    Attempts,
    NextCheckAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Refunds {
    Table,
    Id,
    PaymentId,
    BookingId,
    ProviderRef,
    IdempotencyKey,
    AmountCents,
    Status,
    Reason,
    CreatedAt,
    UpdatedAt,
}
