use sea_orm_migration::prelude::*;

/// Inbox entries and emails are derived from the outbox on their own, not after a
/// publication: `derived_at` marks the rows whose entries are written (rows of topics that
/// make none are marked as they are written). Rows published before this column existed had
/// their entries written with the publication. And a booking's reminder is asked for once:
/// one reminder row per booking, however many instances ask.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The topics the inbox makes entries of (the domain's `booking.status`, `booking.reminder`
/// and `showtime.changed`), as they were when this migration was written.
const DERIVED_TOPICS: &str = "('booking.status', 'booking.reminder', 'showtime.changed')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(
                    ColumnDef::new(Outbox::DerivedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE outbox SET derived_at = COALESCE(published_at, created_at) \
             WHERE published_at IS NOT NULL OR topic NOT IN {DERIVED_TOPICS}"
        ))
        .await?;
        // The deriver scans only what is still to derive.
        m.create_index(
            Index::create()
                .name("idx_outbox_underived")
                .table(Outbox::Table)
                .col(Outbox::Id)
                .and_where(Expr::col(Outbox::DerivedAt).is_null())
                .to_owned(),
        )
        .await?;
        // Every instance asked for the same reminders on every pass: keep the first ask.
        db.execute_unprepared(
            "DELETE FROM outbox WHERE topic = 'booking.reminder' AND id NOT IN \
             (SELECT MIN(id) FROM outbox WHERE topic = 'booking.reminder' GROUP BY \"key\")",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_outbox_one_reminder_per_booking ON outbox (\"key\") \
             WHERE topic = 'booking.reminder'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_outbox_one_reminder_per_booking")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_outbox_underived")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::DerivedAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    DerivedAt,
}
