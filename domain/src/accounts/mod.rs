//! Accounts: sign-up, log-in, profiles, roles and the tokens that carry them.

mod email;
mod error;
mod password;
mod principal;
mod recent;
mod service;
mod token;

pub use email::EmailAddress;
pub use error::AccountError;
pub use password::{Password, PasswordHasher};
pub use principal::{Admin, Principal, Role};
pub use service::{AccountService, NewAccount, ProfileChanges, User};
pub use token::{Bearer, TokenIssuer, TokenSettings};
