//! The email queue, for admins.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Object};

use super::catalog::{connection, page_request};
use crate::graphql::auth::{admin, services};
use crate::graphql::complexity;
use crate::graphql::error::ApiResult;
use crate::graphql::types::{Email, EmailStatus};

/// Email queue queries.
#[derive(Default)]
pub struct EmailQuery;

#[Object]
impl EmailQuery {
    /// Queued, sent and dead emails, newest first (admins only); `status: DEAD` lists the
    /// dead letters.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn emails(
        &self,
        ctx: &Context<'_>,
        status: Option<EmailStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, Email, EmptyFields, EmptyFields>> {
        let admin = admin(ctx).await?;
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .emails
            .list(&admin, status.map(Into::into), &page)
            .await?;
        Ok(connection(found, has_previous, Email::from))
    }
}
