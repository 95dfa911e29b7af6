use sea_orm::entity::prelude::*;

/// A buyer's request for help, owned by the organisation of the booking it is about (or the
/// platform, `None`, for account issues).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub booking_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub subject: String,
    /// `open`, `waiting_on_customer`, `resolved` or `closed`.
    pub status: String,
    /// The secret part of the address a buyer's email reply goes to.
    #[sea_orm(unique)]
    pub reply_token: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When staff first answered the buyer (internal notes do not count).
    pub first_response_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
