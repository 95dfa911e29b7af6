//! Rate limits of GraphQL requests, over HTTP and WebSocket alike: a request's root fields
//! (see [`crate::graphql::cost`]) are charged to its client address and, for a signed-in
//! caller (or the target of `logIn`), to the account, before it runs. A refusal is HTTP
//! 429 with `Retry-After`, and a GraphQL error coded `RATE_LIMITED` with `retryAfterMs`.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use marquee_domain::ids::UserId;
use marquee_domain::rate_limit::{Charge, Quota, RateLimiter, Verdict};
use serde::Deserialize;
use serde_json::json;

use super::client_ip::{TrustedProxies, bucket_of};
use super::ws_limits::Connection;
use crate::config::Settings;
use crate::graphql::cost::{CostClass, Costs};
use crate::metrics::Metrics;

/// A limit setting: `N/PERIOD` (`20/10m`) or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Rate(pub Option<Quota>);

impl TryFrom<String> for Rate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Quota::parse(&text).map(Self).map_err(|e| e.to_string())
    }
}

impl Rate {
    /// `limit` per `period`, written as in the settings (a constant default).
    pub const fn per(limit: u32, period_secs: u64) -> Self {
        Self(Some(Quota {
            limit,
            period: Duration::from_secs(period_secs),
        }))
    }
}

/// Who a bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One client address (an IPv6 /64).
    Address,
    /// One account (for `logIn`, the address being logged into).
    Account,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Account => "account",
        }
    }
}

/// A refused request.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The class whose limit was reached.
    pub class: CostClass,
    /// Whose bucket it was.
    pub scope: Scope,
    /// The limit.
    pub quota: Quota,
    /// When the request would pass.
    pub retry_after: Duration,
}

impl Refusal {
    fn retry_after_ms(&self) -> u64 {
        u64::try_from(self.retry_after.as_millis()).unwrap_or(u64::MAX)
    }

    /// The GraphQL error, `{message, extensions: {code, retryAfterMs, class, scope}}`.
    pub fn error(&self) -> serde_json::Value {
        let wait = self.retry_after.as_secs_f64().ceil().max(1.0);
        json!({
            "message": format!(
                "too many requests: {} allows {} per {}; retry in {wait} s",
                self.class.name(),
                self.quota,
                self.scope.name(),
            ),
            "extensions": {
                "code": "RATE_LIMITED",
                "retryAfterMs": self.retry_after_ms(),
                "class": self.class.name(),
                "scope": self.scope.name(),
            }
        })
    }

    /// HTTP 429 with `Retry-After` (whole seconds, rounded up).
    pub fn response(&self) -> Response {
        let secs = self.retry_after_ms().div_ceil(1000).max(1);
        let body = json!({ "errors": [self.error()] });
        (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (header::RETRY_AFTER, secs.to_string()),
            ],
            body.to_string(),
        )
            .into_response()
    }
}

/// The limits of one class: per address and per account.
#[derive(Debug, Clone, Copy)]
struct ClassLimits {
    address: Option<Quota>,
    account: Option<Quota>,
}

/// The configured limits and the limiter that counts them.
pub struct RateLimits {
    enabled: bool,
    limits: [ClassLimits; CostClass::ALL.len()],
    limiter: RateLimiter,
    metrics: Arc<Metrics>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted: Arc<TrustedProxies>,
}

