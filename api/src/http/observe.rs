//! Request metrics and the tracing span of each request (with its request id).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Span;

use super::AppState;

/// Counts and times each request by matched route.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe_http(
        &method,
        &path,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// One span per request, carrying the request id set by the request-id layer.
pub fn make_span(req: &axum::http::Request<axum::body::Body>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str())
        .unwrap_or_else(|| req.uri().path());
    tracing::info_span!("request", method = %req.method(), path, request_id)
}
