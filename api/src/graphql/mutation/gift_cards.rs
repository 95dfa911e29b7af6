//! Gift cards, for the managers of their organisation and platform admins.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use marquee_domain::accounts::EmailAddress;
use marquee_domain::gift_cards::NewGiftCard;
use marquee_domain::ids::{GiftCardId, OrganisationId};

use crate::graphql::auth::{services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{GiftCard, IssuedGiftCard};

#[derive(Default)]
pub struct GiftCardMutation;

/// A gift card to issue.
#[derive(InputObject)]
pub struct IssueGiftCardInput {
    /// Whose card: only its showtimes accept it, in its currency.
    pub organisation_id: ID,
    /// The first balance, in minor units of the organisation's currency.
    pub amount_cents: i64,
    /// When it stops being accepted (never when omitted).
    pub expires_at: Option<DateTime<Utc>>,
    /// The buyer it is for: kept with the card, and the code is emailed there.
    pub recipient_email: Option<String>,
    /// A note for its history.
    pub note: Option<String>,
}

#[Object]
impl GiftCardMutation {
    /// Issues a gift card (managers of the organisation, platform admins). The code is in
    /// the answer and nowhere else: hand it to the buyer.
    async fn issue_gift_card(
        &self,
        ctx: &Context<'_>,
        input: IssueGiftCardInput,
    ) -> ApiResult<IssuedGiftCard> {
        let staff = staff(ctx).await?;
        let new = NewGiftCard {
            organisation: ApiError::parse_id(
                "organisationId",
                &input.organisation_id,
                OrganisationId::parse,
            )?,
            amount_cents: input.amount_cents,
            expires_at: input.expires_at,
            recipient: input
                .recipient_email
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(EmailAddress::parse)
                .transpose()
                .map_err(|e| ApiError::bad_input("recipientEmail", e.to_string()))?,
            note: input.note,
        };
        Ok(IssuedGiftCard(
            services(ctx).gift_cards.issue(&staff, new).await?,
        ))
    }

    /// Disables a gift card: refused at checkout from now on.
    async fn disable_gift_card(&self, ctx: &Context<'_>, id: ID) -> ApiResult<GiftCard> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, GiftCardId::parse)?;
        Ok(GiftCard(
            services(ctx).gift_cards.disable(&staff, id).await?,
        ))
    }

    /// Adds `amountCents` to a card's balance (negative takes off), saying why in `note`.
    async fn adjust_gift_card(
        &self,
        ctx: &Context<'_>,
        id: ID,
        amount_cents: i64,
        note: String,
    ) -> ApiResult<GiftCard> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, GiftCardId::parse)?;
        Ok(GiftCard(
            services(ctx)
                .gift_cards
                .adjust(&staff, id, amount_cents, &note)
                .await?,
        ))
    }
}
