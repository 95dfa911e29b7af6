//! Giving a dead email another chance.

use async_graphql::{Context, ID, Object};
use uuid::Uuid;

use crate::graphql::auth::{admin, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::Email;

/// Email queue mutations.
#[derive(Default)]
pub struct EmailMutation;

#[Object]
impl EmailMutation {
    /// Queues a dead email again with a fresh set of attempts (admins only).
    async fn retry_email(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Email> {
        let admin = admin(ctx).await?;
        let id = Uuid::parse_str(&id).map_err(|_| ApiError::bad_input("id", "not an email id"))?;
        Ok(services(ctx).emails.retry(&admin, id).await?.into())
    }
}
