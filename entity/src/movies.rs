use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "movies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub synopsis: String,
    /// Genre slugs wrapped in bars (`|action|sci-fi|`) so one `LIKE` filters by genre
    /// on every backend.
    pub genres: String,
    /// JSON array of names, billing order.
    pub cast: Json,
    pub runtime_minutes: i32,
    pub certificate: String,
    pub language: String,
    pub release_date: Date,
    pub poster_url: Option<String>,
    pub trailer_url: Option<String>,
    pub rating_count: i32,
    pub rating_total: i64,
    /// Reviews giving one star, two, … five (visible reviews only, like the count).
    pub ratings_1: i32,
    pub ratings_2: i32,
    pub ratings_3: i32,
    pub ratings_4: i32,
    pub ratings_5: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
