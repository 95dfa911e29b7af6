use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::organisations as domain;

use super::StaffRole;
use crate::graphql::auth::{services, staff};
use crate::graphql::complexity;
use crate::graphql::error::ApiResult;
use crate::graphql::query::catalog::{connection, page_request};

/// A theatre chain or promoter: owns theatres, events and promotions, and has staff.
pub struct Organisation(pub domain::Organisation);

#[Object]
impl Organisation {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// URL-safe unique name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// ISO 4217 currency of its prices and gift cards.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Its staff (its managers and platform admins).
    async fn members(&self, ctx: &Context<'_>) -> ApiResult<Vec<StaffMember>> {
        let staff = staff(ctx).await?;
        let found = services(ctx)
            .organisations
            .members(&staff, self.0.id)
            .await?;
        Ok(found.into_iter().map(StaffMember::from).collect())
    }
    /// Invitations not yet accepted or expired (its managers and platform admins).
    async fn invitations(&self, ctx: &Context<'_>) -> ApiResult<Vec<StaffInvitation>> {
        let staff = staff(ctx).await?;
        let found = services(ctx)
            .organisations
            .invitations(&staff, self.0.id)
            .await?;
        Ok(found.into_iter().map(StaffInvitation::from).collect())
    }
    /// Staff actions on what it owns, newest first (its managers and platform admins).
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, AuditLogEntry, EmptyFields, EmptyFields>> {
        audit_page(ctx, Some(self.0.id), first, after).await
    }
}

/// A page of the audit log of `org` (`None`: the platform's own).
pub async fn audit_page(
    ctx: &Context<'_>,
    org: Option<marquee_domain::ids::OrganisationId>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Connection<String, AuditLogEntry, EmptyFields, EmptyFields>> {
    let staff = staff(ctx).await?;
    let has_previous = after.is_some();
    let page = page_request(first, after)?;
    let found = services(ctx)
        .organisations
        .audit_log(&staff, org, &page)
        .await?;
    Ok(connection(found, has_previous, AuditLogEntry::from))
}

/// A member of an organisation's staff.
#[derive(SimpleObject)]
pub struct StaffMember {
    pub user_id: ID,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    /// The most a support agent may refund at once (minor units); none for managers.
    pub refund_limit_cents: Option<i64>,
    pub since: DateTime<Utc>,
}

impl From<domain::Member> for StaffMember {
    fn from(m: domain::Member) -> Self {
        Self {
            user_id: ID(m.user_id.to_string()),
            name: m.name,
            email: m.email,
            role: m.role.into(),
            refund_limit_cents: m.refund_limit_cents,
            since: m.since,
        }
    }
}

/// An invitation to join an organisation's staff, sent by email.
#[derive(SimpleObject)]
pub struct StaffInvitation {
    pub id: ID,
    pub email: String,
    pub role: StaffRole,
    pub refund_limit_cents: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

impl From<domain::Invitation> for StaffInvitation {
    fn from(i: domain::Invitation) -> Self {
        Self {
            id: ID(i.id.to_string()),
            email: i.email,
            role: i.role.into(),
            refund_limit_cents: i.refund_limit_cents,
            expires_at: i.expires_at,
        }
    }
}

/// An invitation just sent.
#[derive(SimpleObject)]
pub struct InviteStaffPayload {
    pub invitation: StaffInvitation,
    /// Whether the mail server took the email; invite again to resend.
    pub email_sent: bool,
}

/// One recorded staff action.
#[derive(SimpleObject)]
pub struct AuditLogEntry {
    pub id: ID,
    pub actor_id: ID,
    /// The actor's name, unless the account is gone.
    pub actor_name: Option<String>,
    /// e.g. `theatre.update`, `showtime.set_prices`, `member.invite`.
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<ID>,
    /// The object's state before, as JSON.
    pub before: Option<String>,
    /// Its state after, as JSON.
    pub after: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<domain::AuditRecord> for AuditLogEntry {
    fn from(r: domain::AuditRecord) -> Self {
        Self {
            id: ID(r.id.to_string()),
            actor_id: ID(r.actor.to_string()),
            actor_name: r.actor_name,
            action: r.action,
            subject_type: r.subject_type,
            subject_id: r.subject_id.map(|id| ID(id.to_string())),
            before: r.before,
            after: r.after,
            at: r.at,
        }
    }
}

/// The caller's role in one organisation.
#[derive(SimpleObject)]
pub struct StaffMembership {
    pub organisation_id: ID,
    pub role: StaffRole,
    pub refund_limit_cents: Option<i64>,
}
