//! An inbox entry.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::inbox;

/// An entry of the signed-in user's inbox.
#[derive(SimpleObject)]
pub struct Notification {
    /// Id.
    pub id: ID,
    /// `booking.confirmed`, `booking.payment_failed`, `booking.expired`, …
    pub kind: String,
    /// One line.
    pub title: String,
    /// A sentence or two.
    pub body: String,
    /// The booking it is about, if any.
    pub booking_id: Option<ID>,
    /// The support ticket it is about, if any (a reply from staff).
    pub support_ticket_id: Option<ID>,
    /// Whether it has been read.
    pub read: bool,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
}

impl From<inbox::Notification> for Notification {
    fn from(n: inbox::Notification) -> Self {
        Self {
            id: ID(n.id.to_string()),
            kind: n.kind,
            title: n.title,
            body: n.body,
            booking_id: n.booking_id.map(|b| ID(b.to_string())),
            support_ticket_id: n.support_ticket_id.map(|t| ID(t.to_string())),
            read: n.read_at.is_some(),
            created_at: n.created_at,
        }
    }
}
