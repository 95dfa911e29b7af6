use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "screens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub theatre_id: Uuid,
    pub name: String,
    /// The layout as submitted (rows, gaps, categories), kept to redraw the map.
    pub layout: Json,
    pub seat_count: i32,
    /// Bumped by every schedule change so that concurrent showtime writes on one
    /// screen serialise on this row.
    pub schedule_version: i64,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::theatres::Entity",
        from = "Column::TheatreId",
        to = "super::theatres::Column::Id"
    )]
    Theatre,
}

impl Related<super::theatres::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Theatre.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
