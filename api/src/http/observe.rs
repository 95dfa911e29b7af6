//! Request metrics and the tracing span of each request (with its request id), which
//! continues the caller's trace when the request carries a W3C `traceparent`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::trace::TraceContextExt as _;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

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
    let mut response = next.run(req).await;
    // The request's own span, so that a caller can find its trace (traces on only).
    if let Some(traceparent) = marquee_domain::trace::current()
        && let Ok(value) = HeaderValue::from_str(&traceparent)
    {
        response.headers_mut().insert("traceparent", value);
    }
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
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str());
    let path = route.unwrap_or_else(|| req.uri().path());
    // Named by route, as OpenTelemetry asks: the web app's paths (any path at all) would
    // make a name per URL.
    let name = match route {
        Some(route) => format!("{} {route}", req.method()),
        None => req.method().to_string(),
    };
    let span = tracing::info_span!(
        "request",
        otel.name = %name,
        otel.kind = "server",
        method = %req.method(),
        path,
        request_id
    );
    // `traceparent` and `tracestate`; with traces off the propagator reads nothing.
    let caller = opentelemetry::global::get_text_map_propagator(|p| {
        p.extract(&opentelemetry_http::HeaderExtractor(req.headers()))
    });
    if caller.span().span_context().is_remote() {
        let _ = span.set_parent(caller);
    }
    span
}
