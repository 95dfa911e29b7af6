use sea_orm::entity::prelude::*;

/// One change to a gift card's balance: `issue`, `spend` (negative), `restore`, `adjust`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gift_card_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub gift_card_id: Uuid,
    pub kind: String,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    /// The booking a spend or restore belongs to.
    pub booking_id: Option<Uuid>,
    /// The payment attempt a spend belongs to (its restore names it too).
    pub payment_id: Option<Uuid>,
    /// The member of staff, for issues and adjustments.
    pub actor_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
