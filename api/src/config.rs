//! Typed settings, loaded once at start: defaults, then an optional `marquee.toml`, then
//! `DATABASE_URL`/`REDIS_URL`, then `MARQUEE_*` variables, then command-line flags.
//! Unknown keys and bad values fail at start with the key named.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use marquee_domain::payments::{
    FakeBehaviour, FakeGateway, PaymentGateway, StripeGateway, StripeSettings,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub use crate::http::client_ip::{IpNet, TrustedProxies};
pub use crate::http::rate_limit::Rate;

/// The settings file read when none is named.
pub const DEFAULT_FILE: &str = "marquee.toml";

const MINUTE: u64 = 60;
const HOUR: u64 = 3_600;

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Every setting of the server.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Listen address.
    pub bind: SocketAddr,
    /// Where the embedded database, secrets and (later) the index and mail live.
    pub data_dir: PathBuf,
    /// The built web app (`index.html` and `assets/`), served at `/`.
    pub web_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; default: SQLite under `data_dir`.
    pub database_url: Option<SecretString>,
    /// Database pool size.
    pub database_max_connections: u32,
    /// How long a request waits for a database connection before it fails.
    pub database_acquire_timeout_ms: u64,
    /// `postgres://…` of a streaming standby (or a balancer port in front of standbys) for
    /// catalog, listing and search reads; default: every read on the primary.
    pub database_read_url: Option<SecretString>,
    /// Reads go back to the primary while the standby may be staler than this.
    pub database_read_max_lag_ms: u64,
    /// `redis://…`; default: everything in-process.
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis key of this deployment.
    pub redis_prefix: String,
    /// Turn competing holds away before the database (in Redis when set, else in-process);
    /// off, the database's conditional update alone decides every hold.
    pub seat_hold_front_line: bool,
    /// HMAC key for access tokens (32+ bytes); default: generated once into `data_dir`.
    pub jwt_secret: Option<SecretString>,
    /// Access-token lifetime.
    pub token_ttl_minutes: u32,
    /// Seconds an account found live is trusted before it is read again (0: every request).
    pub account_recheck_seconds: u32,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// `tracing` filter directives.
    pub log_filter: String,
    /// Base URL of an OTLP/HTTP collector (`http://127.0.0.1:4318`); spans go to its
    /// `/v1/traces`. None: no traces are exported.
    pub otlp_endpoint: Option<String>,
    /// The `service.name` exported spans carry.
    pub otlp_service_name: String,
    /// Run the background workers (outbox relay, hold expiry, payment reconciliation) in
    /// this instance; at least one instance of a deployment must.
    pub run_workers: bool,
    /// Keep the sales rollups (analytics reports) current from the outbox; off, reports
    /// show nothing new and the outbox is pruned without waiting for them.
    pub analytics_rollups: bool,
    /// Seed the demo catalog on first start when the database is empty.
    pub seed_demo: bool,
    /// Minutes between consecutive shows on one screen.
    pub cleaning_buffer_minutes: u32,
    /// How long a seat hold lasts.
    pub hold_ttl_minutes: u32,
    /// How long a seat hold lasts, in seconds: when set, it overrides `hold_ttl_minutes`
    /// (short holds for demonstrations and browser tests of a lapsing hold).
    pub hold_ttl_seconds: Option<u32>,
    /// Most seats in one booking.
    pub max_seats_per_booking: usize,
    /// Most seats one account may hold or buy of one showtime.
    pub max_seats_per_buyer_per_showtime: usize,
    /// Most holds one account may have open at once.
    pub max_active_holds_per_buyer: usize,
    /// Largest difference tolerated between this instance's clock and the database's
    /// before holds and sales are refused (0: not checked).
    pub max_clock_skew_ms: u32,
    /// A checkout keeps the seats at least this long for the payment.
    pub checkout_extension_minutes: u32,
    /// How long seats offered to the first in a sold-out showtime's waitlist stay held
    /// for them before passing to the next.
    pub waitlist_offer_seconds: u32,
    /// Where buyers reach the web app; links in emails (book, unsubscribe) start with it.
    pub public_url: String,
    /// Buyers let through a hot showtime's waiting room at once.
    pub waiting_room_capacity: u32,
    /// How long an admission through the waiting room lasts unless a hold uses it.
    pub waiting_room_admission_seconds: u32,
    /// Booking fee per ticket, in minor units.
    pub booking_fee_cents: u32,
    /// Cancelling at least this many hours before the show refunds in full.
    pub full_refund_hours: u32,
    /// Cancelling at least this many hours before refunds half; later is refused.
    pub partial_refund_hours: u32,
    /// Seconds before an unsettled payment is first asked about again.
    pub reconcile_after_seconds: u32,
    /// Fault of the embedded payment gateway, for fault drills: `none`,
    /// `timeout_after_charge`, `hang_after_charge` or `down`.
    pub fake_gateway_fault: String,
    /// Latency the embedded payment gateway adds to every answer.
    pub fake_gateway_latency_ms: u64,
    /// `fake` (the embedded gateway) or `stripe`.
    pub payment_gateway: String,
    /// Stripe's secret API key (`sk_…`); needed when `payment_gateway` is `stripe`.
    pub stripe_secret_key: Option<SecretString>,
    /// Stripe's API base URL; Stripe's own when unset (a local emulator or mock in tests).
    pub stripe_api_base: Option<String>,
    /// The longest wait for one answer from Stripe.
    pub stripe_timeout_ms: u64,
    /// Tries per Stripe call on timeouts, server errors and rate limits (same idempotency key).
    pub stripe_max_tries: u32,
    /// Signing secret of the Stripe webhook endpoint (`whsec_…`).
    pub stripe_webhook_secret: Option<SecretString>,
    /// Stripe's publishable key (`pk_…`), handed to browsers for Stripe.js (card entry
    /// and 3-D Secure); public by design.
    pub stripe_publishable_key: Option<String>,
    /// Largest accepted age of a webhook signature, in seconds.
    pub webhook_tolerance_seconds: u32,
    /// A subscription connection must send `connection_init` within this time.
    pub ws_init_timeout_ms: u64,
    /// A subscription connection without subscriptions is closed after this time.
    pub ws_idle_timeout_ms: u64,
    /// Subscriptions running at once on one connection.
    pub ws_max_subscriptions: usize,
    /// Subscription connections open at once per signed-in user.
    pub ws_max_connections_per_user: usize,
    /// Subscription connections open at once from one address (an IPv6 /64), signed in
    /// or not.
    pub ws_max_connections_per_ip: usize,
    /// Subscription connections open at once on this instance.
    pub ws_max_connections: usize,
    /// Messages a group of identical seat-map subscriptions keeps for a member that is
    /// slow to take them; one further behind gets a fresh whole map.
    pub ws_group_backlog: usize,
    /// Deepest accepted GraphQL selection.
    pub graphql_max_depth: usize,
    /// Largest accepted GraphQL complexity.
    pub graphql_max_complexity: usize,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// GraphQL operations over HTTP executed at once; the others wait their turn in
    /// arrival order (0: no limit). Long polls of the waiting room do not count.
    pub max_concurrent_operations: usize,
    /// Whether GraphQL introspection is answered; default: yes with the embedded payment
    /// gateway, no with a real one.
    pub graphql_introspection: Option<bool>,
    /// Whether `GET /graphql` serves GraphiQL; default: as `graphql_introspection`.
    pub graphiql: Option<bool>,
    /// This is a demonstration: the embedded payment gateway, which takes any test card,
    /// may be served on an address other than loopback.
    pub demo: bool,
    /// A request's headers must arrive within this time of the connection's start or of
    /// the previous answer; an idle connection is closed after it.
    pub http_header_timeout_ms: u64,
    /// A request's body must arrive whole within this time of its headers.
    pub http_body_timeout_ms: u64,
    /// `smtp://host:port` or `smtps://user:pass@host` (also read from `SMTP_URL`); default:
    /// each message written as an `.eml` file under `data_dir/mail`.
    pub smtp_url: Option<SecretString>,
    /// The sender of every email, `Name <address>`.
    pub email_from: String,
    /// Attempts before an email is dead-lettered.
    pub email_max_attempts: u32,
    /// Wait before an email's first retry, doubled for each further one (up to an hour).
    pub email_retry_base_seconds: u32,
    /// How long a worker owns an email it is sending; SMTP commands time out at half of it.
    pub email_lease_seconds: u32,
    /// How long before a show confirmed buyers get a reminder.
    pub reminder_lead_minutes: u32,
    /// Most emails sent to one address in an hour, booking confirmations aside.
    pub email_max_per_recipient_hour: u32,
    /// Buyers answer support emails at `support+TOKEN@` this domain (routed by the
    /// inbound-mail service to `POST /support/inbound`).
    pub support_reply_domain: String,
    /// Signing key of `POST /support/inbound` (Mailgun's webhook signing key); without it
    /// inbound mail is refused.
    pub support_inbound_secret: Option<SecretString>,
    /// Days a resolved ticket waits for the buyer before it is closed.
    pub support_close_after_days: u32,
    /// Hours within which staff should first answer a ticket; later ones are flagged overdue.
    pub support_first_response_target_hours: u32,
    /// How often resolved tickets are looked at for closing.
    pub support_close_scan_seconds: u32,
    /// Refuse requests past the `rate_limit_*` limits (`false`: no rate limits at all).
    pub rate_limits: bool,
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// `logIn` attempts per client address.
    pub rate_limit_login: Rate,
    /// `logIn` attempts per target account, from any address.
    pub rate_limit_login_account: Rate,
    /// `signUp` per client address.
    pub rate_limit_signup: Rate,
    /// `holdSeats` and `holdBestAvailable` per client address.
    pub rate_limit_hold: Rate,
    /// `holdSeats` and `holdBestAvailable` per account.
    pub rate_limit_hold_account: Rate,
    /// `checkout` per client address.
    pub rate_limit_checkout: Rate,
    /// `checkout` per account.
    pub rate_limit_checkout_account: Rate,
    /// `addReview` and `updateReview` per client address.
    pub rate_limit_review: Rate,
    /// `addReview` and `updateReview` per account.
    pub rate_limit_review_account: Rate,
    /// `enterWaitingRoom` per client address.
    pub rate_limit_waiting_room: Rate,
    /// `enterWaitingRoom` per account.
    pub rate_limit_waiting_room_account: Rate,
    /// `search` and `autocomplete` per client address.
    pub rate_limit_search: Rate,
    /// `search` and `autocomplete` per account.
    pub rate_limit_search_account: Rate,
    /// `giftCardBalance` per client address.
    pub rate_limit_gift_card: Rate,
    /// `giftCardBalance` per account.
    pub rate_limit_gift_card_account: Rate,
    /// Root fields of requests without a signed-in account, per client address.
    pub rate_limit_anonymous: Rate,
    /// Password hashes (sign-up, log-in) computed at once; each holds 19 MiB.
    pub password_hash_concurrency: usize,
    /// Bootstrap brokers of the event feed, `host:port` comma-separated: every outbox
    /// event is exported to Kafka; unset (the default): no feed.
    pub kafka_brokers: Option<String>,
    /// Put before each outbox topic to name its Kafka topic.
    pub kafka_topic_prefix: String,
    /// Partitions of each topic the feed creates (existing topics keep theirs).
    pub kafka_partitions: u32,
    /// Replication factor of each topic the feed creates.
    pub kafka_replication_factor: u16,
    /// Longest wait for Kafka in one step (connecting, producing a batch) before the batch
    /// is tried again.
    pub kafka_timeout_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            web_dir: PathBuf::from("web/dist"),
            database_url: None,
            database_max_connections: 16,
            database_acquire_timeout_ms: 10_000,
            database_read_url: None,
            database_read_max_lag_ms: 1_000,
            redis_url: None,
            redis_prefix: "marquee:".into(),
            seat_hold_front_line: true,
            jwt_secret: None,
            token_ttl_minutes: 7 * 24 * 60,
            account_recheck_seconds: 10,
            log_format: LogFormat::Pretty,
            log_filter: "info,sqlx=warn,sea_orm=warn".into(),
            otlp_endpoint: None,
            otlp_service_name: "marquee".into(),
            run_workers: true,
            analytics_rollups: true,
            seed_demo: true,
            cleaning_buffer_minutes: 15,
            hold_ttl_minutes: 10,
            hold_ttl_seconds: None,
            max_seats_per_booking: 10,
            max_seats_per_buyer_per_showtime: 10,
            max_active_holds_per_buyer: 5,
            max_clock_skew_ms: 1000,
            checkout_extension_minutes: 5,
            waitlist_offer_seconds: 300,
            public_url: "http://localhost:8080".to_owned(),
            waiting_room_capacity: 10,
            waiting_room_admission_seconds: 120,
            booking_fee_cents: 0,
            full_refund_hours: 24,
            partial_refund_hours: 2,
            reconcile_after_seconds: 30,
            fake_gateway_fault: "none".into(),
            fake_gateway_latency_ms: 0,
            payment_gateway: "fake".into(),
            stripe_secret_key: None,
            stripe_api_base: None,
            stripe_timeout_ms: 10_000,
            stripe_max_tries: 3,
            stripe_webhook_secret: None,
            stripe_publishable_key: None,
            webhook_tolerance_seconds: 300,
            ws_init_timeout_ms: 10_000,
            ws_idle_timeout_ms: 300_000,
            ws_max_subscriptions: 20,
            ws_max_connections_per_user: 10,
            ws_max_connections_per_ip: 200,
            ws_max_connections: 20_000,
            ws_group_backlog: 1_024,
            graphql_max_depth: 12,
            graphql_max_complexity: 2_000,
            max_body_bytes: 256 * 1024,
            max_concurrent_operations: 64,
            graphql_introspection: None,
            graphiql: None,
            demo: false,
            http_header_timeout_ms: 10_000,
            http_body_timeout_ms: 30_000,
            smtp_url: None,
            email_from: "Marquee <tickets@marquee.localhost>".into(),
            email_max_attempts: 6,
            email_retry_base_seconds: 30,
            email_lease_seconds: 60,
            reminder_lead_minutes: 180,
            email_max_per_recipient_hour: 10,
            support_reply_domain: "marquee.localhost".into(),
            support_inbound_secret: None,
            support_close_after_days: 7,
            support_first_response_target_hours: 24,
            support_close_scan_seconds: 60,
            rate_limits: true,
            trusted_proxies: TrustedProxies::default(),
            rate_limit_login: Rate::per(20, 10 * MINUTE),
            rate_limit_login_account: Rate::per(50, HOUR),
            rate_limit_signup: Rate::per(20, HOUR),
            rate_limit_hold: Rate::per(120, MINUTE),
            rate_limit_hold_account: Rate::per(30, MINUTE),
            rate_limit_checkout: Rate::per(60, MINUTE),
            rate_limit_checkout_account: Rate::per(10, MINUTE),
            rate_limit_review: Rate::per(60, HOUR),
            rate_limit_review_account: Rate::per(20, HOUR),
            rate_limit_waiting_room: Rate::per(120, MINUTE),
            rate_limit_waiting_room_account: Rate::per(30, MINUTE),
            rate_limit_search: Rate::per(600, MINUTE),
            rate_limit_search_account: Rate::per(600, MINUTE),
            rate_limit_gift_card: Rate::per(30, HOUR),
            rate_limit_gift_card_account: Rate::per(10, HOUR),
            rate_limit_anonymous: Rate::per(600, MINUTE),
            password_hash_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            kafka_brokers: None,
            kafka_topic_prefix: "marquee.".into(),
            kafka_partitions: 3,
            kafka_replication_factor: 1,
            kafka_timeout_ms: 10_000,
        }
    }
}

