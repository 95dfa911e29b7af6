use async_graphql::SimpleObject;
use marquee_domain::booking;

/// What paying for a held booking would cost now, priced as `checkout` prices it: the
/// totals to show before the buyer pays.
#[derive(SimpleObject)]
pub struct CheckoutQuote {
    /// Sum of the seat prices.
    subtotal_cents: i64,
    /// What the promotion code takes off (0 without one).
    discount_cents: i64,
    /// The booking fee: per ticket, times the tickets.
    fee_cents: i64,
    /// What `checkout` would charge now.
    total_cents: i64,
    /// The booking's currency.
    currency: String,
    /// The promotion code applied, as stored (upper case), when one was given.
    promo_code: Option<String>,
    /// The applied promotion's description.
    promotion_description: Option<String>,
    /// What the gift card given would pay of the total (0 without one).
    gift_card_cents: i64,
    /// What the payment method would be charged.
    card_cents: i64,
}

impl From<booking::CheckoutQuote> for CheckoutQuote {
    fn from(q: booking::CheckoutQuote) -> Self {
        Self {
            subtotal_cents: q.subtotal_cents,
            discount_cents: q.discount_cents,
            fee_cents: q.fee_cents,
            total_cents: q.total_cents,
            currency: q.currency,
            promo_code: q.promo_code,
            promotion_description: q.promotion_description,
            gift_card_cents: q.gift_card_cents,
            card_cents: q.card_cents,
        }
    }
}
