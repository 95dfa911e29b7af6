//! What admins see of the email queue: messages by status (dead letters above all), and a
//! second chance for a dead one.

use chrono::{DateTime, Utc};
use marquee_entity::emails;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::EmailWorker;
use crate::accounts::Admin;
use crate::error::{Classify, ErrorKind};
use crate::page::{Page, PageError, PageRequest, newest_first_after, newest_first_page};

/// A queued, sent or dead message.
#[derive(Debug, Clone)]
pub struct QueuedEmail {
    /// Id.
    pub id: Uuid,
    /// Address it goes to.
    pub recipient: String,
    /// `booking.confirmed`, `booking.reminder`, …
    pub kind: String,
    /// The booking it is about.
    pub booking_id: Option<Uuid>,
    /// `pending`, `sent` or `dead`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (pending messages).
    pub next_attempt_at: DateTime<Utc>,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

impl From<emails::Model> for QueuedEmail {
    fn from(m: emails::Model) -> Self {
        Self {
            id: m.id,
            recipient: m.recipient,
            kind: m.kind,
            booking_id: m.booking_id,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            sent_at: m.sent_at,
            created_at: m.created_at,
        }
    }
}

/// Which messages to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailFilter {
    /// Waiting to be sent or retried.
    Pending,
    /// Accepted by the mail server.
    Sent,
    /// Given up on.
    Dead,
}

impl EmailFilter {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }
}

/// What can go wrong with the queue's admin operations.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// No such message.
    #[error("no such email")]
    NotFound,
    /// Only dead messages can be retried.
    #[error("only a dead email can be retried; this one is {0}")]
    NotDead(String),
    /// A bad page request.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Storage failure.
    #[error("database error")]
    Database(#[from] DbErr),
}

impl Classify for EmailError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::NotDead(_) => ErrorKind::Conflict,
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

impl EmailWorker {
    /// Messages with `status` (all when `None`), newest first.
    pub async fn list(
        &self,
        _admin: &Admin,
        status: Option<EmailFilter>,
        page: &PageRequest,
    ) -> Result<Page<QueuedEmail>, EmailError> {
        let size = page.size()?;
        let mut q = emails::Entity::find();
        if let Some(s) = status {
            q = q.filter(emails::Column::Status.eq(s.as_str()));
        }
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            emails::Column::CreatedAt,
            emails::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(emails::Column::CreatedAt)
            .order_by_desc(emails::Column::Id)
            .limit(size + 1)
            .all(self.db())
            .await?;
        Ok(newest_first_page(
            rows,
            size,
            |m| (m.created_at, m.id),
            QueuedEmail::from,
        ))
    }

    /// Puts a dead message back in the queue with a fresh set of attempts, due now.
    pub async fn retry(&self, _admin: &Admin, id: Uuid) -> Result<QueuedEmail, EmailError> {
        let revived = emails::Entity::update_many()
            .col_expr(emails::Column::Status, Expr::value("pending"))
            .col_expr(emails::Column::Attempts, Expr::value(0))
            .col_expr(emails::Column::NextAttemptAt, Expr::value(self.now()))
            .col_expr(
                emails::Column::LeaseUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(emails::Column::Id.eq(id))
            .filter(emails::Column::Status.eq("dead"))
            .exec(self.db())
            .await?
            .rows_affected;
        let email = emails::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or(EmailError::NotFound)?;
        if revived == 0 {
            return Err(EmailError::NotDead(email.status));
        }
        self.wake();
        Ok(email.into())
    }
}
