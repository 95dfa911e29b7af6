use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "promotions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub description: String,
    /// `percent` (value in whole percent) or `fixed` (value in minor units).
    pub kind: String,
    pub value: i64,
    pub currency: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub max_uses: Option<i32>,
    pub max_uses_per_user: Option<i32>,
    pub uses: i32,
    pub created_at: DateTimeUtc,
    /// The owner; `None` for the platform's own.
    pub organisation_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
