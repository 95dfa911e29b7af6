//! Queuing: one email per new inbox entry, written in the relay's transaction. Past an
//! hourly cap per address (booking confirmations aside) no email is queued: the entry stays
//! in the inbox, and a replayed event finds that entry and queues nothing either.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{emails, notifications, users};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use crate::db::ROWS_PER_STATEMENT;

/// Queues an email for each entry whose owner still has an account; the entry's key makes
/// the email's key, so an entry never has two. `traces` holds the `traceparent` of the
/// event behind an entry (by its key), for the worker that sends it to continue the trace.
pub(crate) async fn queue_emails<C: ConnectionTrait>(
    db: &C,
    entries: &[notifications::Model],
    traces: &HashMap<String, String>,
    now: DateTime<Utc>,
    hourly_cap: u32,
) -> Result<usize, DbErr> {
    if entries.is_empty() {
        return Ok(0);
    }
    let mut owners: Vec<Uuid> = entries.iter().map(|n| n.user_id).collect();
    owners.sort_unstable();
    owners.dedup();
    let mut recipients: HashMap<Uuid, String> = HashMap::with_capacity(owners.len());
    for chunk in owners.chunks(ROWS_PER_STATEMENT) {
        let found = users::Entity::find()
            .filter(users::Column::Id.is_in(chunk.iter().copied()))
            .filter(users::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        recipients.extend(found.into_iter().map(|u| (u.id, u.email)));
    }
    let mut sent_lately = sent_in_the_last_hour(db, recipients.values(), now).await?;
    let rows: Vec<emails::ActiveModel> = entries
        .iter()
        .filter_map(|n| {
            let recipient = recipients.get(&n.user_id)?;
            if n.kind != EXEMPT {
                let count = sent_lately.entry(recipient.clone()).or_default();
                *count += 1;
                if *count > u64::from(hourly_cap) {
                    tracing::warn!(kind = %n.kind, "hourly email cap reached for a recipient; kept in the inbox only");
                    return None;
                }
            }
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
                trace_parent: Set(traces.get(&n.dedupe_key).cloned()),
            })
        })
        .collect();
    let queued = rows.len();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        emails::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(queued)
}

/// The one kind never held back: it carries the tickets.
const EXEMPT: &str = "booking.confirmed";

/// Emails queued per address over the last hour, confirmations aside.
async fn sent_in_the_last_hour<'a, C: ConnectionTrait>(
    db: &C,
    recipients: impl Iterator<Item = &'a String>,
    now: DateTime<Utc>,
) -> Result<HashMap<String, u64>, DbErr> {
    let mut recipients: Vec<String> = recipients.cloned().collect();
    recipients.sort_unstable();
    recipients.dedup();
    let mut sent = HashMap::new();
    for chunk in recipients.chunks(ROWS_PER_STATEMENT) {
        let counted: Vec<(String, i64)> = emails::Entity::find()
            .select_only()
            .column(emails::Column::Recipient)
            .column_as(emails::Column::Id.count(), "n")
            .filter(emails::Column::Recipient.is_in(chunk.iter().cloned()))
            .filter(emails::Column::Kind.ne(EXEMPT))
            .filter(emails::Column::CreatedAt.gt(now - chrono::Duration::hours(1)))
            .group_by(emails::Column::Recipient)
            .into_tuple()
            .all(db)
            .await?;
        sent.extend(
            counted
                .into_iter()
                .map(|(r, n)| (r, u64::try_from(n).unwrap_or(0))),
        );
    }
    Ok(sent)
}
