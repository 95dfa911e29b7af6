use sea_orm::entity::prelude::*;

/// One message of a support ticket: the buyer's, a staff reply, an internal note (never shown
/// to the buyer) or the record of a refund.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author_id: Uuid,
    pub from_staff: bool,
    /// Staff only.
    pub internal: bool,
    /// `app` or `email`.
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The refund this message records, when it records one.
    pub refund_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
