use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::gift_cards;

/// What changed a gift card's balance.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum GiftCardEntryKind {
    /// Issued with its first balance.
    Issue,
    /// Spent at a checkout.
    Spend,
    /// Given back: a payment that did not go through, a cancellation, a refund.
    Restore,
    /// Changed by staff.
    Adjust,
}

impl From<gift_cards::EntryKind> for GiftCardEntryKind {
    fn from(k: gift_cards::EntryKind) -> Self {
        use gift_cards::EntryKind as K;
        match k {
            K::Issue => Self::Issue,
            K::Spend => Self::Spend,
            K::Restore => Self::Restore,
            K::Adjust => Self::Adjust,
        }
    }
}

/// One change to a gift card's balance.
#[derive(SimpleObject)]
pub struct GiftCardEntry {
    /// What it was.
    pub kind: GiftCardEntryKind,
    /// Signed change in minor units (a spend is negative).
    pub amount_cents: i64,
    /// The balance right after it.
    pub balance_after_cents: i64,
    /// The booking of a spend or restore.
    pub booking_id: Option<ID>,
    /// The member of staff who issued or adjusted.
    pub actor_id: Option<ID>,
    /// Why (adjustments, issue notes).
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<gift_cards::GiftCardEntry> for GiftCardEntry {
    fn from(e: gift_cards::GiftCardEntry) -> Self {
        Self {
            kind: e.kind.into(),
            amount_cents: e.amount_cents,
            balance_after_cents: e.balance_after_cents,
            booking_id: e.booking_id.map(|b| ID(b.to_string())),
            actor_id: e.actor_id.map(|a| ID(a.to_string())),
            note: e.note,
            created_at: e.created_at,
        }
    }
}

/// A gift card as staff see it: never its code, only the code's last four characters.
pub struct GiftCard(pub gift_cards::GiftCard);

#[Object]
impl GiftCard {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The organisation whose showtimes accept it.
    async fn organisation_id(&self) -> ID {
        ID(self.0.organisation_id.to_string())
    }
    /// The code's last four characters.
    async fn code_last4(&self) -> &str {
        &self.0.code_last4
    }
    /// ISO 4217 (the organisation's).
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Balance when issued, in minor units.
    async fn initial_cents(&self) -> i64 {
        self.0.initial_cents
    }
    /// Balance now, in minor units.
    async fn balance_cents(&self) -> i64 {
        self.0.balance_cents
    }
    /// When it stops being accepted (never when null).
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// When staff disabled it.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at
    }
    /// Whom it was issued for.
    async fn recipient_email(&self) -> Option<&str> {
        self.0.recipient_email.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Every change to its balance, oldest first (filled in `giftCards`).
    async fn history(&self) -> Vec<GiftCardEntry> {
        self.0
            .history
            .iter()
            .cloned()
            .map(GiftCardEntry::from)
            .collect()
    }
}

/// A card just issued: its code is shown here once and never again.
pub struct IssuedGiftCard(pub gift_cards::IssuedGiftCard);

#[Object]
impl IssuedGiftCard {
    /// The code to hand to the buyer (`XXXX-XXXX-XXXX-XXXX`). Only a hash is kept.
    async fn code(&self) -> String {
        self.0.code.display()
    }
    async fn gift_card(&self) -> GiftCard {
        GiftCard(self.0.card.clone())
    }
    /// Whether the code was emailed to the recipient (null when none was given); when
    /// false, hand the code over another way.
    async fn email_sent(&self) -> Option<bool> {
        self.0.emailed
    }
}

/// What the holder of a gift card code may know about it.
pub struct GiftCardBalance(pub gift_cards::GiftCardBalance);

#[Object]
impl GiftCardBalance {
    /// In minor units of `currency`.
    async fn balance_cents(&self) -> i64 {
        self.0.balance_cents
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// When it stops being accepted (never when null).
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// The organisation whose showtimes accept it.
    async fn organisation_name(&self) -> &str {
        &self.0.organisation_name
    }
    /// Whether it can pay now.
    async fn usable(&self) -> bool {
        self.0.refusal.is_none()
    }
    /// Why it cannot (`GIFT_CARD_EXPIRED`, `GIFT_CARD_DISABLED`, `GIFT_CARD_EMPTY`).
    async fn refusal(&self) -> Option<&'static str> {
        self.0.refusal.map(|r| r.code())
    }
}
