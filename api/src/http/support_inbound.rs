//! `POST /support/inbound`: a buyer's emailed answer to a support reply, as the inbound-mail
//! service posts it (Mailgun's route forward, `application/x-www-form-urlencoded`), signed
//! with the configured key. Mailgun retries on 5xx and gives up on 406, so a message that
//! can never be placed (unknown ticket, wrong sender, closed ticket) answers 406.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use marquee_domain::Classify;
use marquee_domain::ErrorKind;
use marquee_domain::support::SupportError;
use marquee_domain::support::inbound::{InboundMail, verify_signature};
use secrecy::ExposeSecret;
use serde_json::json;

use super::AppState;
use super::errors::coded;

/// Receives one inbound message.
pub async fn receive(
    State(state): State<AppState>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(secret) = &state.webhooks.support_inbound_secret else {
        return coded(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "inbound mail is not configured (support_inbound_secret)",
        );
    };
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| form.get(*n).filter(|v| !v.trim().is_empty()))
            .cloned()
            .unwrap_or_default()
    };
    let now = state.services.clock.now().timestamp();
    if let Err(e) = verify_signature(
        secret.expose_secret().as_bytes(),
        &field(&["timestamp"]),
        &field(&["token"]),
        &field(&["signature"]),
        now,
        state.webhooks.tolerance_secs,
    ) {
        return coded(StatusCode::UNAUTHORIZED, "BAD_SIGNATURE", &e.to_string());
    }
    let mail = InboundMail {
        recipients: field(&["recipient", "To", "to"]),
        sender: field(&["sender", "from", "From"]),
        text: field(&["stripped-text", "body-plain", "text"]),
    };
    match state.services.support.receive_email(mail).await {
        Ok(message) => (
            StatusCode::OK,
            axum::Json(json!({ "received": true, "messageId": message.id })),
        )
            .into_response(),
        Err(e) => refusal(&e),
    }
}

fn refusal(e: &SupportError) -> Response {
    match e.kind() {
        ErrorKind::NotFound => coded(StatusCode::NOT_ACCEPTABLE, "NOT_FOUND", &e.to_string()),
        ErrorKind::Forbidden => coded(StatusCode::NOT_ACCEPTABLE, "FORBIDDEN", &e.to_string()),
        ErrorKind::Conflict => coded(StatusCode::NOT_ACCEPTABLE, "CONFLICT", &e.to_string()),
        ErrorKind::BadInput => coded(StatusCode::NOT_ACCEPTABLE, "BAD_USER_INPUT", &e.to_string()),
        _ => {
            tracing::error!(error = ?e, "inbound support mail failed; the mail service will retry");
            coded(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal error; it has been logged",
            )
        }
    }
}