/// The configured payment gateway.
pub enum Gateway {
    /// The embedded one (tests reach it to inject faults).
    Fake(Arc<FakeGateway>),
    /// Stripe.
    Stripe(Arc<StripeGateway>),
}

impl Gateway {
    /// The port the domain uses.
    pub fn port(&self) -> Arc<dyn PaymentGateway> {
        match self {
            Self::Fake(f) => f.clone(),
            Self::Stripe(s) => s.clone(),
        }
    }
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Parse failure; figment's message names the key and its source.
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// A value that parses but makes no sense.
    #[error("configuration: `{key}` {reason}")]
    Invalid {
        /// The key.
        key: &'static str,
        /// Why.
        reason: String,
    },
}

/// Command-line overrides.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--bind`.
    pub bind: Option<SocketAddr>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
}

impl Settings {
    /// Loads settings from all sources. `file` is `marquee.toml` unless named; the
    /// default file is optional, a named one must exist.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError::Invalid {
                    key: "--config",
                    reason: format!("names {} which does not exist", path.display()),
                });
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new(DEFAULT_FILE).exists() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_FILE))
            }
            None => {}
        }
        figment = figment
            .merge(Env::raw().only(&["database_url", "redis_url", "smtp_url"]))
            .merge(Env::prefixed("MARQUEE_"));
        if let Some(bind) = overrides.bind {
            figment = figment.merge(Serialized::default("bind", bind.to_string()));
        }
        if let Some(dir) = &overrides.data_dir {
            figment = figment.merge(Serialized::default("data_dir", dir));
        }
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values that deserialise but cannot work.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, reason: &str| ConfigError::Invalid {
            key,
            reason: reason.to_owned(),
        };
        if let Some(url) = &self.database_url {
            let u = url.expose_secret();
            if !(u.starts_with("postgres://")
                || u.starts_with("postgresql://")
                || u.starts_with("sqlite:"))
            {
                return Err(invalid(
                    "database_url",
                    "must start with postgres:// or sqlite:",
                ));
            }
        }
        if let Some(url) = &self.database_read_url {
            let u = url.expose_secret();
            if !(u.starts_with("postgres://") || u.starts_with("postgresql://")) {
                return Err(invalid("database_read_url", "must start with postgres://"));
            }
            let primary_is_postgres = self.database_url.as_ref().is_some_and(|p| {
                let p = p.expose_secret();
                p.starts_with("postgres://") || p.starts_with("postgresql://")
            });
            if !primary_is_postgres {
                return Err(invalid(
                    "database_read_url",
                    "needs database_url to be PostgreSQL",
                ));
            }
        }
        if !(10..=600_000).contains(&self.database_read_max_lag_ms) {
            return Err(invalid(
                "database_read_max_lag_ms",
                "must be between 10 and 600000",
            ));
        }
        if let Some(url) = &self.redis_url {
            let u = url.expose_secret();
            if !(u.starts_with("redis://")
                || u.starts_with("rediss://")
                || u.starts_with("unix://"))
            {
                return Err(invalid(
                    "redis_url",
                    "must start with redis://, rediss:// or unix://",
                ));
            }
        }
        if self
            .jwt_secret
            .as_ref()
            .is_some_and(|s| s.expose_secret().len() < 32)
        {
            return Err(invalid("jwt_secret", "must be at least 32 bytes"));
        }
        if self.account_recheck_seconds > 300 {
            return Err(invalid("account_recheck_seconds", "must be at most 300"));
        }
        if self.token_ttl_minutes == 0 {
            return Err(invalid("token_ttl_minutes", "must be at least 1"));
        }
        if self.hold_ttl_minutes == 0 || self.hold_ttl_minutes > 60 {
            return Err(invalid("hold_ttl_minutes", "must be between 1 and 60"));
        }
        if self
            .hold_ttl_seconds
            .is_some_and(|s| !(5..=3_600).contains(&s))
        {
            return Err(invalid("hold_ttl_seconds", "must be between 5 and 3600"));
        }
        if self.max_seats_per_booking == 0 || self.max_seats_per_booking > 50 {
            return Err(invalid("max_seats_per_booking", "must be between 1 and 50"));
        }
        if self.max_seats_per_buyer_per_showtime < self.max_seats_per_booking
            || self.max_seats_per_buyer_per_showtime > 1_000
        {
            return Err(invalid(
                "max_seats_per_buyer_per_showtime",
                "must be between max_seats_per_booking and 1000",
            ));
        }
        if self.max_active_holds_per_buyer == 0 || self.max_active_holds_per_buyer > 1_000 {
            return Err(invalid(
                "max_active_holds_per_buyer",
                "must be between 1 and 1000",
            ));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(invalid("public_url", "must start with http:// or https://"));
        }
        if !(1..=3_600).contains(&self.waitlist_offer_seconds) {
            return Err(invalid(
                "waitlist_offer_seconds",
                "must be between 1 and 3600",
            ));
        }
        if self.waiting_room_capacity == 0 || self.waiting_room_capacity > 100_000 {
            return Err(invalid(
                "waiting_room_capacity",
                "must be between 1 and 100000",
            ));
        }
        if !(10..=3_600).contains(&self.waiting_room_admission_seconds) {
            return Err(invalid(
                "waiting_room_admission_seconds",
                "must be between 10 and 3600",
            ));
        }
        if FakeBehaviour::from_setting(&self.fake_gateway_fault, self.fake_gateway_latency_ms)
            .is_none()
        {
            return Err(invalid(
                "fake_gateway_fault",
                "must be none, timeout_after_charge, hang_after_charge or down",
            ));
        }
        match self.payment_gateway.as_str() {
            "fake" => {}
            "stripe" if self.stripe_secret_key.is_none() => {
                return Err(invalid(
                    "stripe_secret_key",
                    "must be set when payment_gateway is stripe",
                ));
            }
            "stripe" => {}
            _ => return Err(invalid("payment_gateway", "must be fake or stripe")),
        }
        if self.payment_gateway == "fake" && !self.bind.ip().is_loopback() && !self.demo {
            return Err(invalid(
                "demo",
                "must be true to serve the embedded payment gateway (which takes any test card, \
                 so anyone could book with pm_card_visa) on a non-loopback bind address; \
                 set payment_gateway = \"stripe\" for real sales",
            ));
        }
        if self
            .stripe_publishable_key
            .as_deref()
            .is_some_and(|k| !k.starts_with("pk_"))
        {
            return Err(invalid(
                "stripe_publishable_key",
                "must be a publishable key (pk_…), never a secret one",
            ));
        }
        if self
            .stripe_api_base
            .as_deref()
            .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            return Err(invalid("stripe_api_base", "must be an http(s) URL"));
        }
        if self.stripe_timeout_ms == 0 || self.stripe_max_tries == 0 || self.stripe_max_tries > 10 {
            return Err(invalid(
                "stripe_timeout_ms",
                "and stripe_max_tries must be positive (at most 10 tries)",
            ));
        }
        if self.partial_refund_hours > self.full_refund_hours {
            return Err(invalid(
                "partial_refund_hours",
                "must not exceed full_refund_hours",
            ));
        }
        if self.checkout_extension_minutes == 0 || self.checkout_extension_minutes > 30 {
            return Err(invalid(
                "checkout_extension_minutes",
                "must be between 1 and 30",
            ));
        }
        if self.ws_init_timeout_ms == 0
            || self.ws_idle_timeout_ms == 0
            || self.ws_max_subscriptions == 0
            || self.ws_max_connections_per_user == 0
            || self.ws_max_connections_per_ip == 0
            || self.ws_max_connections == 0
            || self.ws_group_backlog == 0
        {
            return Err(invalid(
                "ws_max_subscriptions",
                "and the other ws_ limits must be positive",
            ));
        }
        if self.database_max_connections == 0 {
            return Err(invalid("database_max_connections", "must be at least 1"));
        }
        if !(100..=600_000).contains(&self.database_acquire_timeout_ms) {
            return Err(invalid(
                "database_acquire_timeout_ms",
                "must be between 100 and 600000",
            ));
        }
        if self.graphql_max_depth < 4 || self.graphql_max_complexity < 50 {
            return Err(invalid(
                "graphql_max_depth",
                "must allow at least depth 4 and complexity 50",
            ));
        }
        if self.max_body_bytes < 1024 {
            return Err(invalid("max_body_bytes", "must be at least 1024"));
        }
        if self.max_concurrent_operations > 100_000 {
            return Err(invalid(
                "max_concurrent_operations",
                "must be at most 100000 (0: no limit)",
            ));
        }
        if !(100..=600_000).contains(&self.http_header_timeout_ms) {
            return Err(invalid(
                "http_header_timeout_ms",
                "must be between 100 and 600000",
            ));
        }
        if !(100..=600_000).contains(&self.http_body_timeout_ms) {
            return Err(invalid(
                "http_body_timeout_ms",
                "must be between 100 and 600000",
            ));
        }
        if let Some(url) = &self.otlp_endpoint
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid(
                "otlp_endpoint",
                "must start with http:// or https://",
            ));
        }
        if self.otlp_service_name.trim().is_empty() {
            return Err(invalid("otlp_service_name", "must not be empty"));
        }
        if let Some(url) = &self.smtp_url {
            let u = url.expose_secret();
            if !(u.starts_with("smtp://") || u.starts_with("smtps://")) {
                return Err(invalid("smtp_url", "must start with smtp:// or smtps://"));
            }
        }
        if self.email_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid(
                "email_from",
                "must be an address like `Name <a@b.example>`",
            ));
        }
        if self.email_max_attempts == 0 || self.email_max_attempts > 50 {
            return Err(invalid("email_max_attempts", "must be between 1 and 50"));
        }
        if self.password_hash_concurrency == 0 || self.password_hash_concurrency > 1_024 {
            return Err(invalid(
                "password_hash_concurrency",
                "must be between 1 and 1024",
            ));
        }
        if self.email_max_per_recipient_hour == 0 {
            return Err(invalid(
                "email_max_per_recipient_hour",
                "must be at least 1",
            ));
        }
        if self.email_retry_base_seconds == 0 || self.email_lease_seconds < 2 {
            return Err(invalid(
                "email_lease_seconds",
                "must be at least 2, and email_retry_base_seconds at least 1",
            ));
        }
        let domain = &self.support_reply_domain;
        if domain.is_empty()
            || domain.len() > 253
            || !domain.contains('.')
            || !domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(invalid(
                "support_reply_domain",
                "must be a domain name like `help.example.com`",
            ));
        }
        if self.support_close_after_days == 0 {
            return Err(invalid("support_close_after_days", "must be at least 1"));
        }
        if self.support_first_response_target_hours == 0 {
            return Err(invalid(
                "support_first_response_target_hours",
                "must be at least 1",
            ));
        }
        if self.support_close_scan_seconds == 0 {
            return Err(invalid("support_close_scan_seconds", "must be at least 1"));
        }
        crate::feed::validate(self)?;
        Ok(())
    }

    /// The payment gateway these settings name.
    pub fn payment_gateway(
        &self,
        data_dir_fake: impl FnOnce() -> std::io::Result<FakeGateway>,
    ) -> anyhow::Result<Gateway> {
        if self.payment_gateway != "stripe" {
            let fake = Arc::new(data_dir_fake()?);
            if let Some(behaviour) =
                FakeBehaviour::from_setting(&self.fake_gateway_fault, self.fake_gateway_latency_ms)
            {
                fake.set_behaviour(behaviour);
            }
            return Ok(Gateway::Fake(fake));
        }
        let secret_key = self
            .stripe_secret_key
            .clone()
            .ok_or_else(|| anyhow::anyhow!("stripe_secret_key is not set"))?;
        let stripe = StripeGateway::new(StripeSettings {
            secret_key,
            api_base: self.stripe_api_base.clone(),
            timeout: std::time::Duration::from_millis(self.stripe_timeout_ms),
            max_tries: self.stripe_max_tries,
            backoff: std::time::Duration::from_millis(200),
        })?;
        Ok(Gateway::Stripe(Arc::new(stripe)))
    }

    /// Whether introspection is answered: as set, or only with the embedded gateway.
    pub fn introspection_enabled(&self) -> bool {
        self.graphql_introspection
            .unwrap_or(self.payment_gateway != "stripe")
    }

    /// Whether GraphiQL is served: as set, or as introspection.
    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql
            .unwrap_or_else(|| self.introspection_enabled())
    }

    /// How long a seat hold lasts: `hold_ttl_seconds` when set, else `hold_ttl_minutes`.
    pub fn hold_ttl(&self) -> chrono::Duration {
        match self.hold_ttl_seconds {
            Some(seconds) => chrono::Duration::seconds(i64::from(seconds)),
            None => chrono::Duration::minutes(i64::from(self.hold_ttl_minutes)),
        }
    }

    /// The database URL to use: the configured one, or SQLite under the data dir.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("marquee.db").display()
            ),
        }
    }
}

