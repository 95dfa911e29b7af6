//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP with coded errors for bodies that
//! are not JSON, too large, or not GraphQL at all.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{
    BatchRequest, BatchResponse, ErrorExtensionValues, Request, Response as GqlResponse,
    ServerError,
};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::client_ip::ClientIp;
use super::errors::coded;
use super::rate_limit::Refusal;
use super::turns::Turn;
use crate::graphql::auth::RequestAuth;
use crate::graphql::cost::Costs;
use crate::graphql::request_data_shared;
use crate::graphql::splice::Splices;

/// Most operations one batched request may carry.
const MAX_BATCH: usize = 20;

/// `POST /graphql` with a JSON body (one request or a batch).
pub async fn post(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return coded(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "request body is too large",
            );
        }
        Err(rejection) if super::serve::timed_out(&rejection) => {
            return coded(
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                "the request body did not arrive in time",
            );
        }
        Err(rejection) => return coded(rejection.status(), "BAD_REQUEST", &rejection.body_text()),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    if !content_type.starts_with("application/json")
        && !content_type.starts_with("application/graphql-response+json")
    {
        return coded(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as application/json",
        );
    }
    let batch = match decode(&body) {
        Ok(b) => b,
        Err(e) => {
            return coded(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("request body is not a GraphQL request in JSON: {e}"),
            );
        }
    };
    if let BatchRequest::Batch(items) = &batch
        && items.len() > MAX_BATCH
    {
        return coded(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            &format!("a batch must hold 1 to {MAX_BATCH} operations"),
        );
    }
    let auth = Arc::new(RequestAuth::from_header(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    ));
    let (single, reqs) = match batch {
        BatchRequest::Single(req) => (true, vec![req]),
        BatchRequest::Batch(reqs) => (false, reqs),
    };
    // Parsed once, counted against the rate limits as a whole, then executed.
    let parsed: Vec<_> = reqs
        .into_iter()
        .map(|req| {
            let doc = state.parsed.parse(&req.query);
            (req, doc)
        })
        .collect();
    if let Err(refusal) = admit(&state, ip, &auth, &parsed).await {
        return refusal.response();
    }
    let splices = Arc::new(Splices::default());
    let mut out = Vec::with_capacity(parsed.len());
    for (req, doc) in parsed {
        let _turn = take_turn(&state, &req, &doc).await;
        out.push(execute(&state, req, doc, auth.clone(), &splices).await);
    }
    let response = match out.pop() {
        Some(one) if single => BatchResponse::Single(one),
        last => {
            out.extend(last);
            BatchResponse::Batch(out)
        }
    };
    respond(&headers, response, &splices)
}

/// Charges the root fields of `requests` to the caller's rate limits.
async fn admit(
    state: &AppState,
    ip: std::net::IpAddr,
    auth: &RequestAuth,
    requests: &[(Request, Result<ExecutableDocument, ServerError>)],
) -> Result<(), Refusal> {
    if !state.rate_limits.enabled() {
        return Ok(());
    }
    let mut costs = Costs::default();
    for (req, doc) in requests {
        match doc {
            Ok(doc) => costs.add(doc, req.operation_name.as_deref(), &req.variables),
            Err(_) => costs.add_unreadable(),
        }
    }
    // A token that does not resolve is anonymous here (and refused when it runs).
    let user = if auth.has_token() {
        auth.principal(&state.services)
            .await
            .ok()
            .map(|p| p.user_id)
    } else {
        None
    };
    state.rate_limits.check(ip, user, &costs).await
}

