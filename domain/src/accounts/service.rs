use chrono::{DateTime, Utc};
use marquee_entity::users;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::clock::SharedClock;
use crate::db::is_unique_violation;
use crate::ids::UserId;

use std::sync::Arc;

use super::recent::{Live, RecentAccounts};
use super::{AccountError, EmailAddress, Password, PasswordHasher, Principal, Role, TokenIssuer};

/// An account as the rest of the system sees it (never the hash).
#[derive(Debug, Clone)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Normalised e-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// The version its access tokens must carry.
    pub token_version: i32,
}

impl From<users::Model> for User {
    fn from(m: users::Model) -> Self {
        Self {
            id: m.id.into(),
            email: m.email,
            name: m.name,
            role: Role::from_stored(&m.role),
            created_at: m.created_at,
            token_version: m.token_version,
        }
    }
}

/// Sign-up input, already parsed.
pub struct NewAccount {
    /// Login and contact address.
    pub email: EmailAddress,
    /// Chosen password.
    pub password: Password,
    /// Display name.
    pub name: String,
}

/// Profile edits; e-mail and password changes need the current password.
#[derive(Default)]
pub struct ProfileChanges {
    /// New display name.
    pub name: Option<String>,
    /// New e-mail address.
    pub email: Option<EmailAddress>,
    /// New password.
    pub new_password: Option<Password>,
    /// Confirms e-mail and password changes.
    pub current_password: Option<String>,
}

fn parse_name(name: &str) -> Result<String, AccountError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 {
        return Err(AccountError::InvalidName);
    }
    Ok(n.to_owned())
}

/// Accounts and authentication.
#[derive(Clone)]
pub struct AccountService {
    db: DatabaseConnection,
    clock: SharedClock,
    hasher: PasswordHasher,
    tokens: TokenIssuer,
    recent: Arc<RecentAccounts>,
}

