//! Queuing: one email per new inbox entry, written in the relay's transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{emails, notifications, users};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// Queues an email for each entry whose owner still has an account; the entry's key makes
/// the email's key, so an entry never has two.
pub(crate) async fn queue_emails<C: ConnectionTrait>(
    db: &C,
    entries: &[notifications::Model],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if entries.is_empty() {
        return Ok(0);
    }
    let owners: Vec<Uuid> = entries.iter().map(|n| n.user_id).collect();
    let recipients: HashMap<Uuid, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(owners))
        .filter(users::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let rows: Vec<emails::ActiveModel> = entries
        .iter()
        .filter_map(|n| {
            let recipient = recipients.get(&n.user_id)?;
            let id = Uuid::now_v7();
            Some(emails::ActiveModel {
                id: Set(id),
                dedupe_key: Set(n.dedupe_key.clone()),
                user_id: Set(n.user_id),
                recipient: Set(recipient.clone()),
                kind: Set(n.kind.clone()),
                booking_id: Set(n.data["bookingId"]
                    .as_str()
                    .and_then(|s| Uuid::parse_str(s).ok())),
                status: Set("pending".to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                lease_until: Set(None),
                last_error: Set(None),
                message_id: Set(format!("<{id}@marquee>")),
                sent_at: Set(None),
                created_at: Set(now),
            })
        })
        .collect();
    let queued = rows.len();
    if queued > 0 {
        emails::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(queued)
}
