use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

/// General admission: each showtime counts the places of its general-admission sections
/// (`show_sections`: capacity, sold, held), and a booking holds places by quantity
/// (`booking_places`), which move held → sold → released as seats move in `show_seats`.
/// `bookings.places` counts a booking's places, so that bookings of seats alone are read
/// as before. The counters are changed only by conditional updates in the same transaction as the
/// places' own state, so `sold + held` never passes `capacity`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ShowSections::Table)
                .if_not_exists()
                .col(uuid(ShowSections::ShowtimeId))
                .col(uuid(ShowSections::SectionId))
                .col(integer(ShowSections::Capacity))
                .col(integer(ShowSections::Sold).default(0))
                .col(integer(ShowSections::Held).default(0))
                .col(big_integer(ShowSections::Version).default(0))
                .primary_key(
                    Index::create()
                        .col(ShowSections::ShowtimeId)
                        .col(ShowSections::SectionId),
                )
                .check(Expr::col(ShowSections::Sold).gte(0))
                .check(Expr::col(ShowSections::Held).gte(0))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BookingPlaces::Table)
                .if_not_exists()
                .col(pk_uuid(BookingPlaces::Id))
                .col(uuid(BookingPlaces::BookingId))
                .col(uuid(BookingPlaces::ShowtimeId))
                .col(uuid(BookingPlaces::SectionId))
                .col(integer(BookingPlaces::Quantity))
                .col(string_len(BookingPlaces::Category, 32))
                .col(big_integer(BookingPlaces::PriceCents))
                .col(string_len(BookingPlaces::Status, 16))
                .col(timestamp_with_time_zone_null(BookingPlaces::HoldExpiresAt))
                .check(Expr::col(BookingPlaces::Quantity).gt(0))
                .check(Expr::col(BookingPlaces::Status).is_in(["held", "sold", "released"]))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            BookingPlaces::Table,
            [BookingPlaces::BookingId],
            false,
        ))
        .await?;
        // Lapsed holds of a section are found and reclaimed by the next hold there.
        m.create_index(index(
            BookingPlaces::Table,
            [
                BookingPlaces::ShowtimeId,
                BookingPlaces::SectionId,
                BookingPlaces::Status,
            ],
            false,
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .add_column(integer(Bookings::Places).default(0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .drop_column(Bookings::Places)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(BookingPlaces::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ShowSections::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Places,
}

#[derive(DeriveIden)]
enum ShowSections {
    Table,
    ShowtimeId,
    SectionId,
    Capacity,
    Sold,
    Held,
    Version,
}

#[derive(DeriveIden, Clone)]
enum BookingPlaces {
    Table,
    Id,
    BookingId,
    ShowtimeId,
    SectionId,
    Quantity,
    Category,
    PriceCents,
    Status,
    HoldExpiresAt,
}
