//! The production payment gateway: Stripe PaymentIntents, confirmed at creation with the
//! buyer's payment method, through the Rust Stripe client.
//!
//! Every call of one attempt carries the attempt's idempotency key, so a retry after a
//! timeout, a 5xx or a rate limit can never charge twice; Stripe replays its first answer.
//! The attempt's key is also stored in the intent's metadata (`marquee_attempt`), which is
//! how reconciliation and webhooks find an intent whose creation answer was lost.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError};
use stripe_client_core::{RequestBuilder, StripeMethod, StripeRequest};
use stripe_core::payment_intent::{ListPaymentIntent, RetrievePaymentIntent, SearchPaymentIntent};
use stripe_core::refund::CreateRefund;

use super::{
    ChargeOutcome, ChargeRequest, ClientSecret, GatewayError, PaymentGateway, RefundRequest,
};

/// The metadata key holding the attempt's idempotency key.
pub const ATTEMPT_METADATA: &str = "marquee_attempt";
/// How many recent intents a lookup scans when the account cannot search.
const LIST_SCAN_LIMIT: usize = 1000;

/// How to reach Stripe.
#[derive(Debug, Clone)]
pub struct StripeSettings {
    /// `sk_live_…` or `sk_test_…`.
    pub secret_key: SecretString,
    /// The API's base URL; Stripe's own when `None`.
    pub api_base: Option<String>,
    /// The longest wait for one HTTP answer.
    pub timeout: Duration,
    /// Tries per call (the first one included) on timeouts, 5xx, 409 and 429.
    pub max_tries: u32,
    /// The first pause between two tries; it doubles after each.
    pub backoff: Duration,
}

/// The Stripe adapter.
#[derive(Debug, Clone)]
pub struct StripeGateway {
    client: Client,
    settings: StripeSettings,
}

/// The fields of a PaymentIntent that settle a booking.
#[derive(Debug, miniserde::Deserialize)]
struct Intent {
    id: String,
    status: String,
    last_payment_error: Option<LastError>,
    metadata: Option<BTreeMap<String, String>>,
    client_secret: Option<String>,
}

#[derive(Debug, miniserde::Deserialize)]
struct LastError {
    code: Option<String>,
    decline_code: Option<String>,
}

#[derive(Debug, miniserde::Deserialize)]
struct IntentList {
    data: Vec<Intent>,
    has_more: Option<bool>,
}

#[derive(Debug, miniserde::Deserialize)]
struct Created {
    id: String,
}

/// The PaymentIntent creation form. `payment_method_types` keeps a server-side
/// confirmation free of redirects (no `return_url` needed), and emulators accept it.
#[derive(serde::Serialize)]
struct CreateIntent<'a> {
    amount: i64,
    currency: String,
    payment_method: &'a str,
    confirm: bool,
    payment_method_types: [&'a str; 1],
    metadata: BTreeMap<&'a str, &'a str>,
}

impl Intent {
    fn outcome(self) -> ChargeOutcome {
        match self.status.as_str() {
            "succeeded" => ChargeOutcome::Succeeded {
                provider_ref: self.id,
            },
            "processing" | "requires_capture" => ChargeOutcome::Processing {
                provider_ref: self.id,
            },
            // The buyer must authenticate (3-D Secure) in the browser with the intent's
            // client secret; Stripe.js confirms an intent left to confirm the same way.
            // Nothing is taken until then.
            "requires_action" | "requires_confirmation" => match self.client_secret {
                Some(secret) => ChargeOutcome::RequiresAction {
                    provider_ref: self.id,
                    client_secret: ClientSecret::new(secret),
                },
                None => ChargeOutcome::Processing {
                    provider_ref: self.id,
                },
            },
            "canceled" => ChargeOutcome::Declined {
                provider_ref: Some(self.id),
                reason: "canceled".into(),
            },
            // Created but never confirmed, or confirmed and declined (a failed
            // authentication comes back here, with `payment_intent_authentication_failure`).
            _ => match self.last_payment_error {
                Some(e) => ChargeOutcome::Declined {
                    provider_ref: Some(self.id),
                    reason: e
                        .decline_code
                        .or(e.code)
                        .unwrap_or_else(|| "card_declined".into()),
                },
                None => ChargeOutcome::Processing {
                    provider_ref: self.id,
                },
            },
        }
    }

