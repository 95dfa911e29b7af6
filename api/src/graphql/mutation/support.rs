//! The help center's writes: buyers open and answer tickets; staff assign, reply, note,
//! resolve and refund, and write help articles.

use async_graphql::{Context, ID, InputObject, Object};
use marquee_domain::ids::{ArticleId, BookingId, OrganisationId, TicketId, UserId};
use marquee_domain::support::ArticleInput;

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{HelpArticle, SupportMessage, SupportTicket, TicketRefund};

/// A new support ticket.
#[derive(InputObject)]
pub struct OpenTicketInput {
    /// One line.
    pub subject: String,
    /// The first message.
    pub body: String,
    /// One of the caller's bookings, when it is about one.
    pub booking_id: Option<ID>,
}

/// What a help article says.
#[derive(InputObject)]
pub struct HelpArticleInput {
    /// `refunds`, `lost-tickets`, `accessibility`, `payments`, `account` or `other`.
    pub category: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Shown to buyers and searchable.
    pub published: bool,
}

impl From<HelpArticleInput> for ArticleInput {
    fn from(i: HelpArticleInput) -> Self {
        Self {
            category: i.category,
            title: i.title,
            body: i.body,
            published: i.published,
        }
    }
}

fn ticket_id(id: &ID) -> ApiResult<TicketId> {
    ApiError::parse_id("ticketId", id, TicketId::parse)
}

/// Help-center mutations.
#[derive(Default)]
pub struct SupportMutation;

#[Object]
impl SupportMutation {
    /// Opens a ticket for the caller.
    async fn open_ticket(
        &self,
        ctx: &Context<'_>,
        input: OpenTicketInput,
    ) -> ApiResult<SupportTicket> {
        let who = principal(ctx).await?;
        let booking = input
            .booking_id
            .map(|id| ApiError::parse_id("bookingId", &id, BookingId::parse))
            .transpose()?;
        Ok(SupportTicket::for_buyer(
            services(ctx)
                .support
                .open(&who, &input.subject, &input.body, booking)
                .await?,
        ))
    }

    /// The caller answers in their ticket (which goes back to staff).
    async fn add_ticket_message(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        body: String,
    ) -> ApiResult<SupportMessage> {
        let who = principal(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        Ok(services(ctx)
            .support
            .add_message(&who, id, &body)
            .await?
            .into())
    }

    /// Staff answer the buyer (by inbox and email).
    async fn reply_to_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        body: String,
    ) -> ApiResult<SupportMessage> {
        let staff = staff(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        Ok(services(ctx).support.reply(&staff, id, &body).await?.into())
    }

    /// Staff add a note the buyer never sees.
    async fn add_ticket_note(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        body: String,
    ) -> ApiResult<SupportMessage> {
        let staff = staff(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        Ok(services(ctx).support.note(&staff, id, &body).await?.into())
    }

    /// Staff hand the ticket to a colleague (or to nobody, with a null assignee).
    async fn assign_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        assignee_id: Option<ID>,
    ) -> ApiResult<SupportTicket> {
        let staff = staff(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        let assignee = assignee_id
            .map(|a| ApiError::parse_id("assigneeId", &a, UserId::parse))
            .transpose()?;
        Ok(SupportTicket::for_staff(
            services(ctx).support.assign(&staff, id, assignee).await?,
        ))
    }

    /// Staff mark the ticket resolved (closed after the configured wait).
    async fn resolve_ticket(&self, ctx: &Context<'_>, ticket_id: ID) -> ApiResult<SupportTicket> {
        let staff = staff(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        Ok(SupportTicket::for_staff(
            services(ctx).support.resolve(&staff, id).await?,
        ))
    }

    /// Staff cancel the ticket's booking and refund `amountCents` (its total when absent),
    /// within their refund limit.
    async fn refund_from_ticket(
        &self,
        ctx: &Context<'_>,
        ticket_id: ID,
        amount_cents: Option<i64>,
    ) -> ApiResult<TicketRefund> {
        let staff = staff(ctx).await?;
        let id = self::ticket_id(&ticket_id)?;
        let (ticket, booking) = services(ctx)
            .support
            .refund(&staff, id, amount_cents)
            .await?;
        Ok(TicketRefund { ticket, booking })
    }

    /// Writes a help article: the platform's (platform admins) or an organisation's (its
    /// managers).
    async fn create_help_article(
        &self,
        ctx: &Context<'_>,
        organisation_id: Option<ID>,
        input: HelpArticleInput,
    ) -> ApiResult<HelpArticle> {
        let staff = staff(ctx).await?;
        let organisation = organisation_id
            .map(|id| ApiError::parse_id("organisationId", &id, OrganisationId::parse))
            .transpose()?;
        Ok(services(ctx)
            .support
            .create_article(&staff, organisation, input.into())
            .await?
            .into())
    }

    /// Rewrites a help article (publishing or withdrawing it too).
    async fn update_help_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: HelpArticleInput,
    ) -> ApiResult<HelpArticle> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, ArticleId::parse)?;
        Ok(services(ctx)
            .support
            .update_article(&staff, id, input.into())
            .await?
            .into())
    }
}
