//! Tickets, messages and articles as the rest of the system sees them.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{help_articles, support_messages, support_tickets};
use serde::Serialize;

use crate::ids::{ArticleId, BookingId, OrganisationId, TicketId, UserId};

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TicketStatus {
    /// Waiting for staff.
    Open,
    /// Staff answered; waiting for the buyer.
    WaitingOnCustomer,
    /// Staff consider it done; the buyer may still answer (which reopens it).
    Resolved,
    /// Resolved long enough ago to be closed for good.
    Closed,
}

impl TicketStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::WaitingOnCustomer => "waiting_on_customer",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    /// Reads the stored form (the table's check constraint allows no other).
    pub fn from_stored(value: &str) -> Self {
        match value {
            "waiting_on_customer" => Self::WaitingOnCustomer,
            "resolved" => Self::Resolved,
            "closed" => Self::Closed,
            _ => Self::Open,
        }
    }
}

/// A support ticket.
#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    /// Its id.
    pub id: TicketId,
    /// The buyer who opened it.
    pub user_id: UserId,
    /// The booking it is about, if any.
    pub booking_id: Option<BookingId>,
    /// Whose queue it is in; `None`: the platform's.
    pub organisation_id: Option<OrganisationId>,
    /// The member of staff handling it.
    pub assignee_id: Option<UserId>,
    /// One line.
    pub subject: String,
    /// Where it stands.
    pub status: TicketStatus,
    /// Opened.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Staff's first answer to the buyer.
    pub first_response_at: Option<DateTime<Utc>>,
    /// Last resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Still unanswered past the first-response target.
    pub overdue: bool,
}

impl Ticket {
    pub(super) fn from_model(
        m: support_tickets::Model,
        now: DateTime<Utc>,
        target: Duration,
    ) -> Self {
        let status = TicketStatus::from_stored(&m.status);
        let overdue = m.first_response_at.is_none()
            && matches!(status, TicketStatus::Open | TicketStatus::WaitingOnCustomer)
            && now - m.created_at > target;
        Self {
            id: m.id.into(),
            user_id: m.user_id.into(),
            booking_id: m.booking_id.map(Into::into),
            organisation_id: m.organisation_id.map(Into::into),
            assignee_id: m.assignee_id.map(Into::into),
            subject: m.subject,
            status,
            created_at: m.created_at,
            updated_at: m.updated_at,
            first_response_at: m.first_response_at,
            resolved_at: m.resolved_at,
            closed_at: m.closed_at,
            overdue,
        }
    }

    /// How long the buyer waited for staff's first answer.
    pub fn first_response_time(&self) -> Option<Duration> {
        self.first_response_at.map(|at| at - self.created_at)
    }
}

/// Where a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MessageSource {
    /// Written in the app (or the staff panel).
    App,
    /// A reply by email.
    Email,
}

impl MessageSource {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Email => "email",
        }
    }
}

/// One message of a ticket.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Its id.
    pub id: uuid::Uuid,
    /// Who wrote it.
    pub author_id: UserId,
    /// Written by staff (else by the buyer).
    pub from_staff: bool,
    /// An internal note: staff only.
    pub internal: bool,
    /// App or email.
    pub source: MessageSource,
    /// The text.
    pub body: String,
    /// The refund it records, if any.
    pub refund_id: Option<uuid::Uuid>,
    /// Written.
    pub created_at: DateTime<Utc>,
}

impl From<support_messages::Model> for Message {
    fn from(m: support_messages::Model) -> Self {
        Self {
            id: m.id,
            author_id: m.author_id.into(),
            from_staff: m.from_staff,
            internal: m.internal,
            source: if m.source == "email" {
                MessageSource::Email
            } else {
                MessageSource::App
            },
            body: m.body,
            refund_id: m.refund_id,
            created_at: m.created_at,
        }
    }
}

/// Which tickets a queue lists; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// In one of these statuses (all but closed when empty).
    pub statuses: Vec<TicketStatus>,
    /// Opened before `now - older_than`.
    pub older_than: Option<Duration>,
    /// Of this organisation.
    pub organisation: Option<OrganisationId>,
    /// Assigned to this member of staff.
    pub assignee: Option<UserId>,
    /// Assigned to nobody.
    pub unassigned: bool,
    /// Unanswered past the first-response target.
    pub overdue: bool,
    /// Most tickets listed (oldest first).
    pub limit: u64,
}

/// The topics help articles are filed under.
pub const ARTICLE_CATEGORIES: [&str; 6] = [
    "refunds",
    "lost-tickets",
    "accessibility",
    "payments",
    "account",
    "other",
];

/// A help-center article.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Its id.
    pub id: ArticleId,
    /// Whose it is; `None`: the platform's.
    pub organisation_id: Option<OrganisationId>,
    /// One of [`ARTICLE_CATEGORIES`].
    pub category: String,
    /// Title.
    pub title: String,
    /// Text (plain, paragraphs separated by blank lines).
    pub body: String,
    /// Shown to buyers and searchable.
    pub published: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<help_articles::Model> for Article {
    fn from(m: help_articles::Model) -> Self {
        Self {
            id: m.id.into(),
            organisation_id: m.organisation_id.map(Into::into),
            category: m.category,
            title: m.title,
            body: m.body,
            published: m.published,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// What staff write in an article.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    /// One of [`ARTICLE_CATEGORIES`].
    pub category: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Shown to buyers.
    pub published: bool,
}
