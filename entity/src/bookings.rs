use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub showtime_id: Uuid,
    /// `held`, `payment_pending`, `confirmed`, `expired`, `payment_failed`,
    /// `cancelled` or `refunded`.
    pub status: String,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub fee_cents: i64,
    pub total_cents: i64,
    pub currency: String,
    pub promotion_id: Option<Uuid>,
    pub expires_at: DateTimeUtc,
    /// Monotonic per hold; confirmation must present the token it was given.
    pub fencing_token: i64,
    pub idempotency_key: Option<String>,
    pub status_reason: Option<String>,
    /// General-admission places held or bought (0 for a booking of seats only), so that
    /// reading a booking looks for places only when it has some.
    pub places: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
