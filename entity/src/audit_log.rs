use sea_orm::entity::prelude::*;

/// One staff action: who, what, on which object, its state before and after (JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `None` for the platform's own actions (movies, organisations).
    pub organisation_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
