use async_graphql::{Context, Object};

use crate::graphql::auth::{principal, services};
use crate::graphql::error::ApiResult;
use crate::graphql::types::User;

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<User> {
        let who = principal(ctx).await?;
        Ok(services(ctx).accounts.me(&who).await?.into())
    }
}
