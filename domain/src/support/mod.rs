//! The help center: articles staff write and buyers search, and support tickets a buyer opens
//! (about one of their bookings, or their account) that the booking's organisation (or the
//! platform) answers, by the app and by email, up to a refund within the agent's limit.

mod articles;
mod closing;
pub mod email;
mod error;
pub mod inbound;
mod notify;
mod queue;
mod refund;
mod tickets;
mod types;

use std::sync::Arc;

use chrono::Duration;
use marquee_entity::support_tickets;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use tokio::sync::Notify;

use crate::booking::BookingService;
use crate::clock::SharedClock;
use crate::discovery::DiscoveryService;
use crate::events::EventBus;
use crate::ids::TicketId;

pub use articles::seed_help_articles;
pub use error::SupportError;
pub use types::{
    ARTICLE_CATEGORIES, Article, ArticleInput, Message, MessageSource, QueueFilter, Ticket,
    TicketStatus,
};

/// The kind of the inbox entry and email a staff reply makes.
pub const REPLY_KIND: &str = "support.reply";

/// How the help center behaves.
#[derive(Debug, Clone)]
pub struct SupportSettings {
    /// How long a resolved ticket waits (for the buyer to answer) before it is closed.
    pub close_after: Duration,
    /// Staff should answer a new ticket within this; later, the ticket is flagged overdue.
    pub first_response_target: Duration,
    /// Replies to support emails go to `support+TOKEN@` this domain.
    pub reply_domain: String,
}

/// Help articles and support tickets.
#[derive(Clone)]
pub struct SupportService {
    db: DatabaseConnection,
    clock: SharedClock,
    settings: Arc<SupportSettings>,
    bookings: BookingService,
    discovery: DiscoveryService,
    bus: Arc<dyn EventBus>,
    mail_wake: Arc<Notify>,
    outbox_wake: Arc<Notify>,
    email_hourly_cap: u32,
}

/// Longest subject, in characters.
const MAX_SUBJECT: usize = 200;
/// Longest message, in characters.
const MAX_BODY: usize = 10_000;

impl SupportService {
    /// Wires the service; replies are pushed to live inboxes on `bus`; `mail_wake` is told when a reply queued an email, `outbox_wake`
    /// when an article change waits to reach the search index.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        settings: SupportSettings,
        bookings: BookingService,
        discovery: DiscoveryService,
        bus: Arc<dyn EventBus>,
        mail_wake: Arc<Notify>,
        outbox_wake: Arc<Notify>,
        email_hourly_cap: u32,
    ) -> Self {
        Self {
            db,
            clock,
            settings: Arc::new(settings),
            bookings,
            discovery,
            bus,
            mail_wake,
            outbox_wake,
            email_hourly_cap,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &SupportSettings {
        &self.settings
    }

    fn ticket_of(&self, m: support_tickets::Model) -> Ticket {
        Ticket::from_model(m, self.clock.now(), self.settings.first_response_target)
    }

    async fn row(
        &self,
        conn: &impl ConnectionTrait,
        id: TicketId,
    ) -> Result<support_tickets::Model, SupportError> {
        support_tickets::Entity::find_by_id(id.uuid())
            .one(conn)
            .await?
            .ok_or(SupportError::NotFound("ticket"))
    }

    /// The address a buyer's email reply to `token`'s ticket goes to.
    pub fn reply_address(&self, token: &str) -> String {
        format!("support+{token}@{}", self.settings.reply_domain)
    }
}

/// `text` trimmed, if it has 1 to `max` characters.
fn text(field: &'static str, text: &str, max: usize) -> Result<String, SupportError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(SupportError::invalid(
            field,
            format!("must be between 1 and {max} characters"),
        ));
    }
    Ok(text.to_owned())
}