    fn is_attempt(&self, key: &str) -> bool {
        self.metadata
            .as_ref()
            .and_then(|m| m.get(ATTEMPT_METADATA))
            .is_some_and(|k| k == key)
    }
}

/// What one call ended with, before it becomes a [`GatewayError`].
enum Failure {
    /// Worth another try with the same key.
    Transient(GatewayError),
    /// Final.
    Final(GatewayError),
    /// A card error: the charge was declined.
    Declined(ChargeOutcome),
    /// Stripe has no such object.
    NotFound,
}

fn classify(error: StripeError) -> Failure {
    match error {
        StripeError::Timeout => Failure::Transient(GatewayError::Timeout),
        StripeError::ClientError(e) => Failure::Transient(GatewayError::Unavailable(e)),
        // A body that is not Stripe's: a proxy's error page, a cut connection.
        StripeError::JSONDeserialize(e) => Failure::Transient(GatewayError::Unavailable(e)),
        StripeError::ConfigError(e) => Failure::Final(GatewayError::Rejected(e)),
        StripeError::Stripe(api, status) => {
            let message = api
                .message
                .clone()
                .unwrap_or_else(|| format!("HTTP {status}"));
            match status {
                402 => Failure::Declined(ChargeOutcome::Declined {
                    provider_ref: api.payment_intent.as_ref().map(|pi| pi.id.to_string()),
                    reason: api
                        .decline_code
                        .clone()
                        .or_else(|| api.code.as_ref().map(|c| c.to_string()))
                        .unwrap_or_else(|| "card_declined".into()),
                }),
                404 => Failure::NotFound,
                // 409: the same key is in flight elsewhere; 429: rate limited (nothing done).
                409 | 429 => Failure::Transient(GatewayError::Unavailable(format!(
                    "HTTP {status}: {message}"
                ))),
                s if s >= 500 => Failure::Transient(GatewayError::Unavailable(format!(
                    "HTTP {status}: {message}"
                ))),
                _ => Failure::Final(GatewayError::Rejected(message)),
            }
        }
    }
}

impl StripeGateway {
    /// A client for `settings`.
    pub fn new(settings: StripeSettings) -> Result<Self, GatewayError> {
        let mut builder = ClientBuilder::new(settings.secret_key.expose_secret())
            .timeout(settings.timeout)
            .app_info("marquee", Some(env!("CARGO_PKG_VERSION").into()), None);
        if let Some(base) = &settings.api_base {
            // The client appends `v1/…` to the base as written.
            let base = if base.ends_with('/') {
                base.clone()
            } else {
                format!("{base}/")
            };
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| GatewayError::Rejected(e.to_string()))?;
        Ok(Self { client, settings })
    }

    /// Sends `request` until it gets a final answer or runs out of tries, with the same
    /// idempotency key every time.
    async fn send<T: miniserde::Deserialize>(
        &self,
        request: impl Fn() -> RequestBuilder,
        key: Option<&str>,
    ) -> Result<T, Failure> {
        let strategy = match key {
            Some(k) => RequestStrategy::Idempotent(
                IdempotencyKey::new(k)
                    .map_err(|e| Failure::Final(GatewayError::Rejected(e.to_string())))?,
            ),
            None => RequestStrategy::Once,
        };
        let mut pause = self.settings.backoff;
        let mut tries = 0;
        loop {
            tries += 1;
            let answer = request()
                .customize::<T>()
                .request_strategy(strategy.clone())
                .send(&self.client)
                .await;
            match answer.map_err(classify) {
                Err(Failure::Transient(e)) if tries < self.settings.max_tries => {
                    tracing::warn!(error = %e, tries, "stripe call failed; retrying with the same key");
                    tokio::time::sleep(pause).await;
                    pause = pause.saturating_mul(2);
                }
                other => return other,
            }
        }
    }

    async fn retrieve(&self, id: &str) -> Result<Option<Intent>, GatewayError> {
        let request = || RetrievePaymentIntent::new(id).build();
        match self.send::<Intent>(request, None).await {
            Ok(intent) => Ok(Some(intent)),
            Err(Failure::NotFound) => Ok(None),
            Err(f) => Err(into_error(f)),
        }
    }

