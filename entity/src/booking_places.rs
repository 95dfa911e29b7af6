use sea_orm::entity::prelude::*;

/// General-admission places of a booking: a quantity of one section, `held` (counted in
/// the section's `held` until `hold_expires_at`, or until reclaimed), `sold`, or `released`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_places")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub booking_id: Uuid,
    pub showtime_id: Uuid,
    pub section_id: Uuid,
    pub quantity: i32,
    pub category: String,
    /// Price of one place, in minor units.
    pub price_cents: i64,
    /// `held`, `sold` or `released`.
    pub status: String,
    pub hold_expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
