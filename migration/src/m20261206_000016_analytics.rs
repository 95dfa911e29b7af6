use sea_orm_migration::prelude::*;

/// Sales analytics: rollups per showtime and hour, kept current from the outbox by a worker
/// with a cursor of its own (`rolled_up_at`), so that reports read a few rows per showtime
/// instead of scanning bookings. Buckets are whole hours (or days) since the Unix epoch, UTC. Booking changes still in the outbox
/// are rolled up when the worker first runs; older ones were pruned and are not.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rollup tables and the column of their bucket (whole hours or days since the epoch).
const SALES_TABLES: [(&str, &str); 2] = [
    ("analytics_sales_hourly", "hour"),
    ("analytics_sales_daily", "day"),
];

/// The figures of the rollup tables, each a sum.
const FIGURES: [AnalyticsSales; 14] = [
    AnalyticsSales::TicketsSold,
    AnalyticsSales::TicketsReturned,
    AnalyticsSales::GrossCents,
    AnalyticsSales::RefundCents,
    AnalyticsSales::FeeCents,
    AnalyticsSales::DiscountCents,
    AnalyticsSales::PromotionUses,
    AnalyticsSales::HoldsPlaced,
    AnalyticsSales::CheckoutsStarted,
    AnalyticsSales::Confirmations,
    AnalyticsSales::HoldsLapsed,
    AnalyticsSales::PaymentFailures,
    AnalyticsSales::Cancellations,
    AnalyticsSales::WaitingRoomAdmissions,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(
                    ColumnDef::new(Outbox::RolledUpAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Only booking changes feed the rollups; the rest is marked done at once.
        m.get_connection()
            .execute_unprepared(
                "UPDATE outbox SET rolled_up_at = created_at WHERE topic <> 'booking.status'",
            )
            .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_not_rolled_up")
                .table(Outbox::Table)
                .col(Outbox::Id)
                .and_where(Expr::col(Outbox::RolledUpAt).is_null())
                .to_owned(),
        )
        .await?;

        // The same figures per hour and per day: day and whole-period reports read the
        // daily rows, a twenty-fourth as many.
        for (table, bucket) in SALES_TABLES {
            let mut sales = Table::create();
            sales
                .table(Alias::new(table))
                .if_not_exists()
                .col(ColumnDef::new(AnalyticsSales::ShowtimeId).uuid().not_null())
                .col(ColumnDef::new(Alias::new(bucket)).big_integer().not_null())
                .col(ColumnDef::new(AnalyticsSales::TheatreId).uuid().not_null())
                .col(ColumnDef::new(AnalyticsSales::ScreenId).uuid().not_null())
                .col(ColumnDef::new(AnalyticsSales::MovieId).uuid().null())
                .col(ColumnDef::new(AnalyticsSales::EventId).uuid().null());
            for figure in FIGURES {
                sales.col(ColumnDef::new(figure).big_integer().not_null().default(0));
            }
            sales.primary_key(
                Index::create()
                    .col(AnalyticsSales::ShowtimeId)
                    .col(Alias::new(bucket)),
            );
            m.create_table(sales.to_owned()).await?;
            // Reports ask for an organisation's theatres over a period.
            m.create_index(
                Index::create()
                    .name(format!("idx_{table}_theatre_{bucket}"))
                    .table(Alias::new(table))
                    .col(AnalyticsSales::TheatreId)
                    .col(Alias::new(bucket))
                    .to_owned(),
            )
            .await?;
        }

        // Day reports of an organisation or per theatre read a row per theatre and day.
        let mut theatres = Table::create();
        theatres
            .table(Alias::new("analytics_theatre_daily"))
            .if_not_exists()
            .col(ColumnDef::new(AnalyticsSales::TheatreId).uuid().not_null())
            .col(ColumnDef::new(Alias::new("day")).big_integer().not_null());
        for figure in FIGURES {
            theatres.col(ColumnDef::new(figure).big_integer().not_null().default(0));
        }
        theatres
            .col(
                ColumnDef::new(AnalyticsShowtimes::SellableSeats)
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .primary_key(
                Index::create()
                    .col(AnalyticsSales::TheatreId)
                    .col(Alias::new("day")),
            );
        m.create_table(theatres.to_owned()).await?;

        m.create_table(
            Table::create()
                .table(AnalyticsShowtimes::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(AnalyticsShowtimes::ShowtimeId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AnalyticsShowtimes::TheatreId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AnalyticsShowtimes::SellableSeats)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AnalyticsShowtimes::Table).to_owned())
            .await?;
        m.drop_table(
            Table::drop()
                .table(Alias::new("analytics_theatre_daily"))
                .to_owned(),
        )
        .await?;
        for (table, _) in SALES_TABLES {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_outbox_not_rolled_up")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::RolledUpAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    RolledUpAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AnalyticsSales {
    ShowtimeId,
    TheatreId,
    ScreenId,
    MovieId,
    EventId,
    TicketsSold,
    TicketsReturned,
    GrossCents,
    RefundCents,
    FeeCents,
    DiscountCents,
    PromotionUses,
    HoldsPlaced,
    CheckoutsStarted,
    Confirmations,
    HoldsLapsed,
    PaymentFailures,
    Cancellations,
    WaitingRoomAdmissions,
}

#[derive(DeriveIden, Clone, Copy)]
enum AnalyticsShowtimes {
    Table,
    ShowtimeId,
    TheatreId,
    SellableSeats,
}
