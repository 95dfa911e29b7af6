use sea_orm::entity::prelude::*;

/// A section's own price of one seat category at one showtime, in place of the showtime's.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "section_prices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub showtime_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
    pub price_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
