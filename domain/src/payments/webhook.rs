//! Verifying gateway webhooks: Stripe signs `"{timestamp}.{body}"` with HMAC-SHA256 and
//! sends `Stripe-Signature: t=<timestamp>,v1=<hex>[,v1=…]`. A stale timestamp is refused so
//! that a captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No usable `t=` and `v1=` parts.
    #[error("the signature header is malformed")]
    Malformed,
    /// Signed too long ago (or in the future).
    #[error("the signature timestamp is outside the tolerance")]
    Stale,
    /// No `v1` signature matches.
    #[error("the signature does not match")]
    Mismatch,
}

/// Checks `header` against `body` with the endpoint's secret, at `now` (Unix seconds).
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    for candidate in signatures {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
            return Err(SignatureError::Mismatch);
        };
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // Constant-time comparison.
        if mac.verify_slice(&candidate).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

/// The header a sender would compute (for tests and tools that replay events).
pub fn sign(secret: &[u8], body: &[u8], timestamp: i64) -> String {
    let hex = Hmac::<Sha256>::new_from_slice(secret)
        .map(|mut mac| {
            mac.update(format!("{timestamp}.").as_bytes());
            mac.update(body);
            hex::encode(mac.finalize().into_bytes())
        })
        .unwrap_or_default();
    format!("t={timestamp},v1={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_good_signatures_and_refuses_bad_stale_and_malformed_ones() {
        let body = br#"{"id":"evt_1"}"#;
        let now = 1_800_000_000;
        let header = sign(b"whsec_test", body, now);
        assert_eq!(verify(b"whsec_test", &header, body, now + 10, 300), Ok(()));
        assert_eq!(
            verify(b"whsec_other", &header, body, now, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"whsec_test", &header, b"{}", now, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"whsec_test", &header, body, now + 301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"whsec_test", "v1=abc", body, now, 300),
            Err(SignatureError::Malformed)
        );
        // A rotated secret: any matching v1 passes.
        let two = format!("{header},v1={}", "00".repeat(32));
        assert_eq!(verify(b"whsec_test", &two, body, now, 300), Ok(()));
    }
}
