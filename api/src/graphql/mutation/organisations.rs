use async_graphql::{Context, ID, Object};
use marquee_domain::ids::{OrganisationId, UserId};

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{InviteStaffPayload, Organisation, StaffMember, StaffRole};

/// Organisations and their staff: platform admins open organisations, managers run their
/// staff, anyone invited accepts.
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Opens an organisation (platform admins only).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        name: String,
        slug: String,
        #[graphql(default_with = "\"USD\".to_owned()")] currency: String,
    ) -> ApiResult<Organisation> {
        let staff = staff(ctx).await?;
        Ok(Organisation(
            services(ctx)
                .organisations
                .create(&staff, &name, &slug, &currency)
                .await?,
        ))
    }

    /// Emails an invitation to join as `role`; inviting an address again sends a new link
    /// and voids the old one.
    async fn invite_staff(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        email: String,
        role: StaffRole,
        refund_limit_cents: Option<i64>,
    ) -> ApiResult<InviteStaffPayload> {
        let staff = staff(ctx).await?;
        let org = ApiError::parse_id("organisationId", &organisation_id, OrganisationId::parse)?;
        let issued = services(ctx)
            .organisations
            .invite(&staff, org, &email, role.into(), refund_limit_cents)
            .await?;
        Ok(InviteStaffPayload {
            invitation: issued.invitation.into(),
            email_sent: issued.emailed,
        })
    }

    /// Joins the organisation an emailed invitation is for (signed in with the address it
    /// was sent to).
    async fn accept_staff_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> ApiResult<Organisation> {
        let who = principal(ctx).await?;
        Ok(Organisation(
            services(ctx).organisations.accept(who, &token).await?,
        ))
    }

    /// Changes a member's role or a support agent's refund limit.
    async fn update_staff_member(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        user_id: ID,
        role: StaffRole,
        refund_limit_cents: Option<i64>,
    ) -> ApiResult<StaffMember> {
        let staff = staff(ctx).await?;
        let org = ApiError::parse_id("organisationId", &organisation_id, OrganisationId::parse)?;
        let user = ApiError::parse_id("userId", &user_id, UserId::parse)?;
        Ok(services(ctx)
            .organisations
            .update_member(&staff, org, user, role.into(), refund_limit_cents)
            .await?
            .into())
    }

    /// Removes a member (an organisation keeps at least one manager).
    async fn remove_staff_member(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        user_id: ID,
    ) -> ApiResult<bool> {
        let staff = staff(ctx).await?;
        let org = ApiError::parse_id("organisationId", &organisation_id, OrganisationId::parse)?;
        let user = ApiError::parse_id("userId", &user_id, UserId::parse)?;
        services(ctx)
            .organisations
            .remove_member(&staff, org, user)
            .await?;
        Ok(true)
    }
}
