//! Telling the buyer of a staff reply: an inbox entry and its email, written in the reply's
//! transaction through the same queue as booking emails, so a committed reply is never
//! left untold and a retried one is told once (both are keyed by the message).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::notifications;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

use super::{Message, REPLY_KIND, Ticket};

/// The inbox body shows this much of the reply.
const PREVIEW_CHARS: usize = 200;

/// Writes the inbox entry of `message` (a staff reply in `ticket`) and queues its email,
/// whose replies go to `reply_to`; returns the entry and whether an email was queued (the
/// hourly cap per address may keep it to the inbox).
pub(super) async fn tell_buyer(
    conn: &impl ConnectionTrait,
    ticket: &Ticket,
    message: &Message,
    reply_to: String,
    now: DateTime<Utc>,
    email_hourly_cap: u32,
) -> Result<(notifications::Model, bool), DbErr> {
    let mut preview: String = message.body.chars().take(PREVIEW_CHARS).collect();
    if message.body.chars().count() > PREVIEW_CHARS {
        preview.push('…');
    }
    let entry = notifications::Model {
        id: Uuid::now_v7(),
        user_id: ticket.user_id.uuid(),
        kind: REPLY_KIND.to_owned(),
        title: format!("Reply to \"{}\"", ticket.subject),
        body: preview,
        data: serde_json::json!({
            "ticketId": ticket.id,
            "messageId": message.id,
            "replyTo": reply_to,
        }),
        dedupe_key: format!("support:{}", message.id),
        read_at: None,
        created_at: now,
    };
    notifications::Entity::insert(notifications::ActiveModel {
        id: Set(entry.id),
        user_id: Set(entry.user_id),
        kind: Set(entry.kind.clone()),
        title: Set(entry.title.clone()),
        body: Set(entry.body.clone()),
        data: Set(entry.data.clone()),
        dedupe_key: Set(entry.dedupe_key.clone()),
        read_at: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    let queued = crate::mail::queue_emails(
        conn,
        std::slice::from_ref(&entry),
        &HashMap::new(),
        now,
        email_hourly_cap,
    )
    .await?;
    Ok((entry, queued > 0))
}