    /// Finds the intent of an attempt by its metadata: Stripe's search, or, where search
    /// is not offered (some regions, emulators), a scan of the most recent intents.
    async fn find(&self, key: &str) -> Result<Option<Intent>, GatewayError> {
        let query = format!(
            "metadata['{ATTEMPT_METADATA}']:'{}'",
            key.replace('\'', "\\'")
        );
        let search = || SearchPaymentIntent::new(query.as_str()).limit(10).build();
        match self.send::<IntentList>(search, None).await {
            Ok(list) => return Ok(list.data.into_iter().find(|i| i.is_attempt(key))),
            Err(Failure::NotFound) => {}
            Err(f) => return Err(into_error(f)),
        }
        let mut after: Option<String> = None;
        let mut scanned = 0;
        while scanned < LIST_SCAN_LIMIT {
            let page = || {
                let mut list = ListPaymentIntent::new().limit(100);
                if let Some(a) = &after {
                    list = list.starting_after(a.as_str());
                }
                list.build()
            };
            let list = self
                .send::<IntentList>(page, None)
                .await
                .map_err(into_error)?;
            scanned += list.data.len();
            after = list.data.last().map(|i| i.id.clone());
            let more = list.has_more.unwrap_or(false) && after.is_some();
            if let Some(found) = list.data.into_iter().find(|i| i.is_attempt(key)) {
                return Ok(Some(found));
            }
            if !more {
                break;
            }
        }
        Ok(None)
    }
}

fn into_error(failure: Failure) -> GatewayError {
    match failure {
        Failure::Transient(e) | Failure::Final(e) => e,
        Failure::Declined(_) => GatewayError::Rejected("declined".into()),
        Failure::NotFound => GatewayError::Rejected("no such object at Stripe".into()),
    }
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn charge(&self, request: ChargeRequest) -> Result<ChargeOutcome, GatewayError> {
        let form = CreateIntent {
            amount: request.amount_cents,
            currency: request.currency.to_lowercase(),
            payment_method: &request.payment_method,
            confirm: true,
            payment_method_types: ["card"],
            // In metadata: emulators refuse a `description`.
            metadata: BTreeMap::from([
                (ATTEMPT_METADATA, request.idempotency_key.as_str()),
                ("description", request.description.as_str()),
            ]),
        };
        let create = || RequestBuilder::new(StripeMethod::Post, "/payment_intents").form(&form);
        match self
            .send::<Intent>(create, Some(&request.idempotency_key))
            .await
        {
            Ok(intent) => Ok(intent.outcome()),
            Err(Failure::Declined(outcome)) => Ok(outcome),
            Err(Failure::NotFound) => Err(GatewayError::Rejected(format!(
                "no such payment method: `{}`",
                request.payment_method
            ))),
            Err(f) => Err(into_error(f)),
        }
    }

    async fn lookup(
        &self,
        idempotency_key: &str,
        provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError> {
        let intent = match provider_ref {
            Some(id) => self.retrieve(id).await?,
            None => self.find(idempotency_key).await?,
        };
        Ok(intent.map(Intent::outcome))
    }

    async fn cancel(
        &self,
        idempotency_key: &str,
        provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError> {
        let id = match provider_ref {
            Some(id) => id.to_owned(),
            None => match self.find(idempotency_key).await? {
                Some(intent) => intent.id,
                None => return Ok(None),
            },
        };
        let path = format!("/payment_intents/{id}/cancel");
        let form: [(&str, &str); 1] = [("cancellation_reason", "abandoned")];
        let cancel = || RequestBuilder::new(StripeMethod::Post, path.as_str()).form(&form);
        let key = format!("{idempotency_key}:cancel");
        match self.send::<Intent>(cancel, Some(&key)).await {
            Ok(intent) => Ok(Some(intent.outcome())),
            // Not cancellable (it succeeded or failed meanwhile), or gone: its state now.
            Err(Failure::Final(_) | Failure::NotFound) => {
                Ok(self.retrieve(&id).await?.map(Intent::outcome))
            }
            Err(f) => Err(into_error(f)),
        }
    }

    async fn refund(&self, request: RefundRequest) -> Result<String, GatewayError> {
        let create = || {
            CreateRefund::new()
                .payment_intent(request.provider_ref.as_str())
                .amount(request.amount_cents)
                .build()
        };
        self.send::<Created>(create, Some(&request.idempotency_key))
            .await
            .map(|r| r.id)
            .map_err(into_error)
    }
}
