use sea_orm_migration::prelude::*;

/// A report over a whole period counts each showtime's sellable seats once. Reading them
/// showtime by showtime costs thousands of rows for a quarter at volume; this column keeps,
/// per theatre, screen or title and day, the seats of the showtimes whose activity began
/// that day, so a period sums a few hundred day rows and looks up only the showtimes that
/// began before it. Filled from each showtime's totals (its first day and seats).
#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, the condition tying a totals row `s` to a row `t` besides theatre and day).
const TABLES: [(&str, &str); 3] = [
    ("analytics_theatre_daily", ""),
    ("analytics_screen_daily", " AND s.screen_id = t.screen_id"),
    (
        "analytics_title_daily",
        " AND ((t.kind = 'movie' AND s.movie_id = t.title_id) \
         OR (t.kind = 'event' AND s.movie_id IS NULL AND s.event_id = t.title_id))",
    ),
];

const COLUMN: &str = "first_seats";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (table, tie) in TABLES {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(
                        ColumnDef::new(Alias::new(COLUMN))
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
            db.execute_unprepared(&format!(
                "UPDATE {table} AS t SET {COLUMN} = COALESCE((SELECT SUM(s.sellable_seats) \
                 FROM analytics_showtime_totals s WHERE s.theatre_id = t.theatre_id \
                 AND s.first_day = t.day{tie}), 0)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, _) in TABLES {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new(COLUMN))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
