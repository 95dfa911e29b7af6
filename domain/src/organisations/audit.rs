//! The audit log: every staff write records who did what to which object, with its state
//! before and after, in the transaction of the write (so a change without its entry cannot
//! be committed).

use chrono::{DateTime, Utc};
use marquee_entity::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::ids::{OrganisationId, UserId};

/// One staff action about to be recorded.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// Whose log it goes to; `None` for the platform's.
    pub organisation: Option<OrganisationId>,
    /// Who acted.
    pub actor: UserId,
    /// What was done, e.g. `theatre.update`.
    pub action: &'static str,
    /// The kind of object, e.g. `theatre`.
    pub subject_type: &'static str,
    /// Which object.
    pub subject_id: Option<Uuid>,
    /// Its state before (JSON), when it existed.
    pub before: Option<serde_json::Value>,
    /// Its state after (JSON), when it still exists.
    pub after: Option<serde_json::Value>,
}

impl AuditEntry {
    /// An entry with no states yet.
    pub fn new(
        organisation: Option<OrganisationId>,
        actor: UserId,
        action: &'static str,
        subject_type: &'static str,
        subject_id: Option<Uuid>,
    ) -> Self {
        Self {
            organisation,
            actor,
            action,
            subject_type,
            subject_id,
            before: None,
            after: None,
        }
    }

    /// With the state before.
    pub fn before(mut self, state: &impl Serialize) -> Self {
        self.before = serde_json::to_value(state).ok();
        self
    }

    /// With the state after.
    pub fn after(mut self, state: &impl Serialize) -> Self {
        self.after = serde_json::to_value(state).ok();
        self
    }
}

/// Writes `entry` on `conn` (the write's own transaction).
pub async fn record(
    conn: &impl ConnectionTrait,
    entry: AuditEntry,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(entry.organisation.map(OrganisationId::uuid)),
        actor_id: Set(entry.actor.uuid()),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        created_at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(())
}
