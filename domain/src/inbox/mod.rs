//! The in-app inbox: one entry per booking outcome the buyer must hear of. Entries are
//! derived from the outbox by the [`InboxDeriver`], whatever became of the rows'
//! publication, in the transaction that marks the rows derived, and keyed by the outbox row
//! they come from, so each appears exactly once however often a row is read.

mod derive;
mod deriver;
mod push;

pub(crate) use derive::derives_from;
pub use deriver::{DERIVE_LOCK, InboxDeriver};
pub(crate) use push::{Added, push_added};

use chrono::{DateTime, Utc};
use marquee_entity::notifications;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::accounts::Principal;
use crate::clock::SharedClock;
use crate::error::{Classify, ErrorKind};
use crate::page::{Page, PageError, PageRequest, newest_first_after, newest_first_page};

/// Topic of the push that follows a new inbox entry, keyed by user.
pub const NOTIFICATION_ADDED: &str = "notification.added";

/// An inbox entry.
#[derive(Debug, Clone)]
pub struct Notification {
    /// Id.
    pub id: Uuid,
    /// `booking.confirmed`, `booking.payment_failed`, …
    pub kind: String,
    /// One line.
    pub title: String,
    /// A sentence or two.
    pub body: String,
    /// The booking it is about, if any.
    pub booking_id: Option<Uuid>,
    /// The support ticket it is about, if any (a reply from staff).
    pub support_ticket_id: Option<Uuid>,
    /// When it was read; unread while `None`.
    pub read_at: Option<DateTime<Utc>>,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
}

impl From<notifications::Model> for Notification {
    fn from(m: notifications::Model) -> Self {
        Self {
            booking_id: m.data["bookingId"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok()),
            support_ticket_id: m.data["ticketId"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok()),
            id: m.id,
            kind: m.kind,
            title: m.title,
            body: m.body,
            read_at: m.read_at,
            created_at: m.created_at,
        }
    }
}

/// What can go wrong with the inbox.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// No such entry in the caller's inbox.
    #[error("no such notification")]
    NotFound,
    /// A bad page request.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl Classify for InboxError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::Page(_) => ErrorKind::BadInput,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Page(PageError::BadCursor) => Some("after"),
            Self::Page(PageError::BadSize) => Some("first"),
            _ => None,
        }
    }
}

/// Reading and marking the caller's inbox.
#[derive(Clone)]
pub struct InboxService {
    db: DatabaseConnection,
    clock: SharedClock,
}

impl InboxService {
    /// Wires the service.
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// The caller's entries, newest first.
    pub async fn list(
        &self,
        who: &Principal,
        unread_only: bool,
        page: &PageRequest,
    ) -> Result<Page<Notification>, InboxError> {
        let size = page.size()?;
        let mut q = notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(who.user_id.uuid()));
        if unread_only {
            q = q.filter(notifications::Column::ReadAt.is_null());
        }
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            notifications::Column::CreatedAt,
            notifications::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(notifications::Column::CreatedAt)
            .order_by_desc(notifications::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        Ok(newest_first_page(
            rows,
            size,
            |m| (m.created_at, m.id),
            Notification::from,
        ))
    }

    /// How many of the caller's entries are unread.
    pub async fn unread_count(&self, who: &Principal) -> Result<u64, InboxError> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(who.user_id.uuid()))
            .filter(notifications::Column::ReadAt.is_null())
            .count(&self.db)
            .await?)
    }

    /// One of the caller's entries.
    pub async fn find(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> Result<Option<Notification>, InboxError> {
        Ok(notifications::Entity::find_by_id(id)
            .filter(notifications::Column::UserId.eq(who.user_id.uuid()))
            .one(&self.db)
            .await?
            .map(Notification::from))
    }

    /// Marks one of the caller's entries read (again is a no-op).
    pub async fn mark_read(&self, who: &Principal, id: Uuid) -> Result<Notification, InboxError> {
        notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(self.clock.now()))
            .filter(notifications::Column::Id.eq(id))
            .filter(notifications::Column::UserId.eq(who.user_id.uuid()))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        notifications::Entity::find_by_id(id)
            .filter(notifications::Column::UserId.eq(who.user_id.uuid()))
            .one(&self.db)
            .await?
            .map(Notification::from)
            .ok_or(InboxError::NotFound)
    }
}
