//! The invitation email. Sent at once rather than through the email queue: the queue
//! writes to accounts, and the person invited may not have one yet. A failed send is
//! reported to the manager, who invites again to resend.

use chrono::{DateTime, Utc};

use crate::mail::DirectMail;

use super::MemberRole;
use super::service::Organisation;

/// Where invitations are sent from and what their link opens.
#[derive(Clone)]
pub struct InvitationMail {
    mail: DirectMail,
}

impl InvitationMail {
    /// Invitations link to the staff panel of the web app `mail` names.
    pub fn new(mail: DirectMail) -> Self {
        Self { mail }
    }

    /// The link an invitation email carries.
    pub fn link(&self, token: &str) -> String {
        self.mail.link(&format!("/admin/join?token={token}"))
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
        let subject = format!("Join {} on Marquee", organisation.name);
        self.mail.send(to, subject, body, "staff invitation").await
    }
}
