use async_graphql::{Context, ID, Object};
use marquee_domain::gift_cards::GiftCardCode;
use marquee_domain::ids::{BookingId, ShowtimeId};

use crate::graphql::PaymentSetup;
use crate::graphql::auth::{principal, services, staff};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Booking, CheckoutQuote, PaymentConfig, SeatAudit};

#[derive(Default)]
pub struct BookingQuery;

#[Object]
impl BookingQuery {
    /// How to take payments in the browser: the gateway in use and, with Stripe, the
    /// publishable key for Stripe.js.
    async fn payment_config(&self, ctx: &Context<'_>) -> PaymentConfig {
        let setup = ctx.data_opt::<PaymentSetup>().cloned().unwrap_or_default();
        PaymentConfig {
            gateway: setup.gateway,
            publishable_key: setup.publishable_key,
        }
    }

    /// One of the caller's bookings (any booking for an admin); null otherwise.
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Booking>> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("id", &id, BookingId::parse)?;
        Ok(services(ctx)
            .bookings
            .find_owned(&who, id)
            .await?
            .map(Booking))
    }

    /// What paying for one of the caller's held bookings would cost now, with the
    /// booking fee and, given a code, the promotion's discount: priced as `checkout`
    /// prices it, to show before paying. A code that cannot be used is refused with
    /// BAD_USER_INPUT, `extensions.field` `promoCode` and `extensions.reason`
    /// (PROMO_UNKNOWN, PROMO_NOT_VALID_NOW, PROMO_USED_UP, PROMO_ALREADY_USED,
    /// PROMO_OTHER_CURRENCY), as `checkout` refuses it. Given a gift card code, the quote
    /// splits the total into what the gift card pays and what the card is charged; a card
    /// that cannot pay is refused with `extensions.field` `giftCardCode` as `checkout`
    /// refuses it (rate-limited as `giftCardBalance` is).
    async fn checkout_quote(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        promo_code: Option<String>,
        gift_card_code: Option<String>,
    ) -> ApiResult<CheckoutQuote> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        let gift_card = gift_card_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(GiftCardCode::parse)
            .transpose()?;
        Ok(services(ctx)
            .bookings
            .checkout_quote_with_gift_card(&who, id, promo_code.as_deref(), gift_card.as_ref())
            .await?
            .into())
    }

    /// The caller's bookings, newest first.
    #[graphql(complexity = "complexity::list(20, child_complexity)")]
    async fn my_bookings(&self, ctx: &Context<'_>) -> ApiResult<Vec<Booking>> {
        let who = principal(ctx).await?;
        Ok(services(ctx)
            .bookings
            .my_bookings(&who)
            .await?
            .into_iter()
            .map(Booking)
            .collect())
    }

    /// A showtime's seat ledger read from the database (its organisation's staff): seats sold, live
    /// tickets, and any seat sold twice or sold without a ticket.
    async fn showtime_seat_audit(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
    ) -> ApiResult<SeatAudit> {
        let staff = staff(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        Ok(services(ctx)
            .bookings
            .seat_audit(&staff, showtime)
            .await?
            .into())
    }
}
