//! Gift cards: an organisation's codes with a balance in its currency, spent first at
//! checkout, given back when the payment does not go through or the booking is cancelled,
//! and listed with their history for its staff.

mod code;
mod error;
mod service;
pub(crate) mod spend;
mod types;

pub use code::GiftCardCode;
pub use error::{GiftCardError, GiftCardRefusal};
pub use service::{GiftCardService, MAX_LISTED};
pub use types::{EntryKind, GiftCard, GiftCardBalance, GiftCardEntry, IssuedGiftCard, NewGiftCard};
