//! The embedded payment gateway: Stripe's test payment methods, with latency and failures
//! on demand for fault tests. With a ledger file its charges outlive a crash of the server,
//! as a real provider's would, so reconciliation after a restart can be proved.
//!
//! Cards that require 3-D Secure (`pm_card_threeDSecure2Required`) answer that the buyer
//! must authenticate, with a client secret; [`FakeGateway::authenticate`] plays the
//! buyer's answer to the challenge, as Stripe's challenge page would.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::{
    ChargeOutcome, ChargeRequest, ClientSecret, GatewayError, PaymentGateway, RefundRequest,
};

/// How the fake behaves on the next calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeBehaviour {
    /// Answers at once.
    #[default]
    Normal,
    /// Answers after a delay.
    Slow(Duration),
    /// Takes the charge, then fails to answer (the outcome is unknown to the caller).
    TimeoutAfterCharge,
    /// Answers every call with a server error, charging nothing.
    Down,
    /// Takes the charge, then never answers (the caller is stuck until it gives up or dies).
    HangAfterCharge,
    /// Takes the charge, then fails to answer only after a delay: a timeout that arrives
    /// after the gateway's webhook has already told the outcome.
    LateTimeoutAfterCharge(Duration),
}

impl FakeBehaviour {
    /// Reads a configured fault: `none`, `timeout_after_charge`, `hang_after_charge` or
    /// `down`, with an optional latency.
    pub fn from_setting(fault: &str, latency_ms: u64) -> Option<Self> {
        Some(match fault {
            "none" if latency_ms > 0 => Self::Slow(Duration::from_millis(latency_ms)),
            "none" => Self::Normal,
            "timeout_after_charge" => Self::TimeoutAfterCharge,
            "hang_after_charge" => Self::HangAfterCharge,
            "down" => Self::Down,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
struct Charge {
    outcome: ChargeOutcome,
    amount_cents: i64,
    refunded_cents: i64,
    /// Set for a charge that needed authentication, even after it was settled.
    client_secret: Option<String>,
}

/// Why an authentication could not be played.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthenticateError {
    /// No payment has this client secret.
    #[error("no payment has this client secret")]
    Unknown,
    /// The payment is not awaiting authentication (any more).
    #[error("this payment is not awaiting authentication")]
    NotAwaiting,
    /// The ledger could not be written.
    #[error("{0}")]
    Gateway(GatewayError),
}

/// The fake gateway. Charges are idempotent per key, like Stripe's.
#[derive(Debug, Default)]
pub struct FakeGateway {
    behaviour: Mutex<FakeBehaviour>,
    charges: Mutex<HashMap<String, Charge>>,
    refunds: Mutex<HashMap<String, String>>,
    ledger: Option<PathBuf>,
}

/// One line of the ledger file.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Entry {
    Charge {
        key: String,
        amount_cents: i64,
        provider_ref: String,
        declined: Option<String>,
        /// Present when the charge awaited authentication.
        #[serde(default)]
        client_secret: Option<String>,
    },
    /// An authentication-awaiting charge ended: authenticated (money taken), or failed
    /// or cancelled (nothing taken).
    Resolve {
        key: String,
        declined: Option<String>,
    },
    Refund {
        key: String,
        provider_ref: String,
        amount_cents: i64,
        refund_id: String,
    },
}

/// Stripe's test payment methods that succeed.
const SUCCEEDING: &[&str] = &[
    "pm_card_visa",
    "pm_card_mastercard",
    "pm_card_amex",
    "pm_card_discover",
    "pm_card_us",
];

/// Stripe's test payment methods that decline, with the decline code they report.
const DECLINING: &[(&str, &str)] = &[
    ("pm_card_chargeDeclined", "card_declined"),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        "insufficient_funds",
    ),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card"),
    ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc"),
    ("pm_card_chargeDeclinedFraudulent", "fraudulent"),
];

/// Stripe's test payment methods that need 3-D Secure authentication.
const AUTHENTICATING: &[&str] = &[
    "pm_card_threeDSecure2Required",
    "pm_card_authenticationRequired",
];

/// Stripe's decline code for a failed authentication.
pub const AUTHENTICATION_FAILED: &str = "payment_intent_authentication_failure";

impl FakeGateway {
    /// A gateway whose charges and refunds are appended to `path` and replayed from it.
    pub fn with_ledger(path: PathBuf) -> std::io::Result<Self> {
        let gateway = Self {
            ledger: Some(path.clone()),
            ..Self::default()
        };
        if let Ok(file) = std::fs::File::open(&path) {
            for line in std::io::BufReader::new(file).lines() {
                let Ok(entry) = serde_json::from_str::<Entry>(&line?) else {
                    continue;
                };
                gateway.apply(entry);
            }
        }
        Ok(gateway)
    }

