//! The unsubscribe link of "now on sale" emails: one click ends the alert, no sign-in.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use marquee_domain::alerts::AlertError;
use serde::Deserialize;

use super::AppState;

/// `?token=…`.
#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    token: Option<String>,
}

fn page(status: StatusCode, message: &str) -> Response {
    (
        status,
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Marquee alerts</title></head><body><p>{message}</p></body></html>"
        )),
    )
        .into_response()
}

/// `GET /alerts/unsubscribe?token=…`.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Response {
    let token = q.token.unwrap_or_default();
    match state.services.alerts.unsubscribe(&token).await {
        Ok(_) => page(StatusCode::OK, "You are unsubscribed from this alert."),
        Err(AlertError::NotFound(_) | AlertError::Invalid { .. }) => {
            page(StatusCode::NOT_FOUND, "This unsubscribe link is not valid.")
        }
        Err(e) => {
            tracing::error!(error = %e, "unsubscribing from an alert failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "We could not unsubscribe you just now; please try the link again shortly.",
            )
        }
    }
}
