//! The payment gateway port: charge, look up and refund, with an idempotency key per
//! attempt. Adapters: a fake that honours Stripe's test payment methods (the embedded
//! default) and, for production, Stripe.

mod breaker;
mod fake;
mod stripe;
pub mod webhook;

pub use breaker::CircuitBreaker;
pub use fake::{AUTHENTICATION_FAILED, AuthenticateError, FakeBehaviour, FakeGateway};
pub use stripe::{ATTEMPT_METADATA, StripeGateway, StripeSettings};

use async_trait::async_trait;

/// A charge to make.
#[derive(Debug, Clone)]
pub struct ChargeRequest {
    /// Minor units.
    pub amount_cents: i64,
    /// ISO 4217, upper case.
    pub currency: String,
    /// The gateway's payment method id (`pm_card_visa`…).
    pub payment_method: String,
    /// The same key for every retry of this attempt.
    pub idempotency_key: String,
    /// Shown on statements and in the gateway's dashboard.
    pub description: String,
}

/// What the gateway said about a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    /// Money taken.
    Succeeded {
        /// The gateway's id of the payment.
        provider_ref: String,
    },
    /// The card was declined; nothing was taken.
    Declined {
        /// The gateway's id, when it made one.
        provider_ref: Option<String>,
        /// The decline code, for the buyer.
        reason: String,
    },
    /// Accepted but not settled yet (asynchronous methods).
    Processing {
        /// The gateway's id.
        provider_ref: String,
    },
    /// The buyer must authenticate (3-D Secure) in the browser before anything is taken.
    RequiresAction {
        /// The gateway's id.
        provider_ref: String,
        /// What the buyer's browser needs to run the authentication (Stripe.js).
        client_secret: ClientSecret,
    },
}

/// A payment's client secret: handed to its buyer only, never written to logs.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps the gateway's secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for its buyer.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

/// A refund to make.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The gateway's id of the payment.
    pub provider_ref: String,
    /// Minor units (at most the charged amount).
    pub amount_cents: i64,
    /// The same key for every retry of this refund.
    pub idempotency_key: String,
}

/// The outcome of a call is not known, or the request was refused outright.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// No answer in time: the charge may or may not have happened.
    #[error("the payment gateway did not answer in time")]
    Timeout,
    /// The gateway is down or answered with a server error: outcome unknown.
    #[error("the payment gateway is unavailable: {0}")]
    Unavailable(String),
    /// The gateway refused the request itself (unknown payment method, bad amount).
    #[error("the payment gateway refused the request: {0}")]
    Rejected(String),
}

impl GatewayError {
    /// Whether the money may have moved, so the attempt must be reconciled, not retried
    /// with a new key.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Timeout | Self::Unavailable(_))
    }
}

/// A payment service provider.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// `fake` or `stripe`, as stored on payments.
    fn name(&self) -> &'static str;

    /// Charges (or replays the charge of) `request.idempotency_key`.
    async fn charge(&self, request: ChargeRequest) -> Result<ChargeOutcome, GatewayError>;

    /// The state of an earlier attempt, for reconciliation, by its key or, once the
    /// gateway has named it, by its reference; `Ok(None)` if the gateway has never seen it.
    async fn lookup(
        &self,
        idempotency_key: &str,
        provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError>;

    /// Cancels an attempt still awaiting the buyer's authentication, so that nothing can
    /// be taken any more; the attempt's state afterwards (a payment that completed
    /// meanwhile stays succeeded), or `Ok(None)` if the gateway has never seen it.
    async fn cancel(
        &self,
        idempotency_key: &str,
        provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError>;

    /// Refunds part or all of a payment; returns the gateway's refund id.
    async fn refund(&self, request: RefundRequest) -> Result<String, GatewayError>;
}