    fn apply(&self, entry: Entry) {
        match entry {
            Entry::Charge {
                key,
                amount_cents,
                provider_ref,
                declined,
                client_secret,
            } => {
                let outcome = match (declined, &client_secret) {
                    (Some(reason), _) => ChargeOutcome::Declined {
                        provider_ref: Some(provider_ref),
                        reason,
                    },
                    (None, Some(secret)) => ChargeOutcome::RequiresAction {
                        provider_ref,
                        client_secret: ClientSecret::new(secret.clone()),
                    },
                    (None, None) => ChargeOutcome::Succeeded { provider_ref },
                };
                if let Ok(mut c) = self.charges.lock() {
                    c.insert(
                        key,
                        Charge {
                            outcome,
                            amount_cents,
                            refunded_cents: 0,
                            client_secret,
                        },
                    );
                }
            }
            Entry::Resolve { key, declined } => {
                if let Ok(mut c) = self.charges.lock()
                    && let Some(charge) = c.get_mut(&key)
                {
                    charge.outcome = resolved(&charge.outcome, declined);
                }
            }
            Entry::Refund {
                key,
                provider_ref,
                amount_cents,
                refund_id,
            } => {
                if let Ok(mut c) = self.charges.lock()
                    && let Some(charge) = c.values_mut().find(|c| matches!(&c.outcome, ChargeOutcome::Succeeded { provider_ref: p } if *p == provider_ref))
                {
                    charge.refunded_cents += amount_cents;
                }
                if let Ok(mut r) = self.refunds.lock() {
                    r.insert(key, refund_id);
                }
            }
        }
    }

    /// Appends to the ledger before answering, as a provider commits before it replies.
    fn record(&self, entry: &Entry) -> Result<(), GatewayError> {
        let Some(path) = &self.ledger else {
            return Ok(());
        };
        let line =
            serde_json::to_string(entry).map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| GatewayError::Unavailable(format!("ledger: {e}")))?;
        writeln!(file, "{line}")
            .and_then(|()| file.sync_data())
            .map_err(|e| GatewayError::Unavailable(format!("ledger: {e}")))
    }

    /// Changes how the next calls behave.
    pub fn set_behaviour(&self, behaviour: FakeBehaviour) {
        if let Ok(mut b) = self.behaviour.lock() {
            *b = behaviour;
        }
    }

    fn behaviour(&self) -> FakeBehaviour {
        self.behaviour.lock().map(|b| *b).unwrap_or_default()
    }

    /// How many distinct charges were made (each idempotency key counts once).
    pub fn charge_count(&self) -> usize {
        self.charges.lock().map(|c| c.len()).unwrap_or(0)
    }

