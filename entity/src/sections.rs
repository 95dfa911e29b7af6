use sea_orm::entity::prelude::*;

/// A part of a venue: reserved (rows of numbered seats) or general admission (a capacity).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub screen_id: Uuid,
    /// Unique within the screen, printed on tickets ("Section 101").
    pub name: String,
    /// `reserved` or `general`.
    pub kind: String,
    /// Seats of a reserved section, places of a general admission one.
    pub capacity: i32,
    /// The price category of a general admission section's places.
    pub category: Option<String>,
    /// Order in lists and the overview, 0 first.
    pub position: i32,
    /// Placement on the venue overview map (grid units).
    pub map_x: i32,
    pub map_y: i32,
    pub map_width: i32,
    pub map_height: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::screens::Entity",
        from = "Column::ScreenId",
        to = "super::screens::Column::Id"
    )]
    Screen,
}

impl Related<super::screens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Screen.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
