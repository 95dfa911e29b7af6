//! A checkout quote with a gift card: what the card would pay of the total and what would
//! be left for the payment method, refused as `checkout` would refuse the card.

use crate::accounts::Principal;
use crate::gift_cards::spend::{find_by_code, refusal};
use crate::gift_cards::{GiftCardCode, GiftCardError};
use crate::ids::BookingId;
use crate::organisations::owners;

use super::{BookingError, BookingService, CheckoutQuote};

impl BookingService {
    /// [`Self::checkout_quote`], with the part `gift_card` would pay when one is given.
    pub async fn checkout_quote_with_gift_card(
        &self,
        who: &Principal,
        id: BookingId,
        promo_code: Option<&str>,
        gift_card: Option<&GiftCardCode>,
    ) -> Result<CheckoutQuote, BookingError> {
        let quote = self.checkout_quote(who, id, promo_code).await?;
        let Some(code) = gift_card else {
            return Ok(quote);
        };
        let booking = self
            .find_owned(who, id)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        let owner = owners::of_showtime(&self.db, booking.showtime_id)
            .await
            .map_err(GiftCardError::from)?;
        let card = find_by_code(&self.db, code).await?;
        if let Some(why) = refusal(&card, owner, &quote.currency, self.clock.now()) {
            return Err(GiftCardError::Refused(why).into());
        }
        let gift = std::cmp::min(card.balance_cents, quote.total_cents);
        Ok(CheckoutQuote {
            gift_card_cents: gift,
            card_cents: quote.total_cents - gift,
            ..quote
        })
    }
}
