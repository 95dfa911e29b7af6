//! GraphQL subscriptions over WebSocket (`graphql-transport-ws`, and the older
//! `graphql-ws`), authenticated by the token in `connection_init`, within the limits of
//! [`WsLimits`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::GraphQLProtocol;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::Response;
use tracing::Instrument as _;

use super::AppState;
use super::client_ip::ClientIp;
use super::errors::coded;
use super::rate_limit::WsGate;
use super::ws_limits::{Connection, Refusal};
use super::ws_session;
use crate::graphql::auth::RequestAuth;
use crate::graphql::request_data;
use marquee_domain::accounts::AccountError;

/// Bytes read from a subscription connection at a time.
const WS_READ_BUFFER: usize = 4 * 1024;
/// Largest message a client may send (a `subscribe` with its query and variables).
const WS_MAX_MESSAGE: usize = 256 * 1024;

/// Upgrades to a subscription connection.
pub async fn upgrade(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    // Refuses an upgrade that names neither protocol.
    _protocol: GraphQLProtocol,
    ws: WebSocketUpgrade,
) -> Response {
    // Every connection counts, signed in or not, before it costs anything more.
    let admission = match state.ws_limits.admit(ip) {
        Ok(a) => a,
        Err(refusal) => {
            let why = match refusal {
                Refusal::PerIp => "too many open connections from this address",
                Refusal::Total => "the server has as many open connections as it takes",
            };
            return coded(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", why);
        }
    };
    // The connection's span, in the upgrade request's trace (its `traceparent` included);
    // each operation on the connection has a span inside it.
    let connection = tracing::info_span!("graphql.ws", client = %ip);
    let schema = state.schema.clone();
    let services = state.services.clone();
    let limits = state.ws_limits.clone();
    let metrics = state.metrics.clone();
    let parsed = state.parsed.clone();
    let groups = state.groups.clone();
    let rate_limits = state.rate_limits.clone();
    // Clients send a handful of small messages; tungstenite zero-fills the whole read
    // buffer before every read, so a large one costs every connection on every wake-up.
    ws.protocols(ALL_WEBSOCKET_PROTOCOLS)
        .read_buffer_size(WS_READ_BUFFER)
        .max_message_size(WS_MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            let _admission = admission;
            let opened = Instant::now();
            let conn = Connection::new(limits.max_subscriptions);
            let (init_conn, init_limits) = (conn.clone(), limits.clone());
            // The token the connection signed in with, re-checked while it stays open.
            let signed_in: Arc<Mutex<Option<String>>> = Arc::default();
            let (init_services, init_signed_in) = (services.clone(), signed_in.clone());
            let on_init: ws_session::OnInit = Box::new(move |payload| {
                let services = init_services;
                Box::pin(async move {
                    let token = ["token", "authorization", "Authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
                    let auth = RequestAuth::from_header(token.as_deref());
                    // A presented token must be valid: a client that thinks it is signed in
                    // should learn at once that it is not.
                    let user = if auth.has_token() {
                        match auth.principal(&services).await {
                            Ok(p) => Some(p.user_id),
                            Err(_) => return Err("invalid or expired token".to_owned()),
                        }
                    } else {
                        None
                    };
                    if let Some(u) = user
                        && !init_limits.enter(u)
                    {
                        return Err("too many open connections for this account".to_owned());
                    }
                    init_conn.initialized(user);
                    if user.is_some()
                        && let Ok(mut kept) = init_signed_in.lock()
                    {
                        *kept = auth.token().map(str::to_owned);
                    }
                    let (auth, loader) = request_data(&services, auth);
                    let mut data = Data::default();
                    data.insert(auth);
                    data.insert(loader);
                    data.insert(init_conn);
                    Ok(data)
                })
            });
            let gate = WsGate::new(rate_limits, ip, conn.clone());
            let serve = ws_session::serve(
                socket,
                schema,
                parsed,
                groups,
                metrics,
                gate,
                on_init,
                limits.max_subscriptions,
            );
            // Dropping the connection closes it: for a client that never introduces
            // itself, one that keeps a socket open without subscribing to anything, or one
            // whose token has ended since (log-out, password change, deleted account).
            let watchdog = async {
                let tick = std::cmp::min(limits.init_timeout, limits.idle_timeout) / 4;
                loop {
                    tokio::time::sleep(std::cmp::max(tick, Duration::from_millis(10))).await;
                    if let Some(why) = conn.overdue(opened, &limits) {
                        tracing::info!(reason = why, "closing a subscription connection");
                        return;
                    }
                    let token = signed_in.lock().ok().and_then(|t| t.clone());
                    if let Some(token) = token
                        && let Err(AccountError::Unauthenticated) =
                            services.accounts.authenticate(&token).await
                    {
                        tracing::info!("closing a subscription connection whose token ended");
                        return;
                    }
                }
            };
            tokio::select! {
                () = serve.instrument(connection) => {}
                () = watchdog => {}
            }
            if let Some(user) = conn.user() {
                limits.leave(user);
            }
        })
}

/// The limits, for the server's state.
pub fn limits(settings: &crate::config::Settings) -> Arc<super::ws_limits::WsLimits> {
    Arc::new(
        super::ws_limits::WsLimits::new(
            Duration::from_millis(settings.ws_init_timeout_ms),
            Duration::from_millis(settings.ws_idle_timeout_ms),
            settings.ws_max_subscriptions,
            settings.ws_max_connections_per_user,
        )
        .with_connection_caps(
            settings.ws_max_connections_per_ip,
            settings.ws_max_connections,
        ),
    )
}
