//! `POST /webhooks/stripe`: verified, idempotent per event id, acted on through the same
//! settlement as a direct gateway answer. Stripe retries on any non-2xx answer.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use marquee_domain::booking::{EventOutcome, GatewayEvent, GatewayEventKind};
use marquee_domain::payments::{ATTEMPT_METADATA, webhook};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::AppState;
use super::errors::coded;

/// Receives a Stripe event.
pub async fn stripe(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = &state.webhooks.secret else {
        return coded(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "webhooks are not configured (stripe_webhook_secret)",
        );
    };
    let Some(signature) = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return coded(
            StatusCode::BAD_REQUEST,
            "BAD_SIGNATURE",
            "the Stripe-Signature header is missing",
        );
    };
    let now = state.services.clock.now().timestamp();
    if let Err(e) = webhook::verify(
        secret.expose_secret().as_bytes(),
        signature,
        &body,
        now,
        state.webhooks.tolerance_secs,
    ) {
        return coded(StatusCode::BAD_REQUEST, "BAD_SIGNATURE", &e.to_string());
    }
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        return coded(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the event is not JSON",
        );
    };
    let Some(event) = parse(&event) else {
        return coded(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the event lacks an id, a type or a payment",
        );
    };
    match state.services.bookings.handle_gateway_event(event).await {
        Ok(outcome) => {
            let word = match outcome {
                EventOutcome::Processed => "processed",
                EventOutcome::Replayed => "replayed",
                EventOutcome::Ignored => "ignored",
            };
            (
                StatusCode::OK,
                axum::Json(json!({ "received": true, "outcome": word })),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "webhook handling failed; the gateway will retry");
            coded(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal error; it has been logged",
            )
        }
    }
}

/// The parts of a Stripe event we act on.
fn parse(event: &Value) -> Option<GatewayEvent> {
    let id = event["id"].as_str()?.to_owned();
    let kind = event["type"].as_str()?;
    let object = &event["data"]["object"];
    let (provider_ref, kind) = match kind {
        "payment_intent.succeeded" => (object["id"].as_str()?, GatewayEventKind::PaymentSucceeded),
        "payment_intent.payment_failed" => {
            let error = &object["last_payment_error"];
            let reason = error["decline_code"]
                .as_str()
                .or_else(|| error["code"].as_str())
                .unwrap_or("payment_failed");
            (
                object["id"].as_str()?,
                GatewayEventKind::PaymentFailed(reason.to_owned()),
            )
        }
        "charge.refunded" => (
            object["payment_intent"].as_str()?,
            GatewayEventKind::Refunded,
        ),
        other => (
            object["id"].as_str().unwrap_or_default(),
            GatewayEventKind::Other(other.to_owned()),
        ),
    };
    Some(GatewayEvent {
        id,
        kind,
        provider_ref: provider_ref.to_owned(),
        attempt_key: object["metadata"][ATTEMPT_METADATA]
            .as_str()
            .map(str::to_owned),
    })
}
