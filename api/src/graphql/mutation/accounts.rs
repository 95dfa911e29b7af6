use async_graphql::{Context, InputObject, Object};
use marquee_domain::accounts::{EmailAddress, NewAccount, Password, ProfileChanges};

use crate::graphql::auth::{principal, services};
use crate::graphql::error::ApiResult;
use crate::graphql::types::{AuthPayload, User};

#[derive(Default)]
pub struct AccountMutation;

/// A new customer account.
#[derive(InputObject)]
pub struct SignUpInput {
    /// Log-in and contact address.
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    /// Display name.
    pub name: String,
}

/// Profile edits; changing e-mail or password needs `currentPassword`.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// New display name.
    pub name: Option<String>,
    /// New e-mail address.
    pub email: Option<String>,
    /// New password.
    pub new_password: Option<String>,
    /// The current password.
    pub current_password: Option<String>,
}

#[Object]
impl AccountMutation {
    /// Creates a customer account and signs it in.
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> ApiResult<AuthPayload> {
        let account = NewAccount {
            email: EmailAddress::parse(&input.email)?,
            password: Password::parse(&input.password)?,
            name: input.name,
        };
        let (token, user) = services(ctx).accounts.sign_up(account).await?;
        Ok(AuthPayload {
            token,
            user: user.into(),
        })
    }

    /// Signs in with e-mail and password.
    async fn log_in(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<AuthPayload> {
        let (token, user) = services(ctx).accounts.log_in(&email, &password).await?;
        Ok(AuthPayload {
            token,
            user: user.into(),
        })
    }

    /// Edits the signed-in account. A new password ends every token of the account, the
    /// one presented included (`changePassword` returns a fresh one).
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> ApiResult<User> {
        let who = principal(ctx).await?;
        let changes = ProfileChanges {
            name: input.name,
            email: input
                .email
                .as_deref()
                .map(EmailAddress::parse)
                .transpose()?,
            new_password: input
                .new_password
                .as_deref()
                .map(Password::parse)
                .transpose()?,
            current_password: input.current_password,
        };
        Ok(services(ctx)
            .accounts
            .update_profile(&who, changes)
            .await?
            .into())
    }

    /// Changes the signed-in account's password. Every earlier token of the account stops
    /// working (on other instances within `account_recheck_seconds`); the answer carries a
    /// fresh one.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> ApiResult<AuthPayload> {
        let who = principal(ctx).await?;
        let new_password = Password::parse(&new_password)?;
        let (token, user) = services(ctx)
            .accounts
            .change_password(&who, &current_password, new_password)
            .await?;
        Ok(AuthPayload {
            token,
            user: user.into(),
        })
    }

    /// Signs out: the presented token and every other token of the account stop working
    /// (on other instances within `account_recheck_seconds`).
    async fn log_out(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let who = principal(ctx).await?;
        services(ctx).accounts.log_out(&who).await?;
        Ok(true)
    }

    /// Deletes the signed-in account: personal data is erased, bookings are kept for
    /// accounting, and every token stops working.
    async fn delete_account(&self, ctx: &Context<'_>, password: String) -> ApiResult<bool> {
        let who = principal(ctx).await?;
        services(ctx)
            .accounts
            .delete_account(&who, &password)
            .await?;
        Ok(true)
    }
}
