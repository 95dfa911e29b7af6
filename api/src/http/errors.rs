//! GraphQL-shaped JSON error bodies for failures outside GraphQL execution.

use std::any::Any;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `{"errors":[{"message":…,"extensions":{"code":…}}]}` with `status`.
pub fn coded(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Unknown routes.
pub async fn not_found() -> Response {
    coded(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no such route; GraphQL is served at /graphql",
    )
}

/// A panic is a bug: the client gets a coded 500, the log gets the message.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "handler panicked");
    coded(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        "internal error; it has been logged",
    )
}
