//! Who is calling: the bearer token of the request, resolved to a live account at most
//! once per request.

use async_graphql::Context;
use marquee_domain::Services;
use marquee_domain::accounts::{AccountError, Admin, Principal};
use marquee_domain::organisations::Staff;
use std::sync::Arc;
use tokio::sync::OnceCell;

use super::error::{ApiError, ApiResult};

/// The credentials a request (or a WebSocket connection) arrived with.
#[derive(Default)]
pub struct RequestAuth {
    token: Option<String>,
    resolved: OnceCell<Result<Principal, ResolveFailure>>,
}

#[derive(Clone)]
enum ResolveFailure {
    Unauthenticated,
    /// Mapped (and logged) once: a database that cannot be reached stays retryable.
    Other(ApiError),
}

impl RequestAuth {
    /// From an `Authorization` header value (or a `connection_init` token).
    pub fn from_header(value: Option<&str>) -> Self {
        let token = value.map(|v| v.trim()).map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v)
                .trim()
                .to_owned()
        });
        Self {
            token: token.filter(|t| !t.is_empty()),
            resolved: OnceCell::new(),
        }
    }

    /// Whether any token was presented.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The token presented, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Resolves the token to a principal (cached for the request).
    pub async fn principal(&self, services: &Services) -> ApiResult<Principal> {
        let Some(token) = &self.token else {
            return Err(AccountError::Unauthenticated.into());
        };
        let result = self
            .resolved
            .get_or_init(|| async {
                match services.accounts.authenticate(token).await {
                    Ok(p) => Ok(p),
                    Err(AccountError::Unauthenticated) => Err(ResolveFailure::Unauthenticated),
                    Err(e) => Err(ResolveFailure::Other(ApiError::from(e))),
                }
            })
            .await;
        match result {
            Ok(p) => Ok(*p),
            Err(ResolveFailure::Unauthenticated) => Err(AccountError::Unauthenticated.into()),
            Err(ResolveFailure::Other(e)) => Err(e.clone()),
        }
    }
}

/// The domain services of the schema.
pub fn services<'a>(ctx: &Context<'a>) -> &'a Arc<Services> {
    ctx.data_unchecked::<Arc<Services>>()
}

/// The signed-in caller, or `UNAUTHENTICATED`.
pub async fn principal(ctx: &Context<'_>) -> ApiResult<Principal> {
    match ctx.data_opt::<Arc<RequestAuth>>() {
        Some(auth) => auth.principal(services(ctx)).await,
        None => Err(AccountError::Unauthenticated.into()),
    }
}

/// The signed-in caller, or none for an anonymous request; a token that no longer
/// works is still `UNAUTHENTICATED`, so a client learns that it was signed out.
pub async fn viewer(ctx: &Context<'_>) -> ApiResult<Option<Principal>> {
    match ctx.data_opt::<Arc<RequestAuth>>() {
        Some(auth) if auth.has_token() => Ok(Some(auth.principal(services(ctx)).await?)),
        _ => Ok(None),
    }
}

/// The admin capability, or `UNAUTHENTICATED`/`FORBIDDEN`. The only role check there is.
pub async fn admin(ctx: &Context<'_>) -> ApiResult<Admin> {
    Ok(principal(ctx).await?.admin()?)
}

/// The caller's staff roles (platform admin, or member of organisations), or
/// `UNAUTHENTICATED`/`FORBIDDEN`. Services ask it about each object's owner.
pub async fn staff(ctx: &Context<'_>) -> ApiResult<Staff> {
    let principal = principal(ctx).await?;
    Ok(services(ctx).organisations.staff(principal).await?)
}
