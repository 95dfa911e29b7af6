//! Email to buyers: a queue in the database filled in the transaction that records what
//! happened, and a worker that renders and sends each message through a [`Mailer`].
//!
//! Each queued message has a unique key (the event and the booking it is about), so an event
//! relayed twice queues one message. A worker claims a message with a lease before sending and
//! marks it sent after the server accepted it; another worker (or the same one after a crash)
//! takes it only when the lease has lapsed. The only way to send twice is a crash between the
//! server's acceptance and the mark; the retry then carries the same Message-ID, so a receiving
//! server or client can tell the copies apart.

mod admin;
mod alert;
mod content;
mod direct;
mod qr;
mod queue;
mod reminders;
mod render;
mod transport;
mod worker;

use async_trait::async_trait;

pub use admin::{EmailError, EmailFilter, QueuedEmail};
pub(crate) use content::money;
pub use direct::DirectMail;
pub use qr::{qr_png, qr_svg};
pub(crate) use queue::queue_emails;
pub use transport::{FileMailer, SmtpMailer};
pub use worker::{EmailSettings, EmailWorker, MailObserver};

/// Why a message was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (connection refused, timeout, 4xx reply).
    #[error("temporary mail failure: {0}")]
    Transient(String),
    /// Trying again will not help (5xx reply: no such mailbox, policy refusal).
    #[error("permanent mail failure: {0}")]
    Permanent(String),
}

/// Where rendered messages go.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands one message over; `Ok` once the receiving side has taken responsibility for it.
    async fn send(&self, message: lettre::Message) -> Result<(), MailError>;
}