impl AccountService {
    /// Builds the service; live accounts are trusted for `account_recheck` between reads,
    /// and passwords are hashed by `hasher` (which bounds how many at once).
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        tokens: TokenIssuer,
        account_recheck: std::time::Duration,
        hasher: PasswordHasher,
    ) -> Self {
        Self {
            db,
            clock,
            hasher,
            tokens,
            recent: Arc::new(RecentAccounts::new(account_recheck)),
        }
    }

    /// Creates a customer account and returns it with a fresh token.
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_up(&self, input: NewAccount) -> Result<(String, User), AccountError> {
        let user = self.create(input, Role::Customer).await?;
        Ok((self.issue(&user)?, user))
    }

    /// A fresh token for an account just read or written. The account is remembered as
    /// live, as its first authenticated request would find it: a buyer who signs in just
    /// before an on-sale costs no account read at the sale.
    fn issue(&self, user: &User) -> Result<String, AccountError> {
        let token = self.tokens.issue(user.id, user.token_version)?;
        self.recent.remember(
            user.id,
            Live {
                role: user.role,
                token_version: user.token_version,
            },
        );
        Ok(token)
    }

    async fn create(&self, input: NewAccount, role: Role) -> Result<User, AccountError> {
        let name = parse_name(&input.name)?;
        let hash = self.hasher.hash(&input.password).await?;
        let now = self.clock.now();
        let model = users::ActiveModel {
            id: Set(UserId::generate().uuid()),
            email: Set(input.email.as_str().to_owned()),
            name: Set(name),
            password_hash: Set(Some(hash)),
            role: Set(role.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            token_version: Set(0),
        };
        match model.insert(&self.db).await {
            Ok(m) => Ok(m.into()),
            Err(e) if is_unique_violation(&e) => Err(AccountError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks credentials and returns a fresh token.
    #[tracing::instrument(skip_all, err)]
    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<(String, User), AccountError> {
        let found = match EmailAddress::parse(email) {
            Ok(email) => {
                users::Entity::find()
                    .filter(users::Column::Email.eq(email.as_str()))
                    .filter(users::Column::DeletedAt.is_null())
                    .one(&self.db)
                    .await?
            }
            Err(_) => None,
        };
        let stored = found.as_ref().and_then(|u| u.password_hash.as_deref());
        if !self.hasher.verify(password, stored).await? {
            return Err(AccountError::InvalidCredentials);
        }
        let user: User = found.ok_or(AccountError::InvalidCredentials)?.into();
        Ok((self.issue(&user)?, user))
    }

    /// Resolves a bearer token to the live account behind it. A token issued before the
    /// account's token version moved on (a password change, a log-out) is refused.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, AccountError> {
        let bearer = self.tokens.verify(token)?;
        if let Some(live) = self.recent.get(bearer.user)
            && live.token_version == bearer.version
        {
            return Ok(Principal {
                user_id: bearer.user,
                role: live.role,
            });
        }
        let user = self
            .find_active(bearer.user)
            .await?
            .ok_or(AccountError::Unauthenticated)?;
        self.recent.remember(
            user.id,
            Live {
                role: user.role,
                token_version: user.token_version,
            },
        );
        if user.token_version != bearer.version {
            return Err(AccountError::Unauthenticated);
        }
        Ok(Principal {
            user_id: user.id,
            role: user.role,
        })
    }

    /// Ends every token of the caller's account (the presented one included).
    #[tracing::instrument(skip_all, fields(user_id = %who.user_id), err)]
    pub async fn log_out(&self, who: &Principal) -> Result<(), AccountError> {
        let ended = users::Entity::update_many()
            .col_expr(
                users::Column::TokenVersion,
                Expr::col(users::Column::TokenVersion).add(1),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(self.clock.now()))
            .filter(users::Column::Id.eq(who.user_id.uuid()))
            .filter(users::Column::DeletedAt.is_null())
            .exec(&self.db)
            .await?;
        self.recent.forget(who.user_id);
        if ended.rows_affected == 0 {
            return Err(AccountError::Unauthenticated);
        }
        Ok(())
    }

    /// Changes the caller's password after checking the current one; every earlier token
    /// ends, and a fresh one is returned.
    #[tracing::instrument(skip_all, fields(user_id = %who.user_id), err)]
    pub async fn change_password(
        &self,
        who: &Principal,
        current_password: &str,
        new_password: Password,
    ) -> Result<(String, User), AccountError> {
        let user = self
            .update_profile(
                who,
                ProfileChanges {
                    new_password: Some(new_password),
                    current_password: Some(current_password.to_owned()),
                    ..ProfileChanges::default()
                },
            )
            .await?;
        Ok((self.tokens.issue(user.id, user.token_version)?, user))
    }

    async fn find_active(&self, id: UserId) -> Result<Option<User>, AccountError> {
        Ok(users::Entity::find_by_id(id.uuid())
            .filter(users::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .map(User::from))
    }

    /// The signed-in user's account.
    pub async fn me(&self, who: &Principal) -> Result<User, AccountError> {
        self.find_active(who.user_id)
            .await?
            .ok_or(AccountError::Unauthenticated)
    }

    /// Edits the caller's profile.
    #[tracing::instrument(skip_all, fields(user_id = %who.user_id), err)]
    pub async fn update_profile(
        &self,
        who: &Principal,
        changes: ProfileChanges,
    ) -> Result<User, AccountError> {
        let current = users::Entity::find_by_id(who.user_id.uuid())
            .filter(users::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(AccountError::Unauthenticated)?;
        let sensitive = changes.email.is_some() || changes.new_password.is_some();
        if sensitive {
            let given = changes.current_password.as_deref().unwrap_or_default();
            if !self
                .hasher
                .verify(given, current.password_hash.as_deref())
                .await?
            {
                return Err(AccountError::WrongCurrentPassword);
            }
        }
        let current_version = current.token_version;
        let mut model: users::ActiveModel = current.into();
        if let Some(name) = changes.name {
            model.name = Set(parse_name(&name)?);
        }
        if let Some(email) = changes.email {
            model.email = Set(email.as_str().to_owned());
        }
        let new_password = changes.new_password.is_some();
        if let Some(password) = changes.new_password {
            model.password_hash = Set(Some(self.hasher.hash(&password).await?));
            // Whoever held the old password may hold a token too: end them all.
            model.token_version = Set(current_version + 1);
        }
        model.updated_at = Set(self.clock.now());
        let updated = model.update(&self.db).await;
        if new_password {
            self.recent.forget(who.user_id);
        }
        match updated {
            Ok(m) => Ok(m.into()),
            Err(e) if is_unique_violation(&e) => Err(AccountError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the caller's account: personal data is scrubbed, bookings stay for
    /// accounting, and every token of the account stops working.
    #[tracing::instrument(skip_all, fields(user_id = %who.user_id), err)]
    pub async fn delete_account(
        &self,
        who: &Principal,
        password: &str,
    ) -> Result<(), AccountError> {
        let current = users::Entity::find_by_id(who.user_id.uuid())
            .filter(users::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(AccountError::Unauthenticated)?;
        if !self
            .hasher
            .verify(password, current.password_hash.as_deref())
            .await?
        {
            return Err(AccountError::WrongCurrentPassword);
        }
        let now = self.clock.now();
        let version = current.token_version;
        let mut model: users::ActiveModel = current.into();
        model.email = Set(format!("deleted-{}@deleted.invalid", who.user_id));
        model.name = Set("Deleted user".to_owned());
        model.password_hash = Set(None);
        model.token_version = Set(version + 1);
        model.deleted_at = Set(Some(now));
        model.updated_at = Set(now);
        model.update(&self.db).await?;
        self.recent.forget(who.user_id);
        Ok(())
    }

    /// Creates an admin account, or promotes an existing one (the `create-admin` command).
    /// Returns the account and whether it was newly created.
    pub async fn ensure_admin(
        &self,
        email: EmailAddress,
        name: &str,
        password: Option<Password>,
    ) -> Result<(User, bool), AccountError> {
        let existing = users::Entity::find()
            .filter(users::Column::Email.eq(email.as_str()))
            .filter(users::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?;
        if let Some(found) = existing {
            let version = found.token_version;
            let mut model: users::ActiveModel = found.into();
            model.role = Set(Role::Admin.as_str().to_owned());
            if let Some(pw) = password {
                model.password_hash = Set(Some(self.hasher.hash(&pw).await?));
                model.token_version = Set(version + 1);
            }
            model.updated_at = Set(self.clock.now());
            let user: User = model.update(&self.db).await?.into();
            self.recent.forget(user.id);
            return Ok((user, false));
        }
        let password = password.ok_or(AccountError::WeakPassword)?;
        let user = self
            .create(
                NewAccount {
                    email,
                    password,
                    name: name.to_owned(),
                },
                Role::Admin,
            )
            .await?;
        Ok((user, true))
    }
}
