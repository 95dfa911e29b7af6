use chrono::Duration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::clock::SharedClock;
use crate::ids::UserId;

use super::AccountError;

/// Signing secret and lifetime of access tokens.
#[derive(Clone)]
pub struct TokenSettings {
    /// HMAC key; at least 32 bytes.
    pub secret: SecretString,
    /// How long a token is valid.
    pub ttl: Duration,
    /// How long an account found live is trusted before it is read again (zero: always
    /// read). Deletion on this instance takes effect at once regardless.
    pub account_recheck: std::time::Duration,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    iss: String,
    /// The account's token version when issued; tokens from before versions read as 0.
    #[serde(default)]
    ver: i32,
}

/// Who a valid token was issued to, and under which token version of the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bearer {
    /// The account.
    pub user: UserId,
    /// The account's token version at issue; the token ends when the account's moves on.
    pub version: i32,
}

const ISSUER: &str = "marquee";

/// Issues and checks HS256 JWT access tokens. The role is not trusted from the token: it
/// is read from the account on every request, so a demotion or deletion takes effect at
/// once.
#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
    clock: SharedClock,
}

impl TokenIssuer {
    /// Builds the issuer from its settings.
    pub fn new(settings: &TokenSettings, clock: SharedClock) -> Self {
        let key = settings.secret.expose_secret().as_bytes();
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            ttl: settings.ttl,
            clock,
        }
    }

    /// A signed token for `user` at the account's token `version`.
    pub fn issue(&self, user: UserId, version: i32) -> Result<String, AccountError> {
        let now = self.clock.now();
        let claims = Claims {
            sub: user.to_string(),
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            iss: ISSUER.to_owned(),
            ver: version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AccountError::Crypto(e.to_string()))
    }

    /// Who a token was issued to, if its signature and expiry hold.
    pub fn verify(&self, token: &str) -> Result<Bearer, AccountError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        // Expiry is checked against the injected clock below, not the system clock.
        validation.validate_exp = false;
        let data = decode::<Claims>(token.trim(), &self.decoding, &validation)
            .map_err(|_| AccountError::Unauthenticated)?;
        if data.claims.exp <= self.clock.now().timestamp() {
            return Err(AccountError::Unauthenticated);
        }
        let user = UserId::parse(&data.claims.sub).map_err(|_| AccountError::Unauthenticated)?;
        Ok(Bearer {
            user,
            version: data.claims.ver,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::OffsetClock;

    #[test]
    fn tokens_verify_until_they_expire() {
        let clock = Arc::new(OffsetClock::default());
        let settings = TokenSettings {
            secret: SecretString::from("0123456789abcdef0123456789abcdef".to_owned()),
            ttl: Duration::minutes(30),
            account_recheck: std::time::Duration::ZERO,
        };
        let issuer = TokenIssuer::new(&settings, clock.clone());
        let user = UserId::generate();
        let token = issuer.issue(user, 3).unwrap();
        assert_eq!(issuer.verify(&token).unwrap(), Bearer { user, version: 3 });
        assert!(issuer.verify(&format!("{token}x")).is_err());
        clock.advance(Duration::minutes(31));
        assert!(issuer.verify(&token).is_err());
    }
}
