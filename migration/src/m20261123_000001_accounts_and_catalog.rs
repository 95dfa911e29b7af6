use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk_uuid(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string_null(Users::PasswordHash))
                .col(string(Users::Role))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .col(timestamp_with_time_zone_null(Users::DeletedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Theatres::Table)
                .if_not_exists()
                .col(pk_uuid(Theatres::Id))
                .col(string(Theatres::Name))
                .col(string(Theatres::Address))
                .col(string(Theatres::City))
                .col(string(Theatres::State))
                .col(string(Theatres::Zip))
                .col(double(Theatres::Latitude))
                .col(double(Theatres::Longitude))
                .col(string(Theatres::Timezone))
                .col(timestamp_with_time_zone(Theatres::CreatedAt))
                .col(timestamp_with_time_zone(Theatres::UpdatedAt))
                .col(timestamp_with_time_zone_null(Theatres::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Theatres::Table, [Theatres::City], false))
            .await?;
        m.create_index(index(Theatres::Table, [Theatres::Zip], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Screens::Table)
                .if_not_exists()
                .col(pk_uuid(Screens::Id))
                .col(uuid(Screens::TheatreId))
                .col(string(Screens::Name))
                .col(json_binary(Screens::Layout))
                .col(integer(Screens::SeatCount))
                .col(big_integer(Screens::ScheduleVersion).default(0))
                .col(timestamp_with_time_zone(Screens::CreatedAt))
                .col(timestamp_with_time_zone_null(Screens::DeletedAt))
                .foreign_key(&mut fk(Screens::Table, Screens::TheatreId, Theatres::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Screens::Table, [Screens::TheatreId], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Seats::Table)
                .if_not_exists()
                .col(pk_uuid(Seats::Id))
                .col(uuid(Seats::ScreenId))
                .col(string(Seats::RowLabel))
                .col(integer(Seats::Number))
                .col(string(Seats::Category))
                .col(integer(Seats::X))
                .col(integer(Seats::Y))
                .foreign_key(&mut fk(Seats::Table, Seats::ScreenId, Screens::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Seats::Table,
            [Seats::ScreenId, Seats::RowLabel, Seats::Number],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Movies::Table)
                .if_not_exists()
                .col(pk_uuid(Movies::Id))
                .col(string(Movies::Title))
                .col(text(Movies::Synopsis))
                .col(string(Movies::Genres))
                .col(json_binary(Movies::Cast))
                .col(integer(Movies::RuntimeMinutes))
                .col(string(Movies::Certificate))
                .col(string(Movies::Language))
                .col(date(Movies::ReleaseDate))
                .col(string_null(Movies::PosterUrl))
                .col(string_null(Movies::TrailerUrl))
                .col(integer(Movies::RatingCount).default(0))
                .col(big_integer(Movies::RatingTotal).default(0))
                .col(timestamp_with_time_zone(Movies::CreatedAt))
                .col(timestamp_with_time_zone(Movies::UpdatedAt))
                .col(timestamp_with_time_zone_null(Movies::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Movies::Table, [Movies::Title], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .if_not_exists()
                .col(pk_uuid(Events::Id))
                .col(string(Events::Title))
                .col(text(Events::Description))
                .col(string(Events::Performer))
                .col(string(Events::Category))
                .col(string(Events::Genres))
                .col(string(Events::Language))
                .col(integer(Events::DurationMinutes))
                .col(string(Events::AgeRating))
                .col(string_null(Events::PosterUrl))
                .col(timestamp_with_time_zone(Events::CreatedAt))
                .col(timestamp_with_time_zone(Events::UpdatedAt))
                .col(timestamp_with_time_zone_null(Events::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Events::Table, [Events::Title], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Showtimes::Table)
                .if_not_exists()
                .col(pk_uuid(Showtimes::Id))
                .col(uuid(Showtimes::ScreenId))
                .col(uuid(Showtimes::TheatreId))
                .col(uuid_null(Showtimes::MovieId))
                .col(uuid_null(Showtimes::EventId))
                .col(timestamp_with_time_zone(Showtimes::StartsAt))
                .col(timestamp_with_time_zone(Showtimes::EndsAt))
                .col(string(Showtimes::Status))
                .col(timestamp_with_time_zone(Showtimes::OnSaleAt))
                .col(boolean(Showtimes::WaitingRoom).default(false))
                .col(string(Showtimes::Currency))
                .col(timestamp_with_time_zone(Showtimes::CreatedAt))
                .col(timestamp_with_time_zone(Showtimes::UpdatedAt))
                .check(Expr::cust(
                    "(movie_id IS NULL AND event_id IS NOT NULL) OR (movie_id IS NOT NULL AND event_id IS NULL)",
                ))
                .foreign_key(&mut fk(Showtimes::Table, Showtimes::ScreenId, Screens::Table))
                .foreign_key(&mut fk(Showtimes::Table, Showtimes::TheatreId, Theatres::Table))
                .foreign_key(&mut fk(Showtimes::Table, Showtimes::MovieId, Movies::Table))
                .foreign_key(&mut fk(Showtimes::Table, Showtimes::EventId, Events::Table))
                .to_owned(),
        )
        .await?;
        for cols in [
            [Showtimes::TheatreId, Showtimes::StartsAt],
            [Showtimes::ScreenId, Showtimes::StartsAt],
            [Showtimes::MovieId, Showtimes::StartsAt],
            [Showtimes::EventId, Showtimes::StartsAt],
        ] {
            m.create_index(index(Showtimes::Table, cols, false)).await?;
        }

        m.create_table(
            Table::create()
                .table(ShowtimePrices::Table)
                .if_not_exists()
                .col(uuid(ShowtimePrices::ShowtimeId))
                .col(string(ShowtimePrices::Category))
                .col(big_integer(ShowtimePrices::PriceCents))
                .primary_key(
                    Index::create()
                        .col(ShowtimePrices::ShowtimeId)
                        .col(ShowtimePrices::Category),
                )
                .check(Expr::col(ShowtimePrices::PriceCents).gte(0))
                .foreign_key(&mut fk(
                    ShowtimePrices::Table,
                    ShowtimePrices::ShowtimeId,
                    Showtimes::Table,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ShowtimePrices::Table.into_iden(),
            Showtimes::Table.into_iden(),
            Events::Table.into_iden(),
            Movies::Table.into_iden(),
            Seats::Table.into_iden(),
            Screens::Table.into_iden(),
            Theatres::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Role,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Theatres {
    Table,
    Id,
    Name,
    Address,
    City,
    State,
    Zip,
    Latitude,
    Longitude,
    Timezone,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Screens {
    Table,
    Id,
    TheatreId,
    Name,
    Layout,
    SeatCount,
    ScheduleVersion,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Seats {
    Table,
    Id,
    ScreenId,
    RowLabel,
    Number,
    Category,
    X,
    Y,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Movies {
    Table,
    Id,
    Title,
    Synopsis,
    Genres,
    Cast,
    RuntimeMinutes,
    Certificate,
    Language,
    ReleaseDate,
    PosterUrl,
    TrailerUrl,
    RatingCount,
    RatingTotal,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Events {
    Table,
    Id,
    Title,
    Description,
    Performer,
    Category,
    Genres,
    Language,
    DurationMinutes,
    AgeRating,
    PosterUrl,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Showtimes {
    Table,
    Id,
    ScreenId,
    TheatreId,
    MovieId,
    EventId,
    StartsAt,
    EndsAt,
    Status,
    OnSaleAt,
    WaitingRoom,
    Currency,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ShowtimePrices {
    Table,
    ShowtimeId,
    Category,
    PriceCents,
}
