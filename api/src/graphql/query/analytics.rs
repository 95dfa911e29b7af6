//! Sales reports for organisation managers (and platform admins).

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use marquee_domain::analytics::{Granularity, GroupBy, ReportQuery};
use marquee_domain::ids::OrganisationId;

use crate::graphql::auth::{services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{ReportGranularity, ReportGroupBy, SalesReportRow};

/// Analytics queries.
#[derive(Default)]
pub struct AnalyticsQuery;

/// The report asked for, checked (the period on whole hours, forward, not too long).
pub(crate) fn report_query(
    organisation_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    granularity: Granularity,
    group_by: GroupBy,
) -> ApiResult<ReportQuery> {
    let org = ApiError::parse_id("organisationId", organisation_id, OrganisationId::parse)?;
    Ok(ReportQuery::new(org, from, to, granularity, group_by)?)
}

#[Object]
impl AnalyticsQuery {
    /// Sales of an organisation's theatres from `from` (inclusive) to `to` (exclusive),
    /// both on whole UTC hours, per hour, day or the whole period, and per theatre,
    /// screen, movie, event, showtime or the organisation as a whole (managers of the
    /// organisation and platform admins). Rows with no activity are left out; groups'
    /// names are read only when `groupName` is asked for.
    async fn sales_report(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default_with = "ReportGranularity::Day")] granularity: ReportGranularity,
        #[graphql(default_with = "ReportGroupBy::Organisation")] group_by: ReportGroupBy,
    ) -> ApiResult<Vec<SalesReportRow>> {
        let staff = staff(ctx).await?;
        let query = report_query(
            &organisation_id,
            from,
            to,
            granularity.into(),
            group_by.into(),
        )?;
        let analytics = &services(ctx).analytics;
        let rows = if ctx.look_ahead().field("groupName").exists() {
            analytics.sales_report(&staff, &query).await?
        } else {
            analytics.sales_figures(&staff, &query).await?
        };
        Ok(rows.into_iter().map(SalesReportRow::from).collect())
    }
}
