use sea_orm::entity::prelude::*;

/// A general-admission section at one showtime: its places and how many are sold or held.
/// Changed only by conditional updates, so `sold + held <= capacity` holds.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "show_sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub showtime_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section_id: Uuid,
    pub capacity: i32,
    pub sold: i32,
    /// Places of holds not yet reclaimed (a lapsed hold counts until reclaimed).
    pub held: i32,
    /// Bumped on every change, for readers that cache availability.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
