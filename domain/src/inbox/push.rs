//! The live push of new inbox entries. Best effort: the inbox itself is the record, and a
//! client that missed a push sees the entry on its next read.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::NOTIFICATION_ADDED;
use crate::events::{DomainEvent, EventBus};

/// A new entry, as far as its push needs to know.
pub(crate) struct Added {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<&marquee_entity::notifications::Model> for Added {
    fn from(m: &marquee_entity::notifications::Model) -> Self {
        Self {
            id: m.id,
            user_id: m.user_id,
            created_at: m.created_at,
        }
    }
}

/// Pushes `added` entries to their owners' live inboxes (after their commit).
pub(crate) async fn push_added(bus: &dyn EventBus, added: &[Added]) {
    if added.is_empty() {
        return;
    }
    let events: Vec<DomainEvent> = added
        .iter()
        .map(|n| DomainEvent {
            // Not an outbox row: no id to deduplicate by (a push is sent once).
            id: 0,
            topic: NOTIFICATION_ADDED.to_owned(),
            key: n.user_id.to_string(),
            payload: serde_json::json!({ "id": n.id }),
            created_at: n.created_at,
            seats: None,
            trace_parent: None,
        })
        .collect();
    if let Err(e) = bus.publish(&events).await {
        tracing::warn!(error = %e, "could not push new inbox entries");
    }
}
