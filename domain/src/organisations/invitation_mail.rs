//! The invitation email. Sent at once rather than through the email queue: the queue
//! writes to accounts, and the person invited may not have one yet. A failed send is
//! reported to the manager, who invites again to resend.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::{Mailbox, header::ContentType};

use crate::mail::Mailer;

use super::MemberRole;
use super::service::Organisation;

/// Where invitations are sent from and what their link opens.
#[derive(Clone)]
pub struct InvitationMail {
    mailer: Arc<dyn Mailer>,
    from: Mailbox,
    public_url: String,
}

impl InvitationMail {
    /// `public_url` is where the web app is reached (its staff panel accepts the link).
    pub fn new(mailer: Arc<dyn Mailer>, from: Mailbox, public_url: &str) -> Self {
        Self {
            mailer,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The link an invitation email carries.
    pub fn link(&self, token: &str) -> String {
        format!("{}/admin/join?token={token}", self.public_url)
    }

    /// Sends one invitation; `false` when it could not be handed over (logged).
    pub(super) async fn send(
        &self,
        organisation: &Organisation,
        to: &str,
        role: MemberRole,
        token: &str,
        expires_at: DateTime<Utc>,
    ) -> bool {
        let role = match role {
            MemberRole::Manager => "a manager",
            MemberRole::Support => "a support agent",
        };
        let body = format!(
            "You are invited to join {name} on Marquee as {role}.\n\n\
             Sign in (or create an account with this address) and open:\n{link}\n\n\
             The invitation can be accepted until {expires} UTC. If you did not expect it, \
             ignore this message.\n",
            name = organisation.name,
            link = self.link(token),
            expires = expires_at.format("%Y-%m-%d %H:%M"),
        );
        let built = to
            .parse::<Mailbox>()
            .map_err(|e| e.to_string())
            .and_then(|to| {
                Message::builder()
                    .from(self.from.clone())
                    .to(to)
                    .subject(format!("Join {} on Marquee", organisation.name))
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
                tracing::warn!(%error, "staff invitation not sent");
                false
            }
        }
    }
}
