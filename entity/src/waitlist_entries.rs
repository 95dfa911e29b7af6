use sea_orm::entity::prelude::*;

/// A buyer's place in the line of a sold-out showtime.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waitlist_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub showtime_id: Uuid,
    pub user_id: Uuid,
    /// How many seats the buyer wants together.
    pub seats: i32,
    /// `waiting`, `offered`, `claimed` (bought), `lapsed` (offer unclaimed) or `left`.
    pub status: String,
    /// The id the offered booking will have, known from the start so the buyer can watch it.
    #[sea_orm(unique)]
    pub offer_booking_id: Uuid,
    pub offered_at: Option<DateTimeUtc>,
    pub offer_expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
