//! Schema migrations, one module per area, applied in order by [`Migrator`].

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_accounts_and_catalog;
mod m20261123_000002_inventory_and_bookings;
mod m20261123_000003_engagement;
mod m20261123_000004_outbox;
mod m20261123_000005_hold_fencing;
mod m20261123_000006_webhook_events;
mod m20261123_000007_seat_hold_token;
mod m20261123_000008_emails;
mod m20261124_000009_rating_histogram;
mod m20261206_000010_token_version;
mod m20261206_000011_outbox_derived;
mod m20261206_000012_trace_context;
mod m20261206_000013_outbox_exported;
mod m20261206_000014_payment_trace;
mod m20261206_000015_organisations;
mod m20261206_000016_analytics;
mod m20261206_000017_support;
mod m20261206_000018_waitlist_alerts;
mod m20261206_000019_gift_cards;
mod m20261207_000020_analytics_rollups;
mod m20261207_000021_venue_sections;
mod m20261207_000022_analytics_totals_covering;
mod m20261207_000023_general_admission;
mod m20261207_000024_analytics_first_seats;
mod m20261207_000025_section_prices;

/// Every migration of the Marquee schema, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_accounts_and_catalog::Migration),
            Box::new(m20261123_000002_inventory_and_bookings::Migration),
            Box::new(m20261123_000003_engagement::Migration),
            Box::new(m20261123_000004_outbox::Migration),
            Box::new(m20261123_000005_hold_fencing::Migration),
            Box::new(m20261123_000006_webhook_events::Migration),
            Box::new(m20261123_000007_seat_hold_token::Migration),
            Box::new(m20261123_000008_emails::Migration),
            Box::new(m20261124_000009_rating_histogram::Migration),
            Box::new(m20261206_000010_token_version::Migration),
            Box::new(m20261206_000011_outbox_derived::Migration),
            Box::new(m20261206_000012_trace_context::Migration),
            Box::new(m20261206_000013_outbox_exported::Migration),
            Box::new(m20261206_000014_payment_trace::Migration),
            Box::new(m20261206_000015_organisations::Migration),
            Box::new(m20261206_000016_analytics::Migration),
            Box::new(m20261206_000017_support::Migration),
            Box::new(m20261206_000018_waitlist_alerts::Migration),
            Box::new(m20261206_000019_gift_cards::Migration),
            Box::new(m20261207_000020_analytics_rollups::Migration),
            Box::new(m20261207_000021_venue_sections::Migration),
            Box::new(m20261207_000022_analytics_totals_covering::Migration),
            Box::new(m20261207_000023_general_admission::Migration),
            Box::new(m20261207_000024_analytics_first_seats::Migration),
            Box::new(m20261207_000025_section_prices::Migration),
        ]
    }
}

/// Foreign key from `from.col` to `to.id`, named after both ends.
pub(crate) fn fk(
    from: impl IntoIden + Clone + 'static,
    col: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    let from_name = from.clone().into_iden().to_string();
    let col: DynIden = col.into_iden();
    let name = format!("fk_{from_name}_{col}");
    ForeignKey::create()
        .name(name)
        .from(from, col)
        .to(to, Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Plain (or unique) index over `cols` of `table`, named after them.
pub(crate) fn index<C: IntoIden + Clone + 'static>(
    table: impl IntoIden + Clone + 'static,
    cols: impl IntoIterator<Item = C>,
    unique: bool,
) -> IndexCreateStatement {
    let table_name = table.clone().into_iden().to_string();
    let cols: Vec<C> = cols.into_iter().collect();
    let col_names: Vec<String> = cols
        .iter()
        .map(|c| c.clone().into_iden().to_string())
        .collect();
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table_name}_{}", col_names.join("_")))
        .table(table)
        .if_not_exists();
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}
