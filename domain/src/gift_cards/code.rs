//! Gift card codes: 16 characters (80 bits) from an alphabet without look-alikes, shown
//! grouped by four. Only their SHA-256 is stored: with 80 random bits a fast hash is
//! enough, and a lookup by hash needs no scan.

use sha2::{Digest, Sha256};

use super::GiftCardError;

const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LEN: usize = 16;

/// A well-formed gift card code (not necessarily one that exists).
#[derive(Clone, PartialEq, Eq)]
pub struct GiftCardCode(String);

// Never printed in logs: the code is the card.
impl std::fmt::Debug for GiftCardCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GiftCardCode(…{})", self.last4())
    }
}

impl GiftCardCode {
    /// A fresh random code.
    pub(crate) fn generate() -> Result<Self, GiftCardError> {
        let mut bytes = [0u8; LEN];
        getrandom::fill(&mut bytes).map_err(|e| {
            GiftCardError::Database(sea_orm::DbErr::Custom(format!("no randomness: {e}")))
        })?;
        Ok(Self(
            bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect(),
        ))
    }

    /// Reads a code as a buyer types it: case, spaces and dashes do not matter.
    pub fn parse(text: &str) -> Result<Self, GiftCardError> {
        let bad = || GiftCardError::invalid("giftCardCode", "give the 16-character code");
        if text.len() > 64 {
            return Err(bad());
        }
        let code: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.len() != LEN || !code.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(bad());
        }
        Ok(Self(code))
    }

    /// As shown to people: `ABCD-EFGH-JKLM-NPQR`.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// What is stored and looked up.
    pub(crate) fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The last four characters, for staff to tell cards apart.
    pub(crate) fn last4(&self) -> &str {
        &self.0[LEN - 4..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_code_reads_back_however_it_is_typed() {
        let code = GiftCardCode::generate().unwrap();
        let typed = code.display().to_lowercase().replace('-', " ");
        let read = GiftCardCode::parse(&typed).unwrap();
        assert_eq!(read, code);
        assert_eq!(read.hash(), code.hash());
        assert!(!format!("{read:?}").contains(&code.0));
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "ABCD", "ABCD-EFGH-JKLM-NPQ0", &"A".repeat(100)] {
            assert!(GiftCardCode::parse(bad).is_err(), "{bad}");
        }
    }
}
