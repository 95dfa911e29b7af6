//! `POST /fake-gateway/authenticate`: the embedded gateway's stand-in for Stripe's 3-D
//! Secure challenge page. A browser (or a test) answers the challenge of the payment named
//! by its client secret; the payment then reads as taken or failed at the gateway, and the
//! booking settles by `confirmCheckout`, a background pass, as with Stripe. Served only
//! with the embedded gateway: with a real one the route answers 404.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use marquee_domain::payments::{AuthenticateError, ChargeOutcome};
use serde_json::json;

use super::AppState;
use super::errors::{coded, not_found};

/// The challenge's answer.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Answer {
    client_secret: String,
    outcome: String,
}

/// Plays the buyer's answer to a 3-D Secure challenge.
pub async fn authenticate(State(state): State<AppState>, body: Bytes) -> Response {
    let Some(fake) = &state.fake_gateway else {
        return not_found().await;
    };
    let Ok(answer) = serde_json::from_slice::<Answer>(&body) else {
        return coded(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "send JSON {\"clientSecret\": \"…\", \"outcome\": \"succeed\" | \"fail\"}",
        );
    };
    let succeed = match answer.outcome.as_str() {
        "succeed" => true,
        "fail" => false,
        _ => {
            return coded(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "outcome must be succeed or fail",
            );
        }
    };
    match fake.authenticate(&answer.client_secret, succeed) {
        Ok(outcome) => {
            let status = match outcome {
                ChargeOutcome::Succeeded { .. } => "succeeded",
                _ => "failed",
            };
            (StatusCode::OK, axum::Json(json!({ "status": status }))).into_response()
        }
        Err(AuthenticateError::Unknown) => coded(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no payment has this client secret",
        ),
        Err(AuthenticateError::NotAwaiting) => coded(
            StatusCode::CONFLICT,
            "CONFLICT",
            "this payment is not awaiting authentication",
        ),
        Err(AuthenticateError::Gateway(e)) => {
            tracing::error!(error = %e, "the embedded gateway could not record an authentication");
            coded(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "the embedded gateway is unavailable",
            )
        }
    }
}
