//! Marking inbox entries read.

use async_graphql::{Context, ID, Object};
use uuid::Uuid;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::Notification;

/// Inbox mutations.
#[derive(Default)]
pub struct InboxMutation;

#[Object]
impl InboxMutation {
    /// Marks one of the caller's notifications read.
    async fn mark_notification_read(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Notification> {
        let who = principal(ctx).await?;
        let id =
            Uuid::parse_str(&id).map_err(|_| ApiError::bad_input("id", "not a notification id"))?;
        Ok(services(ctx).inbox.mark_read(&who, id).await?.into())
    }
}