impl RateLimits {
    /// From the settings, counting in `limiter`.
    pub fn new(settings: &Settings, limiter: RateLimiter, metrics: Arc<Metrics>) -> Self {
        let s = settings;
        let limits = CostClass::ALL.map(|class| {
            let (address, account) = match class {
                CostClass::Login => (s.rate_limit_login, s.rate_limit_login_account),
                CostClass::SignUp => (s.rate_limit_signup, Rate(None)),
                CostClass::Hold => (s.rate_limit_hold, s.rate_limit_hold_account),
                CostClass::Checkout => (s.rate_limit_checkout, s.rate_limit_checkout_account),
                CostClass::Review => (s.rate_limit_review, s.rate_limit_review_account),
                CostClass::WaitingRoom => {
                    (s.rate_limit_waiting_room, s.rate_limit_waiting_room_account)
                }
                CostClass::Search => (s.rate_limit_search, s.rate_limit_search_account),
                CostClass::GiftCard => (s.rate_limit_gift_card, s.rate_limit_gift_card_account),
                CostClass::Anonymous => (s.rate_limit_anonymous, Rate(None)),
            };
            ClassLimits {
                address: address.0,
                account: account.0,
            }
        });
        Self {
            enabled: s.rate_limits,
            limits,
            limiter,
            metrics,
            trusted: Arc::new(s.trusted_proxies.clone()),
        }
    }

    /// Whether any limit applies (the `rate_limits` setting).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Charges a request of `costs` from `ip` by `user` (none when anonymous); refused when
    /// a bucket is out, in which case nothing was charged.
    pub async fn check(
        &self,
        ip: IpAddr,
        user: Option<UserId>,
        costs: &Costs,
    ) -> Result<(), Refusal> {
        if !self.enabled {
            return Ok(());
        }
        let (charges, meta) = self.charges(ip, user, costs);
        match self.limiter.take(&charges).await {
            Verdict::Allowed => Ok(()),
            Verdict::Refused {
                charge,
                retry_after,
            } => {
                let (Some(&(class, scope)), Some(refused)) =
                    (meta.get(charge), charges.get(charge))
                else {
                    return Ok(());
                };
                self.metrics
                    .observe_rate_limited(class.name(), scope.name(), refused.cost);
                Err(Refusal {
                    class,
                    scope,
                    quota: refused.quota,
                    retry_after,
                })
            }
        }
    }

    fn charges(
        &self,
        ip: IpAddr,
        user: Option<UserId>,
        costs: &Costs,
    ) -> (Vec<Charge>, Vec<(CostClass, Scope)>) {
        let address = bucket_of(ip);
        let mut charges = Vec::new();
        let mut meta = Vec::new();
        let mut push = |class: CostClass, scope: Scope, who: &str, cost: u32, quota| {
            charges.push(Charge {
                key: format!("{}:{}:{who}", class.name(), scope.name()),
                cost,
                quota,
            });
            meta.push((class, scope));
        };
        for class in CostClass::ALL {
            let cost = match class {
                CostClass::Anonymous if user.is_none() => costs.fields,
                CostClass::Anonymous => 0,
                _ => costs.of(class),
            };
            if cost == 0 {
                continue;
            }
            let limits = self.limits[class as usize];
            if let Some(quota) = limits.address {
                push(class, Scope::Address, &address, cost, quota);
            }
            let Some(quota) = limits.account else {
                continue;
            };
            if class == CostClass::Login {
                // The account a guess is aimed at, whoever sends it.
                for (target, n) in &costs.login_targets {
                    push(class, Scope::Account, target, *n, quota);
                }
            } else if let Some(user) = user {
                push(class, Scope::Account, &user.to_string(), cost, quota);
            }
        }
        (charges, meta)
    }
}

/// The limits as a WebSocket connection applies them to each operation it is sent.
pub struct WsGate {
    limits: Arc<RateLimits>,
    ip: IpAddr,
    conn: Arc<Connection>,
}

impl WsGate {
    /// The gate of the connection `conn` from `ip`.
    pub fn new(limits: Arc<RateLimits>, ip: IpAddr, conn: Arc<Connection>) -> Self {
        Self { limits, ip, conn }
    }

    /// Charges one operation, by the connection's signed-in account if it has one.
    pub async fn admit(
        &self,
        doc: &async_graphql::parser::types::ExecutableDocument,
        request: &async_graphql::Request,
    ) -> Result<(), Refusal> {
        if !self.limits.enabled() {
            return Ok(());
        }
        let mut costs = Costs::default();
        costs.add(doc, request.operation_name.as_deref(), &request.variables);
        self.limits.check(self.ip, self.conn.user(), &costs).await
    }
}
