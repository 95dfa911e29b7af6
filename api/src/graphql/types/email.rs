//! A message of the email queue, as admins see it.

use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::mail::{EmailFilter, QueuedEmail};

/// Where an email stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum EmailStatus {
    /// Waiting to be sent, or to be retried after a temporary failure.
    Pending,
    /// Accepted by the mail server.
    Sent,
    /// Given up on (refused, or out of attempts); `retryEmail` queues it again.
    Dead,
}

impl From<EmailStatus> for EmailFilter {
    fn from(s: EmailStatus) -> Self {
        match s {
            EmailStatus::Pending => Self::Pending,
            EmailStatus::Sent => Self::Sent,
            EmailStatus::Dead => Self::Dead,
        }
    }
}

/// An email owed to a buyer.
#[derive(SimpleObject)]
pub struct Email {
    /// Id.
    pub id: ID,
    /// Where it goes.
    pub recipient: String,
    /// `booking.confirmed`, `booking.reminder`, `showtime.changed`, …
    pub kind: String,
    /// The booking it is about.
    pub booking_id: Option<ID>,
    /// Where it stands.
    pub status: EmailStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (pending emails).
    pub next_attempt_at: DateTime<Utc>,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When the mail server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

impl From<QueuedEmail> for Email {
    fn from(e: QueuedEmail) -> Self {
        Self {
            id: ID(e.id.to_string()),
            recipient: e.recipient,
            kind: e.kind,
            booking_id: e.booking_id.map(|b| ID(b.to_string())),
            status: match e.status.as_str() {
                "sent" => EmailStatus::Sent,
                "dead" => EmailStatus::Dead,
                _ => EmailStatus::Pending,
            },
            attempts: e.attempts,
            next_attempt_at: e.next_attempt_at,
            last_error: e.last_error,
            sent_at: e.sent_at,
            created_at: e.created_at,
        }
    }
}
