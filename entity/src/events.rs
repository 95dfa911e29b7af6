use sea_orm::entity::prelude::*;

/// A live event (concert, comedy, theatre play…) that showtimes can stage.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub performer: String,
    pub category: String,
    /// Same bar-wrapped encoding as `movies.genres`.
    pub genres: String,
    pub language: String,
    pub duration_minutes: i32,
    pub age_rating: String,
    pub poster_url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    /// The owner; `None` for the platform's own.
    pub organisation_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
