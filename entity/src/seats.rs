use sea_orm::entity::prelude::*;

/// A physical seat of a screen; `(section_id, row_label, number)` is unique.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub screen_id: Uuid,
    /// The section it belongs to (a screen of one section: the screen's id).
    pub section_id: Uuid,
    pub row_label: String,
    pub number: i32,
    /// `standard`, `premium`, `accessible` or `companion`.
    pub category: String,
    /// Position on the seat map grid (column, row), gaps included.
    pub x: i32,
    pub y: i32,
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
