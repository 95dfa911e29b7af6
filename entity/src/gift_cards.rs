use sea_orm::entity::prelude::*;

/// A gift card of an organisation: its balance in the organisation's currency. The code
/// itself is never stored, only its SHA-256 (hex) and last four characters.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gift_cards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[sea_orm(unique)]
    pub code_hash: String,
    pub code_last4: String,
    pub currency: String,
    pub initial_cents: i64,
    pub balance_cents: i64,
    pub expires_at: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    pub recipient_email: Option<String>,
    pub issued_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
