//! The two [`Mailer`] adapters: SMTP for deployments, files for the embedded default.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{MailError, Mailer};

/// Sends through an SMTP server (`smtp://`, `smtps://`, with credentials in the URL if any).
///
/// Each message has a connection of its own (lettre's pool is not compiled in): the worker
/// gives up on a send that outlasts half its lease by dropping it, and only a dropped
/// connection is closed at once. A pooled one would be parked or politely quit mid-command,
/// so a stalled server would still answer the message's data and keep a copy the worker
/// counted as failed, then get it again from the retry.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    /// A transport to `url`; `timeout` bounds the connect (the worker bounds the whole send).
    pub fn new(url: &str, timeout: Duration) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Permanent(format!("bad SMTP URL: {e}")))?
            .timeout(Some(timeout))
            .build();
        Ok(Self { transport })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A 5xx reply is the server's final word; everything else (4xx, connection
            // trouble, timeouts) may pass.
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }
}

/// Writes each message as an `.eml` file into a folder (the embedded default's outbox).
pub struct FileMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl FileMailer {
    /// Writes into `dir`, creating it if needed.
    pub fn new(dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            transport: AsyncFileTransport::new(dir),
        })
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Transient(e.to_string()))
    }
}
