//! Support tickets, their messages and help articles.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::support;

use super::Booking;
use crate::graphql::auth::{services, staff};
use crate::graphql::error::ApiResult;

/// Where a support ticket stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum TicketStatus {
    /// Waiting for staff.
    Open,
    /// Staff answered; waiting for the buyer.
    WaitingOnCustomer,
    /// Done, unless the buyer answers before it closes.
    Resolved,
    /// Closed for good.
    Closed,
}

impl From<support::TicketStatus> for TicketStatus {
    fn from(s: support::TicketStatus) -> Self {
        match s {
            support::TicketStatus::Open => Self::Open,
            support::TicketStatus::WaitingOnCustomer => Self::WaitingOnCustomer,
            support::TicketStatus::Resolved => Self::Resolved,
            support::TicketStatus::Closed => Self::Closed,
        }
    }
}

impl From<TicketStatus> for support::TicketStatus {
    fn from(s: TicketStatus) -> Self {
        match s {
            TicketStatus::Open => Self::Open,
            TicketStatus::WaitingOnCustomer => Self::WaitingOnCustomer,
            TicketStatus::Resolved => Self::Resolved,
            TicketStatus::Closed => Self::Closed,
        }
    }
}

/// Where a message came from.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum MessageSource {
    /// The app or the staff panel.
    App,
    /// An email reply.
    Email,
}

/// A support ticket, as its buyer or as staff see it.
pub struct SupportTicket {
    ticket: support::Ticket,
    staff_view: bool,
}

impl SupportTicket {
    /// The buyer's view: no internal notes.
    pub fn for_buyer(ticket: support::Ticket) -> Self {
        Self {
            ticket,
            staff_view: false,
        }
    }

    /// Staff's view: internal notes and the booking.
    pub fn for_staff(ticket: support::Ticket) -> Self {
        Self {
            ticket,
            staff_view: true,
        }
    }
}

#[Object]
impl SupportTicket {
    async fn id(&self) -> ID {
        ID(self.ticket.id.to_string())
    }

    /// One line.
    async fn subject(&self) -> &str {
        &self.ticket.subject
    }

    async fn status(&self) -> TicketStatus {
        self.ticket.status.into()
    }

    /// The booking it is about, if any.
    async fn booking_id(&self) -> Option<ID> {
        self.ticket.booking_id.map(|b| ID(b.to_string()))
    }

    /// Whose queue it is in; null: the platform's.
    async fn organisation_id(&self) -> Option<ID> {
        self.ticket.organisation_id.map(|o| ID(o.to_string()))
    }

    /// The member of staff handling it.
    async fn assignee_id(&self) -> Option<ID> {
        self.ticket.assignee_id.map(|u| ID(u.to_string()))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.ticket.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.ticket.updated_at
    }

    /// Staff's first answer to the buyer.
    async fn first_response_at(&self) -> Option<DateTime<Utc>> {
        self.ticket.first_response_at
    }

    /// Seconds from opening to staff's first answer.
    async fn first_response_seconds(&self) -> Option<i64> {
        self.ticket.first_response_time().map(|d| d.num_seconds())
    }

    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.ticket.resolved_at
    }

    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.ticket.closed_at
    }

    /// Unanswered past the first-response target.
    async fn overdue(&self) -> bool {
        self.ticket.overdue
    }

    /// The conversation, oldest first; internal notes only for staff.
    async fn messages(&self, ctx: &Context<'_>) -> ApiResult<Vec<SupportMessage>> {
        Ok(services(ctx)
            .support
            .messages(self.ticket.id, self.staff_view)
            .await?
            .into_iter()
            .map(SupportMessage::from)
            .collect())
    }

    /// The booking, looked up by staff (null for the buyer's view: `booking(id)` has it).
    async fn booking(&self, ctx: &Context<'_>) -> ApiResult<Option<Booking>> {
        if !self.staff_view {
            return Ok(None);
        }
        let staff = staff(ctx).await?;
        Ok(services(ctx)
            .support
            .ticket_booking(&staff, self.ticket.id)
            .await?
            .map(Booking))
    }
}

/// One message of a ticket.
#[derive(SimpleObject)]
pub struct SupportMessage {
    /// Id.
    pub id: ID,
    /// Who wrote it.
    pub author_id: ID,
    /// Written by staff (else by the buyer).
    pub from_staff: bool,
    /// A note for staff only.
    pub internal: bool,
    /// App or email.
    pub source: MessageSource,
    /// The text.
    pub body: String,
    /// The refund it records, if any.
    pub refund_id: Option<ID>,
    /// Written.
    pub created_at: DateTime<Utc>,
}

impl From<support::Message> for SupportMessage {
    fn from(m: support::Message) -> Self {
        Self {
            id: ID(m.id.to_string()),
            author_id: ID(m.author_id.to_string()),
            from_staff: m.from_staff,
            internal: m.internal,
            source: match m.source {
                support::MessageSource::App => MessageSource::App,
                support::MessageSource::Email => MessageSource::Email,
            },
            body: m.body,
            refund_id: m.refund_id.map(|r| ID(r.to_string())),
            created_at: m.created_at,
        }
    }
}

/// A refund issued from a ticket.
pub struct TicketRefund {
    /// The ticket after.
    pub ticket: support::Ticket,
    /// The booking after.
    pub booking: marquee_domain::booking::Booking,
}

#[Object]
impl TicketRefund {
    async fn ticket(&self) -> SupportTicket {
        SupportTicket::for_staff(self.ticket.clone())
    }

    async fn booking(&self) -> Booking {
        Booking(self.booking.clone())
    }
}

/// A help-center article.
#[derive(SimpleObject)]
pub struct HelpArticle {
    /// Id.
    pub id: ID,
    /// Whose it is; null: the platform's.
    pub organisation_id: Option<ID>,
    /// `refunds`, `lost-tickets`, `accessibility`, `payments`, `account` or `other`.
    pub category: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Shown to buyers.
    pub published: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<support::Article> for HelpArticle {
    fn from(a: support::Article) -> Self {
        Self {
            id: ID(a.id.to_string()),
            organisation_id: a.organisation_id.map(|o| ID(o.to_string())),
            category: a.category,
            title: a.title,
            body: a.body,
            published: a.published,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}
