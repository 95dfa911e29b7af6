use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::accounts;

use super::Role;

/// An account.
#[derive(SimpleObject)]
pub struct User {
    /// Id.
    pub id: ID,
    /// E-mail address (log-in name).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

impl From<accounts::User> for User {
    fn from(u: accounts::User) -> Self {
        Self {
            id: ID(u.id.to_string()),
            email: u.email,
            name: u.name,
            role: u.role.into(),
            created_at: u.created_at,
        }
    }
}

/// A signed-in session: send the token as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Access token (JWT).
    pub token: String,
    /// The account.
    pub user: User,
}
