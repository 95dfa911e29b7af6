use sea_orm::entity::prelude::*;

/// The state of one seat at one showtime: the unit the booking path locks.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "show_seats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub showtime_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seat_id: Uuid,
    /// `available`, `held`, `sold` or `blocked`.
    pub status: String,
    pub booking_id: Option<Uuid>,
    pub hold_expires_at: Option<DateTimeUtc>,
    /// Fencing token of the hold the seat is (or was last) under.
    pub hold_token: Option<i64>,
    pub version: i32,
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
