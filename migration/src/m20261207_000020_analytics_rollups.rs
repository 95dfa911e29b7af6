use sea_orm_migration::prelude::*;

/// Sales rollups for the groupings that read too many rows per showtime at volume: per
/// theatre and hour, per screen and day, per title (movie or event) and day, and each
/// showtime's whole-life totals with the days its activity spans. Filled from the existing
/// rollups, so the figures already counted count once; from here the rollup worker keeps
/// them in the transaction that moves its cursor. Every rollup also counts waiting-room
/// entries.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The figures every rollup sums, in the order the tables list them.
const FIGURES: [&str; 15] = [
    "tickets_sold",
    "tickets_returned",
    "gross_cents",
    "refund_cents",
    "fee_cents",
    "discount_cents",
    "promotion_uses",
    "holds_placed",
    "checkouts_started",
    "confirmations",
    "holds_lapsed",
    "payment_failures",
    "cancellations",
    "waiting_room_admissions",
    "waiting_room_entries",
];

/// The tables of the first analytics migration, which gain the entries column.
const EXISTING: [&str; 3] = [
    "analytics_sales_hourly",
    "analytics_sales_daily",
    "analytics_theatre_daily",
];

/// A dimension rollup: its table, bucket column, columns beside the theatre and bucket
/// (with the key ones), and how it is filled from the existing rollups.
struct Rollup {
    table: &'static str,
    bucket: &'static str,
    key: &'static [&'static str],
    /// Uuid columns of the key besides theatre and bucket.
    members: &'static [&'static str],
    /// The text columns written with the key.
    texts: &'static [&'static str],
}

const ROLLUPS: [Rollup; 3] = [
    Rollup {
        table: "analytics_theatre_hourly",
        bucket: "hour",
        key: &["theatre_id", "hour"],
        members: &[],
        texts: &[],
    },
    Rollup {
        table: "analytics_screen_daily",
        bucket: "day",
        key: &["theatre_id", "day", "screen_id"],
        members: &["screen_id"],
        texts: &[],
    },
    Rollup {
        table: "analytics_title_daily",
        bucket: "day",
        key: &["theatre_id", "day", "title_id"],
        members: &["title_id"],
        texts: &["kind"],
    },
];

fn figures(table: &mut TableCreateStatement) {
    for figure in FIGURES {
        table.col(
            ColumnDef::new(Alias::new(figure))
                .big_integer()
                .not_null()
                .default(0),
        );
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in EXISTING {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(
                        ColumnDef::new(Alias::new("waiting_room_entries"))
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        }
        for rollup in &ROLLUPS {
            let mut t = Table::create();
            t.table(Alias::new(rollup.table))
                .if_not_exists()
                .col(ColumnDef::new(Alias::new("theatre_id")).uuid().not_null())
                .col(
                    ColumnDef::new(Alias::new(rollup.bucket))
                        .big_integer()
                        .not_null(),
                );
            for member in rollup.members {
                t.col(ColumnDef::new(Alias::new(*member)).uuid().not_null());
            }
            for text in rollup.texts {
                t.col(ColumnDef::new(Alias::new(*text)).string().not_null());
            }
            figures(&mut t);
            t.col(
                ColumnDef::new(Alias::new("sellable_seats"))
                    .big_integer()
                    .not_null()
                    .default(0),
            );
            let mut pk = Index::create();
            for col in rollup.key {
                pk.col(Alias::new(*col));
            }
            t.primary_key(&mut pk);
            m.create_table(t.to_owned()).await?;
        }

        let mut totals = Table::create();
        totals
            .table(Alias::new("analytics_showtime_totals"))
            .if_not_exists()
            .col(
                ColumnDef::new(Alias::new("showtime_id"))
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(Alias::new("theatre_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("screen_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("movie_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("event_id")).uuid().null())
            .col(
                ColumnDef::new(Alias::new("first_day"))
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Alias::new("last_day"))
                    .big_integer()
                    .not_null(),
            )
            .col(
                ColumnDef::new(Alias::new("sellable_seats"))
                    .big_integer()
                    .not_null()
                    .default(0),
            );
        figures(&mut totals);
        m.create_table(totals.to_owned()).await?;
        // Reports ask for an organisation's theatres' showtimes active in a period.
        m.create_index(
            Index::create()
                .name("idx_analytics_showtime_totals_theatre_span")
                .table(Alias::new("analytics_showtime_totals"))
                .col(Alias::new("theatre_id"))
                .col(Alias::new("first_day"))
                .col(Alias::new("last_day"))
                .to_owned(),
        )
        .await?;

        // ... and those straddling its start or end.
        m.create_index(
            Index::create()
                .name("idx_analytics_showtime_totals_theatre_last_day")
                .table(Alias::new("analytics_showtime_totals"))
                .col(Alias::new("theatre_id"))
                .col(Alias::new("last_day"))
                .to_owned(),
        )
        .await?;

        // Filled from the rollups so far: each (showtime, bucket) row there is one
        // showtime active in that bucket, whose sellable seats count once.
        let sums = FIGURES
            .iter()
            .map(|f| format!("SUM(r.{f})"))
            .collect::<Vec<_>>()
            .join(", ");
        let cols = FIGURES.join(", ");
        let seats = "COALESCE(SUM(s.sellable_seats), 0)";
        let join = "LEFT JOIN analytics_showtimes s ON s.showtime_id = r.showtime_id";
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO analytics_theatre_hourly (theatre_id, hour, {cols}, sellable_seats) \
             SELECT r.theatre_id, r.hour, {sums}, {seats} FROM analytics_sales_hourly r {join} \
             GROUP BY r.theatre_id, r.hour"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO analytics_screen_daily (theatre_id, day, screen_id, {cols}, \
             sellable_seats) SELECT r.theatre_id, r.day, r.screen_id, {sums}, {seats} \
             FROM analytics_sales_daily r {join} GROUP BY r.theatre_id, r.day, r.screen_id"
        ))
        .await?;
        for (column, kind) in [("movie_id", "movie"), ("event_id", "event")] {
            db.execute_unprepared(&format!(
                "INSERT INTO analytics_title_daily (theatre_id, day, title_id, kind, {cols}, \
                 sellable_seats) SELECT r.theatre_id, r.day, r.{column}, '{kind}', {sums}, \
                 {seats} FROM analytics_sales_daily r {join} WHERE r.{column} IS NOT NULL \
                 GROUP BY r.theatre_id, r.day, r.{column}"
            ))
            .await?;
        }
        db.execute_unprepared(&format!(
            "INSERT INTO analytics_showtime_totals (showtime_id, theatre_id, screen_id, \
             movie_id, event_id, first_day, last_day, sellable_seats, {cols}) \
             SELECT r.showtime_id, r.theatre_id, r.screen_id, r.movie_id, r.event_id, \
             MIN(r.day), MAX(r.day), COALESCE(s.sellable_seats, 0), {sums} \
             FROM analytics_sales_daily r {join} GROUP BY r.showtime_id, r.theatre_id, \
             r.screen_id, r.movie_id, r.event_id, s.sellable_seats"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("analytics_showtime_totals"))
                .to_owned(),
        )
        .await?;
        for rollup in &ROLLUPS {
            m.drop_table(Table::drop().table(Alias::new(rollup.table)).to_owned())
                .await?;
        }
        for table in EXISTING {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new("waiting_room_entries"))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
