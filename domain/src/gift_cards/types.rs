use chrono::{DateTime, Utc};
use marquee_entity::{gift_card_entries, gift_cards};
use serde::Serialize;

use crate::accounts::EmailAddress;
use crate::ids::{BookingId, GiftCardId, OrganisationId, UserId};

use super::GiftCardCode;

/// What changed a card's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Issued with its first balance.
    Issue,
    /// Spent at a checkout.
    Spend,
    /// Given back: a payment that did not go through, a cancellation, a refund.
    Restore,
    /// Changed by staff.
    Adjust,
}

impl EntryKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Spend => "spend",
            Self::Restore => "restore",
            Self::Adjust => "adjust",
        }
    }

    fn from_stored(value: &str) -> Self {
        match value {
            "issue" => Self::Issue,
            "spend" => Self::Spend,
            "restore" => Self::Restore,
            _ => Self::Adjust,
        }
    }
}

/// One change to a card's balance.
#[derive(Debug, Clone, Serialize)]
pub struct GiftCardEntry {
    /// What it was.
    pub kind: EntryKind,
    /// Signed change, in minor units (a spend is negative).
    pub amount_cents: i64,
    /// The balance right after it.
    pub balance_after_cents: i64,
    /// The booking of a spend or restore.
    pub booking_id: Option<BookingId>,
    /// The member of staff who issued or adjusted.
    pub actor_id: Option<UserId>,
    /// Why, for adjustments.
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<gift_card_entries::Model> for GiftCardEntry {
    fn from(m: gift_card_entries::Model) -> Self {
        Self {
            kind: EntryKind::from_stored(&m.kind),
            amount_cents: m.amount_cents,
            balance_after_cents: m.balance_after_cents,
            booking_id: m.booking_id.map(BookingId::from),
            actor_id: m.actor_id.map(UserId::from),
            note: m.note,
            created_at: m.created_at,
        }
    }
}

/// A gift card as staff see it (never its code).
#[derive(Debug, Clone, Serialize)]
pub struct GiftCard {
    /// Its id.
    pub id: GiftCardId,
    /// The organisation that issued it; only its showtimes accept it.
    pub organisation_id: OrganisationId,
    /// The code's last four characters.
    pub code_last4: String,
    /// ISO 4217 currency (the organisation's).
    pub currency: String,
    /// Balance when issued.
    pub initial_cents: i64,
    /// Balance now.
    pub balance_cents: i64,
    /// When it stops being accepted.
    pub expires_at: Option<DateTime<Utc>>,
    /// When staff disabled it.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Whom it was issued for.
    pub recipient_email: Option<String>,
    /// Issued.
    pub created_at: DateTime<Utc>,
    /// Every change to its balance, oldest first (filled by listings only).
    #[serde(skip)]
    pub history: Vec<GiftCardEntry>,
}

impl From<gift_cards::Model> for GiftCard {
    fn from(m: gift_cards::Model) -> Self {
        Self {
            id: m.id.into(),
            organisation_id: m.organisation_id.into(),
            code_last4: m.code_last4,
            currency: m.currency,
            initial_cents: m.initial_cents,
            balance_cents: m.balance_cents,
            expires_at: m.expires_at,
            disabled_at: m.disabled_at,
            recipient_email: m.recipient_email,
            created_at: m.created_at,
            history: Vec::new(),
        }
    }
}

/// A card just issued, with the only copy of its code there will ever be.
#[derive(Debug, Clone)]
pub struct IssuedGiftCard {
    /// The code to hand over.
    pub code: GiftCardCode,
    /// The card.
    pub card: GiftCard,
    /// Whether the code was emailed to the recipient; `None` when there was none.
    pub emailed: Option<bool>,
}

/// What staff ask for when issuing a card.
#[derive(Debug, Clone)]
pub struct NewGiftCard {
    /// Whose card (its currency is the organisation's).
    pub organisation: OrganisationId,
    /// The first balance, in minor units.
    pub amount_cents: i64,
    /// When it stops being accepted, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// The buyer it is for: the code is emailed there.
    pub recipient: Option<EmailAddress>,
    /// A note for the history.
    pub note: Option<String>,
}

/// What a buyer holding a code may know about it.
#[derive(Debug, Clone)]
pub struct GiftCardBalance {
    /// Balance now, in minor units.
    pub balance_cents: i64,
    /// Its currency.
    pub currency: String,
    /// When it stops being accepted.
    pub expires_at: Option<DateTime<Utc>>,
    /// The organisation whose showtimes accept it.
    pub organisation_name: String,
    /// Why it cannot be spent now, if it cannot.
    pub refusal: Option<super::GiftCardRefusal>,
}
