use sea_orm::entity::prelude::*;

/// One performance of a movie or an event on a screen. Exactly one of
/// `movie_id`/`event_id` is set (checked by the database).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "showtimes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub screen_id: Uuid,
    /// Denormalised from the screen so catalog filters need no extra join.
    pub theatre_id: Uuid,
    pub movie_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// `scheduled` or `cancelled`.
    pub status: String,
    pub on_sale_at: DateTimeUtc,
    pub waiting_room: bool,
    pub currency: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::screens::Entity",
        from = "Column::ScreenId",
        to = "super::screens::Column::Id"
    )]
    Screen,
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
