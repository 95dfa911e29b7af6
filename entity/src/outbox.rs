use sea_orm::entity::prelude::*;

/// A domain event written in the same transaction as the change it reports;
/// `id` orders events, `key` (for example a showtime id) partitions them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub topic: String,
    pub key: String,
    pub payload: Json,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// When its inbox entries (and their emails) were written; rows of topics that make
    /// none are written derived.
    pub derived_at: Option<DateTimeUtc>,
    /// When the event feed's broker acknowledged it (never, while the feed is off).
    pub exported_at: Option<DateTimeUtc>,
    /// When the sales rollups took it in; rows of topics they do not read are written so.
    pub rolled_up_at: Option<DateTimeUtc>,
    pub attempts: i32,
    /// W3C `traceparent` of the span that wrote the row (null when traces are off).
    pub trace_parent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
