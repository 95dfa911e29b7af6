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

/// Most `v1` signatures looked at: Stripe sends one per active secret (two while a secret
/// is rolled), and a header listing thousands must not cost a comparison each.
pub const MAX_SIGNATURES: usize = 4;

/// Checks `header` against `body` with the endpoint's secret, at `now` (Unix seconds). The
/// HMAC of the body is computed once, whatever the header holds.
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::with_capacity(MAX_SIGNATURES);
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) if timestamp.is_none() => timestamp = v.parse::<i64>().ok(),
            // A SHA-256 tag is 64 hex digits; anything else cannot match.
            Some(("v1", v)) if v.len() == 64 && signatures.len() < MAX_SIGNATURES => {
                signatures.extend(hex::decode(v).ok());
            }
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
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return Err(SignatureError::Mismatch);
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    // Constant-time comparison of each candidate with the one tag.
    let matches = signatures.iter().fold(false, |found, candidate| {
        let diff = candidate
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        found | (diff == 0 && candidate.len() == expected.len())
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
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

    #[test]
    fn only_the_first_few_signatures_of_a_long_header_are_compared() {
        let body = br#"{"id":"evt_1"}"#;
        let now = 1_800_000_000;
        let good = sign(b"whsec_test", body, now);
        let good_v1 = good.split_once(",v1=").map(|(_, v)| v).unwrap_or_default();
        let junk = format!(",v1={}", "ab".repeat(32)).repeat(MAX_SIGNATURES);
        // The good signature within the first few passes; after them it is not looked at.
        let early = format!("t={now}{}", junk.replacen(&"ab".repeat(32), good_v1, 1));
        assert_eq!(verify(b"whsec_test", &early, body, now, 300), Ok(()));
        let late = format!("t={now}{junk},v1={good_v1}");
        assert_eq!(
            verify(b"whsec_test", &late, body, now, 300),
            Err(SignatureError::Mismatch)
        );
        // Entries that cannot be a SHA-256 tag are skipped without counting.
        let short = format!("t={now}{},v1={good_v1}", ",v1=00".repeat(10_000));
        assert_eq!(verify(b"whsec_test", &short, body, now, 300), Ok(()));
    }
}
