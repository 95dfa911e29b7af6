//! The embedded payment gateway: Stripe's test payment methods, in memory, with latency
//! and failures on demand for fault tests.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::{ChargeOutcome, ChargeRequest, GatewayError, PaymentGateway, RefundRequest};

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
}

#[derive(Debug, Clone)]
struct Charge {
    outcome: ChargeOutcome,
    amount_cents: i64,
    refunded_cents: i64,
}

/// The fake gateway. Charges are idempotent per key, like Stripe's.
#[derive(Debug, Default)]
pub struct FakeGateway {
    behaviour: Mutex<FakeBehaviour>,
    charges: Mutex<HashMap<String, Charge>>,
    refunds: Mutex<HashMap<String, String>>,
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

impl FakeGateway {
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

    /// Sum refunded over all charges.
    pub fn refunded_cents(&self) -> i64 {
        self.charges
            .lock()
            .map(|c| c.values().map(|x| x.refunded_cents).sum())
            .unwrap_or(0)
    }

    async fn before_answer(&self) -> Result<(), GatewayError> {
        match self.behaviour() {
            FakeBehaviour::Normal | FakeBehaviour::TimeoutAfterCharge => Ok(()),
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
                charges.insert(
                    request.idempotency_key.clone(),
                    Charge {
                        outcome: outcome.clone(),
                        amount_cents: request.amount_cents,
                        refunded_cents: 0,
                    },
                );
                outcome
            }
        };
        if self.behaviour() == FakeBehaviour::TimeoutAfterCharge {
            return Err(GatewayError::Timeout);
        }
        Ok(outcome)
    }

    async fn lookup(&self, idempotency_key: &str) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.before_answer().await?;
        Ok(self
            .charges
            .lock()
            .ok()
            .and_then(|c| c.get(idempotency_key).map(|x| x.outcome.clone())))
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
        charge.refunded_cents += request.amount_cents;
        let id = format!("re_fake_{}", uuid::Uuid::new_v4().simple());
        if let Ok(mut refunds) = self.refunds.lock() {
            refunds.insert(request.idempotency_key, id.clone());
        }
        Ok(id)
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
    async fn a_timeout_after_charge_is_found_by_lookup() {
        let g = FakeGateway::default();
        g.set_behaviour(FakeBehaviour::TimeoutAfterCharge);
        assert_eq!(
            g.charge(req("pm_card_visa", "k")).await,
            Err(GatewayError::Timeout)
        );
        g.set_behaviour(FakeBehaviour::Normal);
        assert!(matches!(
            g.lookup("k").await.unwrap(),
            Some(ChargeOutcome::Succeeded { .. })
        ));
        g.set_behaviour(FakeBehaviour::Down);
        assert!(g.lookup("k").await.unwrap_err().outcome_unknown());
    }
}
