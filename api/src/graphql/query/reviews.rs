//! Reviews across movies, for moderation by admins.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Object};

use super::catalog::{connection, page_request};
use crate::graphql::auth::{admin, services};
use crate::graphql::complexity;
use crate::graphql::error::ApiResult;
use crate::graphql::types::Review;

/// Moderation queries.
#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// Recent reviews of every movie, newest first, hidden ones included (admins only):
    /// what there is to moderate. `hidden` keeps only the hidden (true) or visible (false) ones.
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        hidden: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, Review, EmptyFields, EmptyFields>> {
        let admin = admin(ctx).await?;
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .reviews
            .list_for_moderation(&admin, hidden, &page)
            .await?;
        Ok(connection(found, has_previous, Review::from))
    }
}
