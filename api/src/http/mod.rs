//! The HTTP surface: routes, middleware, and coded JSON errors for everything that fails
//! before GraphQL runs.

mod alerts;
mod analytics;
pub mod client_ip;
mod errors;
mod fake_gateway;
mod graphql;
mod health;
mod observe;
pub mod rate_limit;
pub mod serve;
mod support_inbound;
pub mod turns;
pub mod web_app;
mod webhooks;
mod ws;
mod ws_groups;
pub mod ws_limits;
mod ws_session;

pub use ws_groups::Groups;

pub use ws::limits as ws_limits_of;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::CorsLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::graphql::AppSchema;
use crate::graphql::parsed::ParsedQueries;
use crate::metrics::Metrics;
use marquee_domain::Services;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema.
    pub schema: AppSchema,
    /// Domain services.
    pub services: Arc<Services>,
    /// Metric families.
    pub metrics: Arc<Metrics>,
    /// Webhook verification.
    pub webhooks: WebhookSettings,
    /// Subscription connection limits.
    pub ws_limits: Arc<ws_limits::WsLimits>,
    /// Operation texts parsed once, for HTTP and subscriptions alike.
    pub parsed: Arc<ParsedQueries>,
    /// GraphQL operations over HTTP executed at once.
    pub turns: Arc<turns::Turns>,
    /// Identical seat-map subscriptions, executed once each.
    pub groups: Arc<Groups>,
    /// Whether `GET /graphql` serves GraphiQL.
    pub graphiql: bool,
    /// The built web app served at `/`.
    pub web: Arc<web_app::WebApp>,
    /// Rate limits of GraphQL requests, by client address and account.
    pub rate_limits: Arc<rate_limit::RateLimits>,
    /// The embedded payment gateway, when it is the configured one (its stand-in for the
    /// 3-D Secure challenge page is served only then).
    pub fake_gateway: Option<Arc<marquee_domain::payments::FakeGateway>>,
}

impl axum::extract::FromRef<AppState> for Arc<client_ip::TrustedProxies> {
    fn from_ref(state: &AppState) -> Self {
        state.rate_limits.trusted.clone()
    }
}

/// How gateway webhooks are verified.
#[derive(Clone)]
pub struct WebhookSettings {
    /// The endpoint's signing secret; without one, webhooks are refused.
    pub secret: Option<secrecy::SecretString>,
    /// Largest accepted age of a signature.
    pub tolerance_secs: i64,
    /// Signing key of inbound support mail; without one, it is refused.
    pub support_inbound_secret: Option<secrecy::SecretString>,
}

/// The full router.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/graphiql", get(graphql::graphiql))
        .route("/analytics", get(analytics::report))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/webhooks/stripe", axum::routing::post(webhooks::stripe))
        .route("/alerts/unsubscribe", get(alerts::unsubscribe))
        .route(
            "/support/inbound",
            axum::routing::post(support_inbound::receive),
        )
        .route(
            "/fake-gateway/authenticate",
            axum::routing::post(fake_gateway::authenticate),
        )
        .fallback(web_app::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::record,
        ))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(TraceLayer::new_for_http().make_span_with(observe::make_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(CorsLayer::permissive())
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .with_state(state)
}
