//! Gift cards: staff's list with history, and a buyer's balance check.

use async_graphql::{Context, ID, Object};
use marquee_domain::gift_cards::{GiftCardCode, MAX_LISTED};
use marquee_domain::ids::OrganisationId;

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{GiftCard, GiftCardBalance};

/// Gift card queries.
#[derive(Default)]
pub struct GiftCardQuery;

#[Object]
impl GiftCardQuery {
    /// An organisation's gift cards, newest first, with their history (its managers and
    /// platform admins).
    #[graphql(complexity = "complexity::page(first, 100, 500, child_complexity)")]
    async fn gift_cards(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        first: Option<i32>,
    ) -> ApiResult<Vec<GiftCard>> {
        let staff = staff(ctx).await?;
        let org = ApiError::parse_id("organisationId", &organisation_id, OrganisationId::parse)?;
        let first = match first {
            None => 100,
            Some(n) if (1..=MAX_LISTED as i32).contains(&n) => n as u64,
            Some(_) => {
                return Err(ApiError::bad_input(
                    "first",
                    format!("give 1 to {MAX_LISTED}"),
                ));
            }
        };
        Ok(services(ctx)
            .gift_cards
            .list(&staff, org, first)
            .await?
            .into_iter()
            .map(GiftCard)
            .collect())
    }

    /// The balance of a gift card code, for a signed-in buyer (rate-limited: codes are
    /// guessable only by trying). An unknown code is `NOT_FOUND`.
    async fn gift_card_balance(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> ApiResult<GiftCardBalance> {
        principal(ctx).await?;
        let code = GiftCardCode::parse(&code)?;
        Ok(GiftCardBalance(
            services(ctx).gift_cards.balance(&code).await?,
        ))
    }
}
