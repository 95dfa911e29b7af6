//! Organisations and their staff, for staff.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, Object};
use marquee_domain::ids::OrganisationId;
use marquee_domain::organisations::OrganisationError;

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{AuditLogEntry, Organisation, StaffMembership, audit_page};

/// Organisation queries.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// The organisations the caller works for (all of them, for a platform admin).
    async fn organisations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organisation>> {
        let staff = staff(ctx).await?;
        let found = services(ctx).organisations.list(&staff).await?;
        Ok(found.into_iter().map(Organisation).collect())
    }

    /// One organisation the caller works for.
    async fn organisation(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Organisation> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, OrganisationId::parse)?;
        Ok(Organisation(
            services(ctx).organisations.get(&staff, id).await?,
        ))
    }

    /// The caller's staff roles; empty for a buyer.
    async fn my_staff_roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<StaffMembership>> {
        let who = principal(ctx).await?;
        match services(ctx).organisations.staff(who).await {
            Ok(staff) => Ok(staff
                .memberships()
                .iter()
                .map(|m| StaffMembership {
                    organisation_id: ID(m.organisation.to_string()),
                    role: m.role.into(),
                    refund_limit_cents: m.refund_limit_cents,
                })
                .collect()),
            Err(OrganisationError::Forbidden(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// The platform's own audit log (organisations opened, movies): platform admins only.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn platform_audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, AuditLogEntry, EmptyFields, EmptyFields>> {
        audit_page(ctx, None, first, after).await
    }
}
