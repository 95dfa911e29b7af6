use crate::ids::UserId;

use super::AccountError;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Buys tickets, writes reviews.
    Customer,
    /// Runs theatres: catalog, schedule, prices.
    Admin,
}

impl Role {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Admin => "admin",
        }
    }

    /// Reads the stored form; anything unknown is the least privileged role.
    pub fn from_stored(value: &str) -> Self {
        if value == "admin" {
            Self::Admin
        } else {
            Self::Customer
        }
    }
}

/// The signed-in user on whose behalf a request runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Principal {
    /// Who.
    pub user_id: UserId,
    /// With which role.
    pub role: Role,
}

/// Proof that the caller is an admin: admin services take one, and the only way to get
/// one is [`Principal::admin`], so the role is checked in exactly one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Admin {
    user_id: UserId,
}

impl Admin {
    /// The admin's user id, for audit fields.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }
}

impl Principal {
    /// The admin capability, or `Forbidden`.
    pub fn admin(&self) -> Result<Admin, AccountError> {
        match self.role {
            Role::Admin => Ok(Admin {
                user_id: self.user_id,
            }),
            Role::Customer => Err(AccountError::Forbidden),
        }
    }
}
