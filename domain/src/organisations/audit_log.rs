//! Reading the audit log: an organisation's managers see theirs, platform admins any.

use chrono::{DateTime, Utc};
use marquee_entity::{audit_log, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

use crate::ids::{OrganisationId, UserId};
use crate::page::{Page, PageError, PageRequest, newest_first_after, newest_first_page};

use super::service::OrganisationService;
use super::{OrganisationError, Staff};

/// One recorded staff action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Its id.
    pub id: Uuid,
    /// Who acted.
    pub actor: UserId,
    /// Their name (as it is now), when the account still exists.
    pub actor_name: Option<String>,
    /// What was done.
    pub action: String,
    /// The kind of object.
    pub subject_type: String,
    /// Which object.
    pub subject_id: Option<Uuid>,
    /// Its state before (JSON).
    pub before: Option<String>,
    /// Its state after (JSON).
    pub after: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<PageError> for OrganisationError {
    fn from(e: PageError) -> Self {
        let field = match e {
            PageError::BadCursor => "after",
            PageError::BadSize => "first",
        };
        Self::invalid(field, e.to_string())
    }
}

impl OrganisationService {
    /// The organisation's audit log, newest first; `None` is the platform's own log.
    pub async fn audit_log(
        &self,
        staff: &Staff,
        org: Option<OrganisationId>,
        page: &PageRequest,
    ) -> Result<Page<AuditRecord>, OrganisationError> {
        match org {
            Some(_) => staff.manage(org)?,
            None => staff.platform()?,
        }
        let size = page.size()?;
        let mut q = audit_log::Entity::find().filter(match org {
            Some(id) => audit_log::Column::OrganisationId.eq(id.uuid()),
            None => audit_log::Column::OrganisationId.is_null(),
        });
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            audit_log::Column::CreatedAt,
            audit_log::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(audit_log::Column::CreatedAt)
            .order_by_desc(audit_log::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        let mut actors: Vec<Uuid> = rows.iter().map(|r| r.actor_id).collect();
        actors.sort_unstable();
        actors.dedup();
        let names: HashMap<Uuid, String> = users::Entity::find()
            .filter(users::Column::Id.is_in(actors))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|u| u.deleted_at.is_none())
            .map(|u| (u.id, u.name))
            .collect();
        Ok(newest_first_page(
            rows,
            size,
            |m| (m.created_at, m.id),
            |m| AuditRecord {
                id: m.id,
                actor: m.actor_id.into(),
                actor_name: names.get(&m.actor_id).cloned(),
                action: m.action,
                subject_type: m.subject_type,
                subject_id: m.subject_id,
                before: m.before,
                after: m.after,
                at: m.created_at,
            },
        ))
    }
}