#[cfg(test)]
// figment's Jail API fixes the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_name_their_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_BIND", "not-an-address");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().to_lowercase().contains("bind"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_BNID", "1");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("bnid"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("m.toml", "token_ttl_minutes = 0")?;
            let err = Settings::load(Some(Path::new("m.toml")), &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("token_ttl_minutes"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn mail_settings_come_from_smtp_url_and_are_checked() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SMTP_URL", "smtp://mail.example:2525");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(
                s.smtp_url.as_ref().map(|u| u.expose_secret().to_owned()),
                Some("smtp://mail.example:2525".to_owned())
            );
            Ok(())
        });
        for (key, value) in [
            ("MARQUEE_SMTP_URL", "http://mail.example"),
            ("MARQUEE_EMAIL_FROM", "not an address"),
            ("MARQUEE_EMAIL_MAX_ATTEMPTS", "0"),
            ("MARQUEE_EMAIL_LEASE_SECONDS", "1"),
        ] {
            figment::Jail::expect_with(|jail| {
                jail.set_env(key, value);
                let err = Settings::load(None, &Overrides::default()).unwrap_err();
                let name = key.trim_start_matches("MARQUEE_").to_lowercase();
                assert!(err.to_string().contains(&name), "{key}: {err}");
                Ok(())
            });
        }
    }

    #[test]
    fn traces_are_off_by_default_and_their_endpoint_is_checked() {
        figment::Jail::expect_with(|_| {
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.otlp_endpoint, None);
            assert_eq!(s.otlp_service_name, "marquee");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_OTLP_ENDPOINT", "http://127.0.0.1:4318");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.otlp_endpoint.as_deref(), Some("http://127.0.0.1:4318"));
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_OTLP_ENDPOINT", "127.0.0.1:4317");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("otlp_endpoint"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_stripe_publishable_key_must_be_a_publishable_one() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_STRIPE_PUBLISHABLE_KEY", "sk_test_secret");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("stripe_publishable_key"), "{err}");
            jail.set_env("MARQUEE_STRIPE_PUBLISHABLE_KEY", "pk_test_marquee");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.stripe_publishable_key.as_deref(), Some("pk_test_marquee"));
            Ok(())
        });
    }

    #[test]
    fn the_fake_gateway_is_served_beyond_loopback_only_for_a_demo() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_BIND", "0.0.0.0:8080");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("`demo`"), "{err}");
            jail.set_env("MARQUEE_DEMO", "true");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert!(s.introspection_enabled() && s.graphiql_enabled());
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_BIND", "[::]:8080");
            jail.set_env("MARQUEE_PAYMENT_GATEWAY", "stripe");
            jail.set_env("MARQUEE_STRIPE_SECRET_KEY", "sk_test_x");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert!(
                !s.introspection_enabled(),
                "introspection on with a real gateway"
            );
            assert!(!s.graphiql_enabled(), "GraphiQL on with a real gateway");
            jail.set_env("MARQUEE_GRAPHQL_INTROSPECTION", "true");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert!(s.introspection_enabled() && s.graphiql_enabled());
            jail.set_env("MARQUEE_GRAPHIQL", "false");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert!(s.introspection_enabled() && !s.graphiql_enabled());
            Ok(())
        });
    }

    #[test]
    fn rate_limits_read_as_count_per_period_and_bad_ones_name_their_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_RATE_LIMIT_LOGIN", "5/15m");
            jail.set_env("MARQUEE_RATE_LIMIT_SEARCH", "off");
            jail.set_env("MARQUEE_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.rate_limit_login.0.unwrap().to_string(), "5/15m");
            assert_eq!(s.rate_limit_search, Rate(None));
            assert!(s.trusted_proxies.contains("192.168.9.9".parse().unwrap()));
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("m.toml", "trusted_proxies = [\"10.0.0.0/8\", \"::1\"]")?;
            let s = Settings::load(Some(Path::new("m.toml")), &Overrides::default()).unwrap();
            assert!(s.trusted_proxies.contains("::1".parse().unwrap()));
            Ok(())
        });
        for (key, value) in [
            ("MARQUEE_RATE_LIMIT_LOGIN", "lots"),
            ("MARQUEE_RATE_LIMIT_HOLD_ACCOUNT", "0/1m"),
            ("MARQUEE_TRUSTED_PROXIES", "10.0.0.0/40"),
            ("MARQUEE_PASSWORD_HASH_CONCURRENCY", "0"),
        ] {
            figment::Jail::expect_with(|jail| {
                jail.set_env(key, value);
                let err = Settings::load(None, &Overrides::default()).unwrap_err();
                let name = key.trim_start_matches("MARQUEE_").to_lowercase();
                assert!(
                    err.to_string().to_lowercase().contains(&name),
                    "{key}: {err}"
                );
                Ok(())
            });
        }
    }

    #[test]
    fn a_hold_lasts_its_seconds_when_set_and_its_minutes_otherwise() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("MARQUEE_HOLD_TTL_MINUTES", "3");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.hold_ttl(), chrono::Duration::seconds(180));
            jail.set_env("MARQUEE_HOLD_TTL_SECONDS", "8");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(s.hold_ttl(), chrono::Duration::seconds(8));
            for bad in ["0", "4", "3601"] {
                jail.set_env("MARQUEE_HOLD_TTL_SECONDS", bad);
                let err = Settings::load(None, &Overrides::default()).unwrap_err();
                assert!(err.to_string().contains("hold_ttl_seconds"), "{bad}: {err}");
            }
            Ok(())
        });
    }

    #[test]
    fn sources_layer_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("m.toml", "bind = \"127.0.0.1:9000\"\nseed_demo = false")?;
            jail.set_env("DATABASE_URL", "postgres://db/x");
            jail.set_env("MARQUEE_BIND", "127.0.0.1:9100");
            let s = Settings::load(Some(Path::new("m.toml")), &Overrides::default()).unwrap();
            assert_eq!(s.bind.port(), 9100);
            assert!(!s.seed_demo);
            assert_eq!(s.effective_database_url(), "postgres://db/x");
            let o = Overrides {
                bind: Some("127.0.0.1:9200".parse().unwrap()),
                data_dir: None,
            };
            assert_eq!(
                Settings::load(Some(Path::new("m.toml")), &o)
                    .unwrap()
                    .bind
                    .port(),
                9200
            );
            Ok(())
        });
    }
}
