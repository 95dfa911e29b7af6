//! `GET /analytics`: a sales report as CSV (or JSON), for spreadsheets and scripts. The same
//! report, scope and figures as the `salesReport` query; the bearer token in
//! `Authorization`.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use marquee_domain::analytics::{Granularity, GroupBy, ReportQuery, ReportRow};
use marquee_domain::ids::OrganisationId;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::graphql::auth::RequestAuth;
use crate::graphql::error::{ApiError, ApiResult};

/// The query string.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    organisation_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    granularity: Option<String>,
    group_by: Option<String>,
    format: Option<String>,
}

/// The column names of the CSV, in row order.
const HEADER: &str = "bucket,group_id,tickets_sold,tickets_returned,gross_cents,refund_cents,\
net_cents,fee_cents,discount_cents,promotion_uses,holds_placed,checkouts_started,\
confirmations,holds_lapsed,payment_failures,cancellations,waiting_room_admissions,\
waiting_room_entries,sellable_seats,occupancy,average_price_cents,group_name";

/// Answers a report, or an error with its GraphQL code and a matching HTTP status.
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    match answer(&state, &headers, params).await {
        Ok(response) => response,
        Err(e) => {
            let status = match e.code() {
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "SERVICE_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (
                status,
                axum::Json(json!({ "error": { "code": e.code(), "message": e.message() } })),
            )
                .into_response()
        }
    }
}

async fn answer(state: &AppState, headers: &HeaderMap, params: Params) -> ApiResult<Response> {
    let auth = RequestAuth::from_header(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    );
    let principal = auth.principal(&state.services).await?;
    let staff = state.services.organisations.staff(principal).await?;
    let csv = match params.format.as_deref() {
        None | Some("csv") => true,
        Some("json") => false,
        Some(_) => return Err(ApiError::bad_input("format", "must be csv or json")),
    };
    let query = parse(&params)?;
    let rows = state
        .services
        .analytics
        .sales_report(&staff, &query)
        .await?;
    Ok(if csv {
        let mut body = String::with_capacity(64 * (rows.len() + 1));
        body.push_str(HEADER);
        body.push('\n');
        for r in &rows {
            body.push_str(&csv_line(r));
            body.push('\n');
        }
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"sales-report.csv\"",
                ),
            ],
            body,
        )
            .into_response()
    } else {
        let cols: Vec<&str> = HEADER.split(',').collect();
        let json_rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let line = csv_line(r);
                let obj: serde_json::Map<String, serde_json::Value> = cols
                    .iter()
                    .zip(line.split(','))
                    .map(|(c, v)| {
                        let value = serde_json::from_str(v).unwrap_or_else(|_| json!(v));
                        ((*c).to_owned(), value)
                    })
                    .collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        axum::Json(json!({ "rows": json_rows })).into_response()
    })
}

fn parse(p: &Params) -> ApiResult<ReportQuery> {
    let org = p
        .organisation_id
        .as_deref()
        .ok_or_else(|| ApiError::bad_input("organisationId", "is required"))?;
    let org = ApiError::parse_id("organisationId", org, OrganisationId::parse)?;
    let time = |field: &str, v: Option<&str>| -> ApiResult<DateTime<Utc>> {
        let v = v.ok_or_else(|| ApiError::bad_input(field, "is required"))?;
        DateTime::parse_from_rfc3339(v)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError::bad_input(field, "must be an RFC 3339 time"))
    };
    let granularity = match p
        .granularity
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("day") => Granularity::Day,
        Some("hour") => Granularity::Hour,
        Some("period") => Granularity::Period,
        Some(_) => {
            return Err(ApiError::bad_input(
                "granularity",
                "must be hour, day or period",
            ));
        }
    };
    let group_by = match p
        .group_by
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("organisation") => GroupBy::Organisation,
        Some("theatre") => GroupBy::Theatre,
        Some("screen") => GroupBy::Screen,
        Some("movie") => GroupBy::Movie,
        Some("event") => GroupBy::Event,
        Some("showtime") => GroupBy::Showtime,
        Some(_) => {
            return Err(ApiError::bad_input(
                "groupBy",
                "must be organisation, theatre, screen, movie, event or showtime",
            ));
        }
    };
    Ok(ReportQuery::new(
        org,
        time("from", p.from.as_deref())?,
        time("to", p.to.as_deref())?,
        granularity,
        group_by,
    )?)
}

/// A text field as CSV writes it: quoted, quotes doubled; a leading formula sign is
/// escaped so that a spreadsheet shows a name, never runs it.
fn csv_text(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// One row, in [`HEADER`] order.
fn csv_line(r: &ReportRow) -> String {
    let f = &r.figures;
    let group = r.group_id.map(|g| g.to_string()).unwrap_or_default();
    format!(
        "{},{group},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.4},{},{}",
        r.bucket.to_rfc3339(),
        f.tickets_sold,
        f.tickets_returned,
        f.gross_cents,
        f.refund_cents,
        f.net_cents(),
        f.fee_cents,
        f.discount_cents,
        f.promotion_uses,
        f.holds_placed,
        f.checkouts_started,
        f.confirmations,
        f.holds_lapsed,
        f.payment_failures,
        f.cancellations,
        f.waiting_room_admissions,
        f.waiting_room_entries,
        r.sellable_seats,
        r.occupancy(),
        r.average_price_cents(),
        csv_text(r.group_name.as_deref().unwrap_or_default()),
    )
}
