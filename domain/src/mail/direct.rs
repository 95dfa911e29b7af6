//! Messages sent at once rather than through the queue: those that carry a secret shown
//! nowhere else (an invitation link, a gift card's code), which must not be stored in the
//! queue's rows, and may go to people with no account. A failed send is reported to the
//! staff member who caused it, who can act again to resend.

use std::sync::Arc;

use lettre::Message;
use lettre::message::{Mailbox, header::ContentType};

use super::Mailer;

/// A sender of plain-text messages with the web app's address for their links.
#[derive(Clone)]
pub struct DirectMail {
    mailer: Arc<dyn Mailer>,
    from: Mailbox,
    public_url: String,
}

impl DirectMail {
    /// `public_url` is where the web app is reached.
    pub fn new(mailer: Arc<dyn Mailer>, from: Mailbox, public_url: &str) -> Self {
        Self {
            mailer,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The web app's address of `path_and_query` (which starts with `/`).
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }

    /// Sends one message; `false` when it could not be handed over (logged as `what`).
    pub async fn send(&self, to: &str, subject: String, body: String, what: &str) -> bool {
        let built = to
            .parse::<Mailbox>()
            .map_err(|e| e.to_string())
            .and_then(|to| {
                Message::builder()
                    .from(self.from.clone())
                    .to(to)
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(body)
                    .map_err(|e| e.to_string())
            });
        let outcome = match built {
            Ok(message) => self.mailer.send(message).await.map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, what, "direct message not sent");
                false
            }
        }
    }
}