/// A JSON object, or a non-empty array of objects, each with a string `query`. (serde
/// alone would read `[]` as a request with an empty query.)
fn decode(body: &[u8]) -> Result<BatchRequest, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let shape_ok = |v: &serde_json::Value| v.get("query").is_some_and(|q| q.is_string());
    let ok = match &value {
        serde_json::Value::Object(_) => shape_ok(&value),
        serde_json::Value::Array(items) => !items.is_empty() && items.iter().all(shape_ok),
        _ => false,
    };
    if !ok {
        return Err("expected {\"query\": \"…\"} or a non-empty array of them".into());
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// The query string of `GET /graphql`.
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

/// `GET /graphiql` (and `GET /graphql` without a query): GraphiQL, where it is switched on.
pub async fn graphiql(State(state): State<AppState>) -> Response {
    if !state.graphiql {
        return coded(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "GraphiQL is switched off here; send queries to /graphql",
        );
    }
    let page = GraphiQLSource::build()
        .endpoint("/graphql")
        .subscription_endpoint("/graphql/ws")
        .finish();
    Html(page).into_response()
}

/// `GET /graphql`: GraphiQL in a browser, or a query (never a mutation) from the URL.
pub async fn get(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    params: Query<GetParams>,
) -> Response {
    let Some(query) = params.0.query else {
        return graphiql(State(state)).await;
    };
    if let Ok(doc) = state.parsed.parse(&query) {
        let op = doc
            .operations
            .iter()
            .find(|(name, _)| match (&params.0.operation_name, name) {
                (Some(wanted), Some(name)) => wanted == name.as_str(),
                (None, _) => true,
                _ => false,
            });
        if op.is_some_and(|(_, op)| op.node.ty != OperationType::Query) {
            return coded(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "mutations and subscriptions need POST or WebSocket",
            );
        }
    }
    let mut req = Request::new(query);
    if let Some(name) = params.0.operation_name {
        req = req.operation_name(name);
    }
    if let Some(vars) = params.0.variables {
        match serde_json::from_str(&vars) {
            Ok(v) => req = req.variables(async_graphql::Variables::from_json(v)),
            Err(e) => {
                return coded(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    &format!("`variables` is not JSON: {e}"),
                );
            }
        }
    }
    let auth = Arc::new(RequestAuth::from_header(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    ));
    let doc = state.parsed.parse(&req.query);
    let parsed = [(req, doc)];
    if let Err(refusal) = admit(&state, ip, &auth, &parsed).await {
        return refusal.response();
    }
    let [(req, doc)] = parsed;
    let _turn = take_turn(&state, &req, &doc).await;
    let splices = Arc::new(Splices::default());
    let response = execute(&state, req, doc, auth, &splices).await;
    respond(&headers, BatchResponse::Single(response), &splices)
}

/// A turn to run the operation of `req` (none for a text that does not parse: it fails at
/// once).
async fn take_turn(
    state: &AppState,
    req: &Request,
    doc: &Result<ExecutableDocument, ServerError>,
) -> Option<Turn> {
    let doc = doc.as_ref().ok()?;
    state.turns.take(doc, req.operation_name.as_deref()).await
}

/// Runs one operation; errors that async-graphql raises without a code get one here.
async fn execute(
    state: &AppState,
    mut req: Request,
    doc: Result<ExecutableDocument, ServerError>,
    auth: Arc<RequestAuth>,
    splices: &Arc<Splices>,
) -> GqlResponse {
    match doc {
        Ok(doc) => req.set_parsed_query(doc),
        Err(err) => return GqlResponse::from_errors(vec![err]),
    }
    let (auth, loader) = request_data_shared(&state.services, auth);
    let req = req.data(auth).data(loader).data(splices.clone());
    let mut response = state.schema.execute(req).await;
    give_codes(&mut response);
    response
}

/// Gives a code to the errors async-graphql raised without one.
pub(super) fn give_codes(response: &mut GqlResponse) {
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            // Without a path the error came from validation (unknown field, depth or
            // complexity limit); with one, from coercing an argument.
            let code = if err.path.is_empty() {
                "GRAPHQL_VALIDATION_FAILED"
            } else {
                "BAD_USER_INPUT"
            };
            set_code(err, code);
        }
    }
}

fn set_code(err: &mut ServerError, code: &str) {
    err.extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
}

/// JSON response; with `Accept: application/graphql-response+json`, a request that never
/// executed (parse or validation failure) is a 400 without `data`, as the GraphQL-over-HTTP
/// spec asks.
fn respond(headers: &HeaderMap, response: BatchResponse, splices: &Splices) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let modern = accept.contains("application/graphql-response+json");
    let not_executed = match &response {
        BatchResponse::Single(r) => {
            r.data == async_graphql::Value::Null
                && !r.errors.is_empty()
                && r.errors.iter().all(|e| e.path.is_empty())
        }
        BatchResponse::Batch(_) => false,
    };
    let status = if modern && not_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let content_type = if modern {
        "application/graphql-response+json"
    } else {
        "application/json"
    };
    // A request that never ran has no `data` entry at all (the spec's SHOULD for the
    // modern media type); `application/json` clients keep the `data: null` they know.
    let body = if modern && not_executed {
        serde_json::to_value(&response).and_then(|mut value| {
            if let Some(fields) = value.as_object_mut() {
                fields.remove("data");
            }
            serde_json::to_string(&value)
        })
    } else {
        serde_json::to_string(&response).map(|body| splices.apply(body))
    };
    match body {
        Ok(body) => (status, [(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(_) => coded(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "response could not be encoded",
        ),
    }
}
