//! The help center: articles for everyone, a buyer's own tickets, and staff's queue.

use async_graphql::{Context, ID, InputObject, Object};
use marquee_domain::ids::{ArticleId, OrganisationId, TicketId, UserId};
use marquee_domain::support::QueueFilter;

use crate::graphql::auth::{principal, services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{HelpArticle, SupportTicket, TicketStatus};

/// `first` within 1..=`max`, or `BAD_USER_INPUT`.
pub(crate) fn bounded(first: Option<i32>, default: i32, max: i32) -> ApiResult<u64> {
    let first = first.unwrap_or(default);
    if !(1..=max).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("`first` must be between 1 and {max}"),
        ));
    }
    Ok(first as u64)
}

/// Which tickets the queue lists; every filter given must hold.
#[derive(InputObject, Default)]
pub struct SupportQueueFilter {
    /// In one of these statuses (all but closed when absent).
    pub statuses: Option<Vec<TicketStatus>>,
    /// Opened more than this many hours ago.
    pub older_than_hours: Option<i32>,
    /// Of this organisation.
    pub organisation_id: Option<ID>,
    /// Assigned to this member of staff.
    pub assignee_id: Option<ID>,
    /// Assigned to nobody.
    pub unassigned: Option<bool>,
    /// Unanswered past the first-response target.
    pub overdue: Option<bool>,
}

/// Help-center queries.
#[derive(Default)]
pub struct SupportQuery;

#[Object]
impl SupportQuery {
    /// Published help articles, optionally of one category.
    async fn help_articles(
        &self,
        ctx: &Context<'_>,
        category: Option<String>,
        first: Option<i32>,
    ) -> ApiResult<Vec<HelpArticle>> {
        let first = bounded(first, 50, 100)?;
        Ok(services(ctx)
            .support
            .articles(category, first)
            .await?
            .into_iter()
            .map(HelpArticle::from)
            .collect())
    }

    /// One published help article.
    async fn help_article(&self, ctx: &Context<'_>, id: ID) -> ApiResult<HelpArticle> {
        let id = ApiError::parse_id("id", &id, ArticleId::parse)?;
        Ok(services(ctx).support.article(id).await?.into())
    }

    /// Published help articles matching the words (typos forgiven), best first.
    async fn search_help(
        &self,
        ctx: &Context<'_>,
        query: String,
        category: Option<String>,
        first: Option<i32>,
    ) -> ApiResult<Vec<HelpArticle>> {
        let first = bounded(first, 10, 50)?;
        if query.chars().count() > 200 {
            return Err(ApiError::bad_input("query", "at most 200 characters"));
        }
        Ok(services(ctx)
            .support
            .search_articles(&query, category, first as usize)
            .await?
            .into_iter()
            .map(HelpArticle::from)
            .collect())
    }

    /// Every help article the caller manages, drafts included (staff).
    async fn staff_help_articles(&self, ctx: &Context<'_>) -> ApiResult<Vec<HelpArticle>> {
        let staff = staff(ctx).await?;
        Ok(services(ctx)
            .support
            .articles_for_staff(&staff)
            .await?
            .into_iter()
            .map(HelpArticle::from)
            .collect())
    }

    /// The caller's support tickets, newest first.
    async fn my_tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> ApiResult<Vec<SupportTicket>> {
        let who = principal(ctx).await?;
        let first = bounded(first, 20, 100)?;
        Ok(services(ctx)
            .support
            .my_tickets(&who, first)
            .await?
            .into_iter()
            .map(SupportTicket::for_buyer)
            .collect())
    }

    /// One of the caller's support tickets.
    async fn my_ticket(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SupportTicket> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("id", &id, TicketId::parse)?;
        Ok(SupportTicket::for_buyer(
            services(ctx).support.my_ticket(&who, id).await?,
        ))
    }

    /// The tickets the caller works on (their organisations'; every one for platform
    /// admins), oldest first.
    async fn support_queue(
        &self,
        ctx: &Context<'_>,
        filter: Option<SupportQueueFilter>,
        first: Option<i32>,
    ) -> ApiResult<Vec<SupportTicket>> {
        let staff = staff(ctx).await?;
        let limit = bounded(first, 50, 200)?;
        let f = filter.unwrap_or_default();
        let older_than = match f.older_than_hours {
            Some(h) if h < 0 => {
                return Err(ApiError::bad_input(
                    "olderThanHours",
                    "must not be negative",
                ));
            }
            Some(h) => Some(chrono::Duration::hours(i64::from(h))),
            None => None,
        };
        let filter = QueueFilter {
            statuses: f
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            older_than,
            organisation: f
                .organisation_id
                .map(|id| ApiError::parse_id("organisationId", &id, OrganisationId::parse))
                .transpose()?,
            assignee: f
                .assignee_id
                .map(|id| ApiError::parse_id("assigneeId", &id, UserId::parse))
                .transpose()?,
            unassigned: f.unassigned.unwrap_or(false),
            overdue: f.overdue.unwrap_or(false),
            limit,
        };
        Ok(services(ctx)
            .support
            .queue(&staff, filter)
            .await?
            .into_iter()
            .map(SupportTicket::for_staff)
            .collect())
    }

    /// One ticket the caller works on, with internal notes and the booking.
    async fn support_ticket(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SupportTicket> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, TicketId::parse)?;
        Ok(SupportTicket::for_staff(
            services(ctx).support.ticket_for_staff(&staff, id).await?,
        ))
    }
}
