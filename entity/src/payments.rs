use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub booking_id: Uuid,
    /// `stripe` or `fake`.
    pub provider: String,
    pub provider_ref: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub amount_cents: i64,
    pub currency: String,
    /// `pending`, `unknown`, `processing`, `requires_action` (awaiting the buyer's
    /// authentication), `succeeded` or `failed`.
    pub status: String,
    pub failure_reason: Option<String>,
    pub attempts: i32,
    pub next_check_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The W3C `traceparent` of the checkout that made it; null with traces off.
    pub trace_parent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
