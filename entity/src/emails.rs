use sea_orm::entity::prelude::*;

/// A message owed to a buyer, waiting for (or done with) the email worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "emails")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What it announces and to whom, so that a replayed event queues no second message.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub user_id: Uuid,
    pub recipient: String,
    pub kind: String,
    pub booking_id: Option<Uuid>,
    /// `pending`, `sent` or `dead` (given up on; an admin may retry it).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// Until when a worker owns the message; a lapsed lease lets another worker take it.
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// Kept across retries so that a receiver can recognise a message delivered twice.
    pub message_id: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// W3C `traceparent` of the span that queued the message (null when traces are off).
    pub trace_parent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
