use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use tokio::sync::Semaphore;

use super::AccountError;

pub(super) const MIN_LEN: usize = 8;
pub(super) const MAX_LEN: usize = 128;

/// A password that meets the length policy; never printed.
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    /// Checks the policy (8–128 characters).
    pub fn parse(value: &str) -> Result<Self, AccountError> {
        let n = value.chars().count();
        if (MIN_LEN..=MAX_LEN).contains(&n) {
            Ok(Self(SecretString::from(value.to_owned())))
        } else {
            Err(AccountError::WeakPassword)
        }
    }
}

/// Hashes and verifies passwords with argon2id, off the async executor (it is slow on
/// purpose), a few at a time: each one holds 19 MiB while it runs, so a flood of log-ins
/// waits here instead of taking the server's memory.
#[derive(Clone)]
pub struct PasswordHasher {
    running: Arc<Semaphore>,
}

impl Default for PasswordHasher {
    /// As many at once as the machine has cores.
    fn default() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }
}

impl PasswordHasher {
    /// At most `at_once` hashes or verifications run at a time (at least one).
    pub fn new(at_once: usize) -> Self {
        Self {
            running: Arc::new(Semaphore::new(at_once.max(1))),
        }
    }

    /// A PHC string with a fresh random salt.
    pub async fn hash(&self, password: &Password) -> Result<String, AccountError> {
        let secret = password.0.clone();
        let turn = self.turn().await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            Argon2::default()
                .hash_password(secret.expose_secret().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| AccountError::Crypto(e.to_string()))
        })
        .await
        .map_err(|e| AccountError::Crypto(e.to_string()))?
    }

    /// Whether `candidate` matches the stored hash. A missing hash still costs one
    /// verification so that timing does not reveal which accounts exist.
    pub async fn verify(
        &self,
        candidate: &str,
        stored: Option<&str>,
    ) -> Result<bool, AccountError> {
        let candidate = SecretString::from(candidate.to_owned());
        let stored = stored.map(str::to_owned);
        let turn = self.turn().await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let argon = Argon2::default();
            let target = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            let Ok(parsed) = PasswordHash::new(&target) else {
                return Ok(false);
            };
            let ok = argon
                .verify_password(candidate.expose_secret().as_bytes(), &parsed)
                .is_ok();
            Ok(ok && target != DUMMY_HASH)
        })
        .await
        .map_err(|e| AccountError::Crypto(e.to_string()))?
    }
}

impl PasswordHasher {
    /// A place among the hashes running at once, held by the hashing thread until it ends
    /// (also when the request that asked has gone).
    async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, AccountError> {
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AccountError::Crypto(e.to_string()))
    }
}

/// A valid argon2id hash of a random string nobody knows, verified when the account is
/// missing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jr9nN9K8P5yYq3Hq1yJ3X0T1m4k4t3x6b8a1VnQWm2Y";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_right_password() {
        let hasher = PasswordHasher::default();
        let pw = Password::parse("correct horse").unwrap();
        let hash = hasher.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("wrong horse!", Some(&hash)).await.unwrap());
        assert!(!hasher.verify("correct horse", None).await.unwrap());
        assert!(Password::parse("short").is_err());
    }

    #[tokio::test]
    async fn a_verification_waits_while_the_allowed_number_are_running() {
        let hasher = PasswordHasher::new(1);
        let turn = hasher.turn().await.unwrap();
        let waiting = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.verify("correct horse", None).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!waiting.is_finished());
        drop(turn);
        assert!(!waiting.await.unwrap().unwrap());
    }
}
