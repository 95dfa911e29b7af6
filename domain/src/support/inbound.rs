//! Answers by email: the inbound-mail service (Mailgun's routes, SendGrid's inbound parse)
//! posts each message sent to `support+TOKEN@<reply domain>`; the token names the ticket,
//! the sender must be its buyer, and the quoted history below the answer is dropped.

use hmac::{Hmac, Mac};
use marquee_entity::{support_tickets, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::Sha256;

use super::{MAX_BODY, Message, MessageSource, SupportError, SupportService};

/// Why a signed post was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature does not match the body under the configured key.
    #[error("the signature does not match")]
    Mismatch,
    /// Signed too long ago (or in the future): a replay.
    #[error("the signature is too old")]
    Stale,
}

/// Checks a Mailgun-style signature: hex HMAC-SHA256 of `timestamp` then `token` under the
/// signing key, made within `tolerance_secs` of `now`.
pub fn verify_signature(
    key: &[u8],
    timestamp: &str,
    token: &str,
    signature: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let signed_at: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Stale)?;
    if (now - signed_at).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    let expected = hex::decode(signature.trim()).map_err(|_| SignatureError::Mismatch)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| SignatureError::Mismatch)?;
    mac.update(timestamp.trim().as_bytes());
    mac.update(token.as_bytes());
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// Signs like the inbound-mail service does (for tests and local tools).
pub fn sign(key: &[u8], timestamp: &str, token: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The bare address of `"Name <a@b>"` or `a@b`, lower-cased.
fn bare(address: &str) -> String {
    let address = address.trim();
    let inner = match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => &address[open + 1..close],
        _ => address,
    };
    inner.trim().to_ascii_lowercase()
}

/// The ticket token among `recipients` (a comma-separated list), addressed at `domain`.
pub fn token_from(recipients: &str, domain: &str) -> Option<String> {
    recipients.split(',').map(bare).find_map(|address| {
        let (local, at) = address.rsplit_once('@')?;
        if !at.eq_ignore_ascii_case(domain) {
            return None;
        }
        let token = local.strip_prefix("support+")?;
        (!token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| token.to_owned())
    })
}

/// The answer without the quoted history a mail client adds below it.
pub fn answer_of(text: &str) -> String {
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('>')
            || (trimmed.starts_with("On ") && trimmed.ends_with("wrote:"))
            || trimmed == "-----Original Message-----"
        {
            break;
        }
        kept.push(line);
    }
    kept.join("\n").trim().to_owned()
}

/// One inbound message, as the mail service posted it.
#[derive(Debug, Clone)]
pub struct InboundMail {
    /// Envelope or `To` recipients.
    pub recipients: String,
    /// The sender.
    pub sender: String,
    /// The plain-text body (the service's stripped answer, when it gives one).
    pub text: String,
}

impl SupportService {
    /// Appends an emailed answer to its ticket and reopens it.
    #[tracing::instrument(skip_all, err)]
    pub async fn receive_email(&self, mail: InboundMail) -> Result<Message, SupportError> {
        let token = token_from(&mail.recipients, &self.settings.reply_domain)
            .ok_or(SupportError::NotFound("ticket"))?;
        let row = support_tickets::Entity::find()
            .filter(support_tickets::Column::ReplyToken.eq(token))
            .one(&self.db)
            .await?
            .ok_or(SupportError::NotFound("ticket"))?;
        let buyer = users::Entity::find_by_id(row.user_id)
            .one(&self.db)
            .await?
            .filter(|u| u.deleted_at.is_none())
            .ok_or(SupportError::NotFound("ticket"))?;
        if bare(&mail.sender) != buyer.email.to_ascii_lowercase() {
            return Err(SupportError::Forbidden(
                "the sender is not the ticket's buyer",
            ));
        }
        let body = answer_of(&mail.text);
        let body = super::text("text", &body, MAX_BODY)?;
        let ticket = self.ticket_of(row);
        self.append_buyer_message(ticket, body, MessageSource::Email)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_support_address_of_the_domain() {
        assert_eq!(
            token_from("Help <support+ab12@Help.Example>, x@y.z", "help.example"),
            Some("ab12".into())
        );
        assert_eq!(
            token_from("support+ab12@other.example", "help.example"),
            None
        );
        assert_eq!(token_from("support+a.b@help.example", "help.example"), None);
        assert_eq!(token_from("sales@help.example", "help.example"), None);
    }

    #[test]
    fn quoted_history_is_dropped() {
        let text = "Thanks, that worked.\n\nOn Mon, 7 Dec 2026, Marquee wrote:\n> old";
        assert_eq!(answer_of(text), "Thanks, that worked.");
        assert_eq!(answer_of("> only quoted"), "");
    }

    #[test]
    fn signatures_must_match_and_be_fresh() {
        let sig = sign(b"key", "1000", "tok");
        assert_eq!(
            verify_signature(b"key", "1000", "tok", &sig, 1010, 300),
            Ok(())
        );
        assert_eq!(
            verify_signature(b"other", "1000", "tok", &sig, 1010, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(b"key", "1000", "tok", &sig, 2000, 300),
            Err(SignatureError::Stale)
        );
    }
}
