//! The caller's places in waitlists.

use async_graphql::{Context, ID, Object};
use uuid::Uuid;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::WaitlistEntry;

/// Waitlist queries.
#[derive(Default)]
pub struct WaitlistQuery;

#[Object]
impl WaitlistQuery {
    /// The caller's waitlist entries, newest first.
    async fn my_waitlist(&self, ctx: &Context<'_>) -> ApiResult<Vec<WaitlistEntry>> {
        let who = principal(ctx).await?;
        Ok(services(ctx)
            .waitlist
            .mine(&who)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// One of the caller's waitlist entries, with its place in line.
    async fn waitlist_entry(&self, ctx: &Context<'_>, id: ID) -> ApiResult<WaitlistEntry> {
        let who = principal(ctx).await?;
        let id = Uuid::parse_str(&id)
            .map_err(|_| ApiError::bad_input("id", "not a waitlist entry id"))?;
        Ok(services(ctx).waitlist.entry(&who, id).await?.into())
    }
}
