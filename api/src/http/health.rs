use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;

/// How long a scrape waits for the queue depths.
const QUEUE_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Liveness: the process answers.
pub async fn healthz() -> Response {
    (StatusCode::OK, axum::Json(json!({ "status": "ok" }))).into_response()
}

/// Readiness: the database (and Redis, when configured) answer. Why a check failed goes
/// to the log, not to the public: a driver's message can name hosts, ports and users.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let r = state.services.readiness().await;
    let show = |check: &str, res: &Result<(), String>| match res {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!(check, error = %e, "readiness check failed");
            "error"
        }
    };
    let mut checks = serde_json::Map::new();
    checks.insert("database".into(), show("database", &r.database).into());
    if let Some(redis) = &r.redis {
        checks.insert("redis".into(), show("redis", redis).into());
    }
    let (status, word) = if r.is_ready() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (
        status,
        axum::Json(json!({ "status": word, "checks": checks })),
    )
        .into_response()
}

/// The metrics in the OpenMetrics text format, under its own content type: served as the
/// classic `text/plain` format, a parser would take `# TYPE x counter` to name a metric
/// `x` and then not match its `x_total` samples.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let services = &state.services;
    // A scrape must answer while the database does not: its gauges then show NaN.
    let backlog = tokio::time::timeout(
        QUEUE_READ_TIMEOUT,
        marquee_domain::backlog::read(&services.monitor_db, &services.clock),
    )
    .await;
    let backlog = match backlog {
        Ok(Ok(b)) => Some(b),
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "queue depths unread");
            None
        }
        Err(_) => None,
    };
    state.metrics.queues().record(backlog, &services.reads);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