    /// How many charges took money (a charge still awaiting authentication, or whose
    /// authentication failed, took none).
    pub fn taken_count(&self) -> usize {
        self.charges
            .lock()
            .map(|c| {
                c.values()
                    .filter(|x| matches!(x.outcome, ChargeOutcome::Succeeded { .. }))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Plays the buyer's answer to the 3-D Secure challenge of the payment with
    /// `client_secret`: authenticated (the money is taken) or not (nothing is). Returns
    /// the payment's new state.
    pub fn authenticate(
        &self,
        client_secret: &str,
        succeed: bool,
    ) -> Result<ChargeOutcome, AuthenticateError> {
        let declined = (!succeed).then(|| AUTHENTICATION_FAILED.to_owned());
        self.resolve(
            |_, c| c.client_secret.as_deref() == Some(client_secret),
            declined,
        )
    }

    /// Ends the awaiting charge `find` picks, recorded in the ledger first.
    fn resolve(
        &self,
        find: impl Fn(&str, &Charge) -> bool,
        declined: Option<String>,
    ) -> Result<ChargeOutcome, AuthenticateError> {
        let Ok(mut charges) = self.charges.lock() else {
            return Err(AuthenticateError::Gateway(GatewayError::Unavailable(
                "gateway state poisoned".into(),
            )));
        };
        let Some((key, charge)) = charges.iter_mut().find(|(k, c)| find(k, c)) else {
            return Err(AuthenticateError::Unknown);
        };
        if !matches!(charge.outcome, ChargeOutcome::RequiresAction { .. }) {
            return Err(AuthenticateError::NotAwaiting);
        }
        self.record(&Entry::Resolve {
            key: key.clone(),
            declined: declined.clone(),
        })
        .map_err(AuthenticateError::Gateway)?;
        charge.outcome = resolved(&charge.outcome, declined);
        Ok(charge.outcome.clone())
    }

    /// Sum refunded over all charges.
    pub fn refunded_cents(&self) -> i64 {
        self.charges
            .lock()
            .map(|c| c.values().map(|x| x.refunded_cents).sum())
            .unwrap_or(0)
    }

    async fn before_answer(&self) -> Result<(), GatewayError> {
        match self.behaviour() {
            FakeBehaviour::Normal
            | FakeBehaviour::TimeoutAfterCharge
            | FakeBehaviour::LateTimeoutAfterCharge(_)
            | FakeBehaviour::HangAfterCharge => Ok(()),
            FakeBehaviour::Slow(d) => {
                tokio::time::sleep(d).await;
                Ok(())
            }
            FakeBehaviour::Down => Err(GatewayError::Unavailable("503 Service Unavailable".into())),
        }
    }
}

#[async_trait]
impl PaymentGateway for FakeGateway {
    fn name(&self) -> &'static str {
        "fake"
    }

    async fn charge(&self, request: ChargeRequest) -> Result<ChargeOutcome, GatewayError> {
        self.before_answer().await?;
        if request.amount_cents <= 0 {
            return Err(GatewayError::Rejected("amount must be positive".into()));
        }
        let outcome = {
            let Ok(mut charges) = self.charges.lock() else {
                return Err(GatewayError::Unavailable("gateway state poisoned".into()));
            };
            if let Some(existing) = charges.get(&request.idempotency_key) {
                existing.outcome.clone()
            } else {
                let provider_ref = format!("pi_fake_{}", uuid::Uuid::new_v4().simple());
                let outcome = if SUCCEEDING.contains(&request.payment_method.as_str()) {
                    ChargeOutcome::Succeeded { provider_ref }
                } else if AUTHENTICATING.contains(&request.payment_method.as_str()) {
                    let secret = format!("{provider_ref}_secret_{}", uuid::Uuid::new_v4().simple());
                    ChargeOutcome::RequiresAction {
                        provider_ref,
                        client_secret: ClientSecret::new(secret),
                    }
                } else if let Some((_, code)) = DECLINING
                    .iter()
                    .find(|(pm, _)| *pm == request.payment_method)
                {
                    ChargeOutcome::Declined {
                        provider_ref: Some(provider_ref),
                        reason: (*code).to_owned(),
                    }
                } else {
                    return Err(GatewayError::Rejected(format!(
                        "no such payment method: `{}`",
                        request.payment_method
                    )));
                };
                let (provider_ref, declined, client_secret) = match &outcome {
                    ChargeOutcome::Succeeded { provider_ref }
                    | ChargeOutcome::Processing { provider_ref } => {
                        (provider_ref.clone(), None, None)
                    }
                    ChargeOutcome::Declined {
                        provider_ref,
                        reason,
                    } => (
                        provider_ref.clone().unwrap_or_default(),
                        Some(reason.clone()),
                        None,
                    ),
                    ChargeOutcome::RequiresAction {
                        provider_ref,
                        client_secret,
                    } => (
                        provider_ref.clone(),
                        None,
                        Some(client_secret.expose().to_owned()),
                    ),
                };
                self.record(&Entry::Charge {
                    key: request.idempotency_key.clone(),
                    amount_cents: request.amount_cents,
                    provider_ref,
                    declined,
                    client_secret: client_secret.clone(),
                })?;
                charges.insert(
                    request.idempotency_key.clone(),
                    Charge {
                        outcome: outcome.clone(),
                        amount_cents: request.amount_cents,
                        refunded_cents: 0,
                        client_secret,
                    },
                );
                outcome
            }
        };
        match self.behaviour() {
            FakeBehaviour::TimeoutAfterCharge => Err(GatewayError::Timeout),
            FakeBehaviour::LateTimeoutAfterCharge(after) => {
                tokio::time::sleep(after).await;
                Err(GatewayError::Timeout)
            }
            FakeBehaviour::HangAfterCharge => std::future::pending().await,
            _ => Ok(outcome),
        }
    }

    async fn lookup(
        &self,
        idempotency_key: &str,
        _provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.before_answer().await?;
        Ok(self
            .charges
            .lock()
            .ok()
            .and_then(|c| c.get(idempotency_key).map(|x| x.outcome.clone())))
    }

    async fn cancel(
        &self,
        idempotency_key: &str,
        _provider_ref: Option<&str>,
    ) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.before_answer().await?;
        match self.resolve(|k, _| k == idempotency_key, Some("canceled".to_owned())) {
            Ok(outcome) => Ok(Some(outcome)),
            Err(AuthenticateError::Gateway(e)) => Err(e),
            // Never made, or settled already: its state now.
            Err(_) => self.lookup(idempotency_key, None).await,
        }
    }

    async fn refund(&self, request: RefundRequest) -> Result<String, GatewayError> {
        self.before_answer().await?;
        if let Some(done) = self
            .refunds
            .lock()
            .ok()
            .and_then(|r| r.get(&request.idempotency_key).cloned())
        {
            return Ok(done);
        }
        let Ok(mut charges) = self.charges.lock() else {
            return Err(GatewayError::Unavailable("gateway state poisoned".into()));
        };
        let charge = charges
            .values_mut()
            .find(|c| matches!(&c.outcome, ChargeOutcome::Succeeded { provider_ref } if *provider_ref == request.provider_ref))
            .ok_or_else(|| GatewayError::Rejected(format!("no succeeded payment {}", request.provider_ref)))?;
        if request.amount_cents <= 0
            || charge.refunded_cents + request.amount_cents > charge.amount_cents
        {
            return Err(GatewayError::Rejected("refund exceeds the charge".into()));
        }
        let id = format!("re_fake_{}", uuid::Uuid::new_v4().simple());
        self.record(&Entry::Refund {
            key: request.idempotency_key.clone(),
            provider_ref: request.provider_ref.clone(),
            amount_cents: request.amount_cents,
            refund_id: id.clone(),
        })?;
        charge.refunded_cents += request.amount_cents;
        if let Ok(mut refunds) = self.refunds.lock() {
            refunds.insert(request.idempotency_key, id.clone());
        }
        Ok(id)
    }
}

/// The state of an awaiting charge once its authentication ended.
fn resolved(awaiting: &ChargeOutcome, declined: Option<String>) -> ChargeOutcome {
    let Some(provider_ref) = provider_of(awaiting) else {
        return awaiting.clone();
    };
    match declined {
        Some(reason) => ChargeOutcome::Declined {
            provider_ref: Some(provider_ref),
            reason,
        },
        None => ChargeOutcome::Succeeded { provider_ref },
    }
}

fn provider_of(outcome: &ChargeOutcome) -> Option<String> {
    match outcome {
        ChargeOutcome::Succeeded { provider_ref }
        | ChargeOutcome::Processing { provider_ref }
        | ChargeOutcome::RequiresAction { provider_ref, .. } => Some(provider_ref.clone()),
        ChargeOutcome::Declined { provider_ref, .. } => provider_ref.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pm: &str, key: &str) -> ChargeRequest {
        ChargeRequest {
            amount_cents: 2400,
            currency: "USD".into(),
            payment_method: pm.into(),
            idempotency_key: key.into(),
            description: "test".into(),
        }
    }

    #[tokio::test]
    async fn honours_test_cards_and_idempotency_keys() {
        let g = FakeGateway::default();
        let ok = g.charge(req("pm_card_visa", "k1")).await.unwrap();
        assert!(matches!(ok, ChargeOutcome::Succeeded { .. }));
        assert_eq!(g.charge(req("pm_card_visa", "k1")).await.unwrap(), ok);
        assert_eq!(g.charge_count(), 1);
        let declined = g.charge(req("pm_card_chargeDeclined", "k2")).await.unwrap();
        assert!(
            matches!(declined, ChargeOutcome::Declined { ref reason, .. } if reason == "card_declined")
        );
        assert!(matches!(
            g.charge(req("pm_nope", "k3")).await,
            Err(GatewayError::Rejected(_))
        ));
        let ChargeOutcome::Succeeded { provider_ref } = ok else {
            unreachable!()
        };
        let refund = RefundRequest {
            provider_ref,
            amount_cents: 2400,
            idempotency_key: "r1".into(),
        };
        let first = g.refund(refund.clone()).await.unwrap();
        assert_eq!(g.refund(refund).await.unwrap(), first);
        assert_eq!(g.refunded_cents(), 2400);
    }

    #[tokio::test]
    async fn the_ledger_keeps_charges_and_refunds_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let g = FakeGateway::with_ledger(path.clone()).unwrap();
        let ChargeOutcome::Succeeded { provider_ref } =
            g.charge(req("pm_card_visa", "k1")).await.unwrap()
        else {
            unreachable!()
        };
        g.charge(req("pm_card_chargeDeclined", "k2")).await.unwrap();
        g.refund(RefundRequest {
            provider_ref: provider_ref.clone(),
            amount_cents: 400,
            idempotency_key: "r".into(),
        })
        .await
        .unwrap();
        let again = FakeGateway::with_ledger(path).unwrap();
        assert_eq!(
            again.lookup("k1", None).await.unwrap(),
            Some(ChargeOutcome::Succeeded { provider_ref })
        );
        assert!(matches!(
            again.lookup("k2", None).await.unwrap(),
            Some(ChargeOutcome::Declined { .. })
        ));
        assert_eq!(again.refunded_cents(), 400);
        assert_eq!(again.charge_count(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_charges_are_each_written_once_and_a_repeated_key_charges_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let g = std::sync::Arc::new(FakeGateway::with_ledger(path.clone()).unwrap());
        let mut tasks = Vec::new();
        for i in 0..60 {
            let g = g.clone();
            // Every third charge repeats one key while the others write theirs.
            let key = if i % 3 == 0 {
                "same".to_owned()
            } else {
                format!("k{i}")
            };
            tasks.push(tokio::spawn(async move {
                (
                    key.clone(),
                    g.charge(req("pm_card_visa", &key)).await.unwrap(),
                )
            }));
        }
        let mut answers = HashMap::new();
        for t in tasks {
            let (key, outcome) = t.await.unwrap();
            answers.entry(key).or_insert_with(Vec::new).push(outcome);
        }
        let same = &answers["same"];
        assert_eq!(same.len(), 20);
        assert!(same.iter().all(|o| *o == same[0]), "one key, one charge");
        // What was answered is on disk: a restarted gateway knows every charge, once.
        let again = FakeGateway::with_ledger(path.clone()).unwrap();
        assert_eq!(again.charge_count(), 41);
        for (key, outcomes) in &answers {
            assert_eq!(
                again.lookup(key, None).await.unwrap().as_ref(),
                Some(&outcomes[0])
            );
        }
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        assert_eq!(lines, 41, "the repeated key was written once");
    }

    #[tokio::test]
    async fn a_timeout_after_charge_is_found_by_lookup() {
        let g = FakeGateway::default();
        g.set_behaviour(FakeBehaviour::TimeoutAfterCharge);
        assert_eq!(
            g.charge(req("pm_card_visa", "k")).await,
            Err(GatewayError::Timeout)
        );
        g.set_behaviour(FakeBehaviour::Normal);
        assert!(matches!(
            g.lookup("k", None).await.unwrap(),
            Some(ChargeOutcome::Succeeded { .. })
        ));
        g.set_behaviour(FakeBehaviour::Down);
        assert!(g.lookup("k", None).await.unwrap_err().outcome_unknown());
    }

    #[tokio::test]
    async fn a_3ds_card_waits_for_authentication_and_the_ledger_keeps_its_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let g = FakeGateway::with_ledger(path.clone()).unwrap();
        let waiting = g
            .charge(req("pm_card_threeDSecure2Required", "ok"))
            .await
            .unwrap();
        let ChargeOutcome::RequiresAction { client_secret, .. } = &waiting else {
            panic!("{waiting:?}")
        };
        // The secret never reaches a log through Debug.
        assert!(!format!("{waiting:?}").contains(client_secret.expose()));
        assert_eq!(
            g.charge(req("pm_card_threeDSecure2Required", "ok"))
                .await
                .unwrap(),
            waiting
        );
        assert_eq!(g.taken_count(), 0);
        let ok_secret = client_secret.expose().to_owned();
        assert!(matches!(
            g.authenticate(&ok_secret, true).unwrap(),
            ChargeOutcome::Succeeded { .. }
        ));
        assert_eq!(
            g.authenticate(&ok_secret, false),
            Err(AuthenticateError::NotAwaiting)
        );
        assert_eq!(
            g.authenticate("nope", true),
            Err(AuthenticateError::Unknown)
        );

        let ChargeOutcome::RequiresAction { client_secret, .. } = g
            .charge(req("pm_card_threeDSecure2Required", "failed"))
            .await
            .unwrap()
        else {
            unreachable!()
        };
        assert!(matches!(
            g.authenticate(client_secret.expose(), false).unwrap(),
            ChargeOutcome::Declined { ref reason, .. } if reason == AUTHENTICATION_FAILED
        ));
        // Left unauthenticated, then cancelled: nothing can be taken any more.
        let ChargeOutcome::RequiresAction { client_secret, .. } = g
            .charge(req("pm_card_threeDSecure2Required", "gone"))
            .await
            .unwrap()
        else {
            unreachable!()
        };
        assert!(matches!(
            g.cancel("gone", None).await.unwrap(),
            Some(ChargeOutcome::Declined { ref reason, .. }) if reason == "canceled"
        ));
        assert_eq!(
            g.authenticate(client_secret.expose(), true),
            Err(AuthenticateError::NotAwaiting)
        );
        // A settled charge is not cancelled.
        assert!(matches!(
            g.cancel("ok", None).await.unwrap(),
            Some(ChargeOutcome::Succeeded { .. })
        ));
        assert_eq!(g.taken_count(), 1);

        let again = FakeGateway::with_ledger(path).unwrap();
        assert!(matches!(
            again.lookup("ok", None).await.unwrap(),
            Some(ChargeOutcome::Succeeded { .. })
        ));
        assert!(matches!(
            again.lookup("failed", None).await.unwrap(),
            Some(ChargeOutcome::Declined { ref reason, .. }) if reason == AUTHENTICATION_FAILED
        ));
        assert!(matches!(
            again.lookup("gone", None).await.unwrap(),
            Some(ChargeOutcome::Declined { ref reason, .. }) if reason == "canceled"
        ));
        assert_eq!(again.taken_count(), 1);
        // A charge still awaiting authentication survives a restart with its secret.
        let ChargeOutcome::RequiresAction { client_secret, .. } = g
            .charge(req("pm_card_threeDSecure2Required", "later"))
            .await
            .unwrap()
        else {
            unreachable!()
        };
        let restarted = FakeGateway::with_ledger(dir.path().join("ledger.jsonl")).unwrap();
        assert!(matches!(
            restarted
                .authenticate(client_secret.expose(), true)
                .unwrap(),
            ChargeOutcome::Succeeded { .. }
        ));
    }
}
