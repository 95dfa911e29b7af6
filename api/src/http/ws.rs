//! GraphQL subscriptions over WebSocket (`graphql-transport-ws`, and the older
//! `graphql-ws`), authenticated by the token in `connection_init`.

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;

use super::AppState;
use crate::graphql::auth::RequestAuth;
use crate::graphql::request_data;

/// Upgrades to a subscription connection.
pub async fn upgrade(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    ws: WebSocketUpgrade,
) -> Response {
    let schema = state.schema.clone();
    let services = state.services.clone();
    ws.protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = ["token", "authorization", "Authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
                    let auth = RequestAuth::from_header(token.as_deref());
                    // A presented token must be valid: a client that thinks it is signed in
                    // should learn at once that it is not.
                    if auth.has_token() && auth.principal(&services).await.is_err() {
                        return Err(async_graphql::Error::new("invalid or expired token"));
                    }
                    let (auth, loader) = request_data(&services, auth);
                    let mut data = Data::default();
                    data.insert(auth);
                    data.insert(loader);
                    Ok(data)
                })
                .serve()
        })
}
