//! Money as integer minor units plus an ISO 4217 currency code.

use std::fmt;

/// An ISO 4217 currency code such as `USD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Currency(String);

/// A currency code that is not three ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("currency must be a three-letter ISO 4217 code such as USD")]
pub struct InvalidCurrency;

impl Currency {
    /// Parses `usd` or `USD` into `USD`.
    pub fn parse(value: &str) -> Result<Self, InvalidCurrency> {
        let v = value.trim();
        if v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Self(v.to_ascii_uppercase()))
        } else {
            Err(InvalidCurrency)
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The largest single price accepted (one million in major units), to keep sums far from
/// overflow.
pub const MAX_PRICE_CENTS: i64 = 100_000_000;

/// A price in minor units: never negative, never absurd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PriceCents(i64);

/// A price below zero or above [`MAX_PRICE_CENTS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("price must be between 0 and {MAX_PRICE_CENTS} minor units, got {0}")]
pub struct InvalidPrice(pub i64);

impl PriceCents {
    /// Validates a price in minor units.
    pub fn parse(cents: i64) -> Result<Self, InvalidPrice> {
        if (0..=MAX_PRICE_CENTS).contains(&cents) {
            Ok(Self(cents))
        } else {
            Err(InvalidPrice(cents))
        }
    }

    /// The amount in minor units.
    pub fn cents(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_and_price_validation() {
        assert_eq!(Currency::parse("usd").unwrap().as_str(), "USD");
        assert!(Currency::parse("US").is_err());
        assert!(Currency::parse("U5D").is_err());
        assert!(PriceCents::parse(-1).is_err());
        assert!(PriceCents::parse(MAX_PRICE_CENTS + 1).is_err());
        assert_eq!(PriceCents::parse(1250).unwrap().cents(), 1250);
    }
}
