//! Promotion codes, for admins.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Object};

use super::catalog::{connection, page_request};
use crate::graphql::auth::{services, staff};
use crate::graphql::complexity;
use crate::graphql::error::ApiResult;
use crate::graphql::types::Promotion;

/// Promotion queries.
#[derive(Default)]
pub struct PromotionQuery;

#[Object]
impl PromotionQuery {
    /// Every promotion code, newest first, expired ones included (admins only).
    #[graphql(complexity = "complexity::page(first, 20, 100, child_complexity)")]
    async fn promotions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<String, Promotion, EmptyFields, EmptyFields>> {
        let staff = staff(ctx).await?;
        let has_previous = after.is_some();
        let page = page_request(first, after)?;
        let found = services(ctx)
            .catalog_admin
            .list_promotions(&staff, &page)
            .await?;
        Ok(connection(found, has_previous, Promotion::from))
    }
}
