use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_accounts_and_catalog::{Screens, Seats};
use crate::{fk, index};

/// Venues made of sections: a cinema screen is one reserved section, an arena many (floor,
/// lower bowl, boxes), some of them general admission with a capacity and no seat numbers.
/// Every existing screen gets one section whose id is the screen's own, so the backfill is
/// plain SQL on every backend; row labels then need only be unique within a section.
#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD_SEAT_KEY: &str = "idx_seats_screen_id_row_label_number";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Sections::Table)
                .if_not_exists()
                .col(pk_uuid(Sections::Id))
                .col(uuid(Sections::ScreenId))
                .col(string_len(Sections::Name, 100))
                .col(string_len(Sections::Kind, 16))
                .col(integer(Sections::Capacity))
                .col(string_len_null(Sections::Category, 32))
                .col(integer(Sections::Position))
                .col(integer(Sections::MapX).default(0))
                .col(integer(Sections::MapY).default(0))
                .col(integer(Sections::MapWidth).default(0))
                .col(integer(Sections::MapHeight).default(0))
                .check(Expr::col(Sections::Kind).is_in(["reserved", "general"]))
                .check(Expr::col(Sections::Capacity).gte(0))
                .foreign_key(&mut fk(Sections::Table, Sections::ScreenId, Screens::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Sections::Table,
            [Sections::ScreenId, Sections::Name],
            true,
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(Seats::Table)
                .add_column(uuid_null(SeatSection::SectionId))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO sections (id, screen_id, name, kind, capacity, category, position) \
             SELECT id, id, 'Main', 'reserved', seat_count, NULL, 0 FROM screens",
        )
        .await?;
        db.execute_unprepared("UPDATE seats SET section_id = screen_id")
            .await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // SQLite cannot add a constraint to an existing column; there every insert path
            // sets the section, and the unique index below still keys on it.
            db.execute_unprepared("ALTER TABLE seats ALTER COLUMN section_id SET NOT NULL")
                .await?;
            db.execute_unprepared(
                "ALTER TABLE seats ADD CONSTRAINT fk_seats_section_id \
                 FOREIGN KEY (section_id) REFERENCES sections (id) \
                 ON DELETE RESTRICT ON UPDATE CASCADE",
            )
            .await?;
        }
        m.drop_index(
            Index::drop()
                .name(OLD_SEAT_KEY)
                .table(Seats::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Seats::Table,
            [
                SeatSection::SectionId,
                SeatSection::RowLabel,
                SeatSection::Number,
            ],
            true,
        ))
        .await?;
        // The seat map and the scheduler still find a screen's seats by screen.
        m.create_index(index(Seats::Table, [Seats::ScreenId], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_seats_section_id_row_label_number")
                .table(Seats::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_seats_screen_id")
                .table(Seats::Table)
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE seats DROP CONSTRAINT fk_seats_section_id")
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Seats::Table)
                .drop_column(SeatSection::SectionId)
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Seats::Table,
            [Seats::ScreenId, Seats::RowLabel, Seats::Number],
            true,
        ))
        .await?;
        m.drop_table(Table::drop().table(Sections::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Sections {
    Table,
    Id,
    ScreenId,
    Name,
    Kind,
    Capacity,
    Category,
    Position,
    MapX,
    MapY,
    MapWidth,
    MapHeight,
}

#[derive(DeriveIden, Clone, Copy)]
enum SeatSection {
    SectionId,
    RowLabel,
    Number,
}
