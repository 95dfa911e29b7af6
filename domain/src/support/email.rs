//! The email of a staff reply: read when it is sent (the inbox entry names the ticket, the
//! message and the reply address), with a `Reply-To` carrying the ticket's token, so the
//! buyer's answer comes back through the inbound-mail webhook.

use lettre::message::{Mailbox, MultiPart};
use marquee_entity::{emails, notifications, support_messages, support_tickets, users};
use minijinja::{Environment, context};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Whether the email worker should build `kind` here.
pub fn is_support_kind(kind: &str) -> bool {
    kind == super::REPLY_KIND
}

/// What the reply says, from the rows as they are now; `Err` is a message that can never be
/// built (its ticket or message is gone, a bad address).
pub async fn build(
    db: &DatabaseConnection,
    email: &emails::Model,
    from: &Mailbox,
) -> Result<Result<lettre::Message, String>, DbErr> {
    let Some(entry) = notifications::Entity::find()
        .filter(notifications::Column::DedupeKey.eq(&email.dedupe_key))
        .one(db)
        .await?
    else {
        return Ok(Err("the inbox entry of this reply is gone".into()));
    };
    let id = |key: &str| {
        entry.data[key]
            .as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
    };
    let (Some(ticket_id), Some(message_id)) = (id("ticketId"), id("messageId")) else {
        return Ok(Err("the inbox entry names no ticket".into()));
    };
    let reply_to = entry.data["replyTo"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(ticket) = support_tickets::Entity::find_by_id(ticket_id)
        .one(db)
        .await?
    else {
        return Ok(Err("the ticket is gone".into()));
    };
    let Some(message) = support_messages::Entity::find_by_id(message_id)
        .one(db)
        .await?
    else {
        return Ok(Err("the reply is gone".into()));
    };
    let buyer = users::Entity::find_by_id(ticket.user_id).one(db).await?;
    let agent = users::Entity::find_by_id(message.author_id).one(db).await?;
    let name = buyer.map(|u| u.name).unwrap_or_default();
    let agent = agent
        .map(|u| u.name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Our support team".to_owned());
    Ok(render(Reply {
        recipient: &email.recipient,
        message_id: &email.message_id,
        from,
        reply_to: &reply_to,
        name: &name,
        agent: &agent,
        subject: &ticket.subject,
        body: &message.body,
        ticket_id,
    }))
}

struct Reply<'a> {
    recipient: &'a str,
    message_id: &'a str,
    from: &'a Mailbox,
    reply_to: &'a str,
    name: &'a str,
    agent: &'a str,
    subject: &'a str,
    body: &'a str,
    ticket_id: Uuid,
}

fn render(r: Reply<'_>) -> Result<lettre::Message, String> {
    let mut env = Environment::new();
    env.add_template("reply.txt", include_str!("templates/reply.txt"))
        .map_err(|e| e.to_string())?;
    env.add_template("reply.html", include_str!("templates/reply.html"))
        .map_err(|e| e.to_string())?;
    let email_subject = format!("Re: {}", r.subject);
    let paragraphs: Vec<&str> = r
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let view = context! {
        email_subject => &email_subject,
        name => r.name,
        agent => r.agent,
        subject => r.subject,
        body => r.body,
        paragraphs => paragraphs,
        ticket_id => r.ticket_id,
    };
    let text = env
        .get_template("reply.txt")
        .and_then(|t| t.render(&view))
        .map_err(|e| e.to_string())?;
    let html = env
        .get_template("reply.html")
        .and_then(|t| t.render(&view))
        .map_err(|e| e.to_string())?;
    let address = r
        .recipient
        .parse()
        .map_err(|_| format!("recipient address {:?} is not valid", r.recipient))?;
    let to = Mailbox::new((!r.name.is_empty()).then(|| r.name.to_owned()), address);
    let mut message = lettre::Message::builder()
        .from(r.from.clone())
        .to(to)
        .subject(email_subject)
        .message_id(Some(r.message_id.to_owned()));
    if let Ok(reply_to) = r.reply_to.parse::<Mailbox>() {
        message = message.reply_to(reply_to);
    }
    message
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_carries_the_ticket_address_and_escapes_what_staff_typed() {
        let from: Mailbox = "Marquee <tickets@marquee.test>".parse().expect("mailbox");
        let m = render(Reply {
            recipient: "ada@example.com",
            message_id: "<1@marquee>",
            from: &from,
            reply_to: "support+abc123@help.marquee.test",
            name: "Ada",
            agent: "Sam",
            subject: "Lost tickets",
            body: "We re-sent them.\n\nCheck <spam>.",
            ticket_id: Uuid::nil(),
        })
        .expect("renders");
        let raw = String::from_utf8(m.formatted()).expect("utf-8");
        assert!(raw.contains("Reply-To: support+abc123@help.marquee.test"));
        assert!(raw.contains("Subject: Re: Lost tickets"));
        assert!(raw.contains("Check &lt;spam&gt;."));
        assert!(raw.contains("We re-sent them."));
    }
}
