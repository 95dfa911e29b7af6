//! The signed-in user's inbox.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Object};

use super::catalog::{connection, page_request};
use crate::graphql::auth::{principal, services};
use crate::graphql::complexity;
use crate::graphql::error::ApiResult;
use crate::graphql::types::Notification;

/// Inbox queries.
#[derive(Default)]
pub struct InboxQuery;

#[Object]
impl InboxQuery {
    /// The caller's notifications, newest first.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] unread_only: bool,
    ) -> ApiResult<Connection<String, Notification, EmptyFields, EmptyFields>> {
        let who = principal(ctx).await?;
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx).inbox.list(&who, unread_only, &page).await?;
        Ok(connection(found, has_previous, Notification::from))
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let who = principal(ctx).await?;
        Ok(services(ctx).inbox.unread_count(&who).await?)
    }
}
