use sea_orm::entity::prelude::*;

/// A seat in a booking. A partial unique index on `(showtime_id, seat_id) WHERE active`
/// lets the schema itself refuse a second active booking of one seat.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_seats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub booking_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seat_id: Uuid,
    pub showtime_id: Uuid,
    pub category: String,
    pub price_cents: i64,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::seats::Entity",
        from = "Column::SeatId",
        to = "super::seats::Column::Id"
    )]
    Seat,
}

impl Related<super::seats::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Seat.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
