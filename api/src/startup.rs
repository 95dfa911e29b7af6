//! Building the application: services, schema and router bound to a port. Tests call the
//! same builder with port 0.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::Duration;
use marquee_domain::accounts::TokenSettings;
use marquee_domain::booking::{BookingSettings, BuyerCaps};
use marquee_domain::clock::{SharedClock, SystemClock};
use marquee_domain::db::DbSettings;
use marquee_domain::mail::{EmailSettings, FileMailer, MailObserver, Mailer, SmtpMailer};
use marquee_domain::payments::{FakeGateway, PaymentGateway};
use marquee_domain::rate_limit::{RateLimitStore, RateLimiter, RedisRateLimits};
use marquee_domain::replica::ReplicaSettings;
use marquee_domain::support::SupportSettings;
use marquee_domain::waiting_room::WaitingRoomSettings;
use marquee_domain::{DomainConfig, Services};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::config::{Gateway, Settings};
use crate::graphql::{self, Limits};
use crate::http::rate_limit::RateLimits;
use crate::http::serve::{Deadlines, serve};
use crate::http::{AppState, WebhookSettings, router};
use crate::metrics::Metrics;
use crate::secrets::load_or_create_jwt_secret;

/// A built server, bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    services: Arc<Services>,
    fake_gateway: Option<Arc<FakeGateway>>,
    addr: SocketAddr,
    deadlines: Deadlines,
}

/// Connects, migrates and wires the domain (also used by the CLI's maintenance commands).
pub async fn start_services(
    settings: &Settings,
    clock: SharedClock,
    metrics: Option<Arc<Metrics>>,
    gateway: Arc<dyn PaymentGateway>,
    search_dir: Option<std::path::PathBuf>,
) -> anyhow::Result<Arc<Services>> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data_dir {}", settings.data_dir.display()))?;
    let secret = match &settings.jwt_secret {
        Some(s) => s.clone(),
        None => load_or_create_jwt_secret(&settings.data_dir)?,
    };
    let observer: Option<marquee_domain::db::QueryObserver> = metrics
        .clone()
        .map(|m| Arc::new(move |elapsed, failed| m.observe_db(elapsed, failed)) as _);
    let mail_observer: Option<MailObserver> = metrics
        .clone()
        .map(|m| Arc::new(move |outcome| m.observe_email(outcome)) as _);
    let lease = std::time::Duration::from_secs(u64::from(settings.email_lease_seconds));
    // A send must end well inside its lease, or a second worker could take the message
    // while the first is still talking to the server.
    let mailer: Arc<dyn Mailer> = match &settings.smtp_url {
        Some(url) => Arc::new(
            SmtpMailer::new(url.expose_secret(), lease / 2)
                .map_err(|e| anyhow::anyhow!("smtp_url: {e}"))?,
        ),
        None => Arc::new(
            FileMailer::new(settings.data_dir.join("mail"))
                .context("cannot create the mail folder under data_dir")?,
        ),
    };
    let email = EmailSettings {
        from: settings
            .email_from
            .parse()
            .map_err(|e| anyhow::anyhow!("email_from: {e}"))?,
        max_attempts: i32::try_from(settings.email_max_attempts).unwrap_or(i32::MAX),
        retry_base: Duration::seconds(i64::from(settings.email_retry_base_seconds)),
        lease: Duration::from_std(lease).unwrap_or(Duration::seconds(60)),
        reminder_lead: Duration::minutes(i64::from(settings.reminder_lead_minutes)),
        reminder_scan: std::time::Duration::from_secs(30),
        max_per_recipient_hour: settings.email_max_per_recipient_hour,
        observer: mail_observer,
        public_url: settings.public_url.clone(),
    };
    let config = DomainConfig {
        database: DbSettings {
            url: settings.effective_database_url(),
            max_connections: settings.database_max_connections,
            acquire_timeout: std::time::Duration::from_millis(settings.database_acquire_timeout_ms),
            observer,
        },
        redis: settings
            .redis_url
            .as_ref()
            .map(|u| (u.expose_secret().to_owned(), settings.redis_prefix.clone())),
        seat_hold_front_line: settings.seat_hold_front_line,
        tokens: TokenSettings {
            secret,
            ttl: Duration::minutes(i64::from(settings.token_ttl_minutes)),
            account_recheck: std::time::Duration::from_secs(u64::from(
                settings.account_recheck_seconds,
            )),
        },
        password_hashing: settings.password_hash_concurrency,
        cleaning_buffer: Duration::minutes(i64::from(settings.cleaning_buffer_minutes)),
        booking: BookingSettings {
            hold_ttl: settings.hold_ttl(),
            max_seats: settings.max_seats_per_booking,
            checkout_extension: Duration::minutes(i64::from(settings.checkout_extension_minutes)),
            booking_fee_cents: i64::from(settings.booking_fee_cents),
            reconcile_after: Duration::seconds(i64::from(settings.reconcile_after_seconds)),
            full_refund_before: Duration::hours(i64::from(settings.full_refund_hours)),
            partial_refund_before: Duration::hours(i64::from(settings.partial_refund_hours)),
            buyer_caps: BuyerCaps {
                seats_per_showtime: settings.max_seats_per_buyer_per_showtime,
                active_holds: settings.max_active_holds_per_buyer,
            },
            max_clock_skew: (settings.max_clock_skew_ms > 0)
                .then(|| Duration::milliseconds(i64::from(settings.max_clock_skew_ms))),
        },
        waitlist_offer_ttl: Duration::seconds(i64::from(settings.waitlist_offer_seconds)),
        waiting_room: WaitingRoomSettings {
            capacity: settings.waiting_room_capacity,
            admission: Duration::seconds(i64::from(settings.waiting_room_admission_seconds)),
        },
        gateway,
        mailer,
        email,
        clock,
        search_dir,
        read_replica: settings
            .database_read_url
            .as_ref()
            .map(|url| ReplicaSettings {
                database: DbSettings {
                    url: url.expose_secret().to_owned(),
                    max_connections: settings.database_max_connections,
                    acquire_timeout: std::time::Duration::from_millis(
                        settings.database_acquire_timeout_ms,
                    ),
                    observer: None,
                },
                max_lag: std::time::Duration::from_millis(settings.database_read_max_lag_ms),
            }),
        feed: crate::feed::feed_config(settings, metrics),
        support: SupportSettings {
            close_after: Duration::days(i64::from(settings.support_close_after_days)),
            first_response_target: Duration::hours(i64::from(
                settings.support_first_response_target_hours,
            )),
            reply_domain: settings.support_reply_domain.to_ascii_lowercase(),
        },
        analytics_rollups: settings.analytics_rollups,
    };
    Services::start(config)
        .await
        .context("starting the domain services")
}

impl Application {
    /// Builds with the system clock.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Builds with a given clock (tests move time).
    pub async fn build_with_clock(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let metrics = Metrics::new();
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create data_dir {}", settings.data_dir.display()))?;
        // The ledger makes the embedded gateway's charges outlive a crash, like a real one's.
        let gateway = settings.payment_gateway(|| {
            FakeGateway::with_ledger(settings.data_dir.join("fake-gateway.jsonl"))
        })?;
        let services = start_services(
            &settings,
            clock,
            Some(metrics.clone()),
            gateway.port(),
            Some(settings.data_dir.join("search")),
        )
        .await?;
        let fake_gateway = match gateway {
            Gateway::Fake(fake) => Some(fake),
            Gateway::Stripe(_) => None,
        };
        if settings.seed_demo {
            let started = std::time::Instant::now();
            if let Some(report) =
                marquee_domain::demo::seed_if_empty(&services.db, services.clock.as_ref()).await?
            {
                tracing::info!(
                    ?report,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "seeded the demo catalog"
                );
            }
        }
        // The search index follows the catalog on every instance: built now if it is new
        // (or was lost), refreshed in the background otherwise (changes made while this
        // instance was down), then kept in step with the change feed.
        let listener = services.events.subscribe();
        if services.discovery.is_empty() {
            let docs = services.discovery.rebuild().await?;
            tracing::info!(docs, "built the search index");
        } else {
            // In the feed's worker: a rebuild beside it could overwrite a newer change.
            services.discovery.request_rebuild();
        }
        tokio::spawn(services.discovery.clone().run(listener));
        // Workers: publish the outbox, write inbox entries and emails from it, release lapsed holds, settle payments whose outcome
        // was unknown, end the bookings of cancelled shows, send email, export the outbox to the event feed (when it is on), keep the sales rollups current (when they are on). Any number
        // of instances may run them; they coordinate through the database.
        if settings.run_workers {
            services.lane.spawn(
                services
                    .relay
                    .clone()
                    .run(std::time::Duration::from_millis(250)),
            );
            tokio::spawn(
                services
                    .expiry
                    .clone()
                    .run(std::time::Duration::from_secs(1)),
            );
            tokio::spawn(
                services
                    .reconcile
                    .clone()
                    .run(std::time::Duration::from_secs(1)),
            );
            tokio::spawn(
                services
                    .bookings
                    .clone()
                    .run_cancelled_showtimes(std::time::Duration::from_secs(1)),
            );
            tokio::spawn(
                services
                    .waitlist_offers
                    .clone()
                    .run(std::time::Duration::from_millis(500)),
            );
            tokio::spawn(
                services
                    .alert_worker
                    .clone()
                    .run(std::time::Duration::from_secs(1)),
            );
            tokio::spawn(
                services
                    .deriver
                    .clone()
                    .run(std::time::Duration::from_millis(500)),
            );
            tokio::spawn(
                services
                    .emails
                    .clone()
                    .run(std::time::Duration::from_secs(1)),
            );
            tokio::spawn(
                services
                    .support
                    .clone()
                    .run_closing(std::time::Duration::from_secs(u64::from(
                        settings.support_close_scan_seconds,
                    ))),
            );
            if let Some(rollups) = &services.rollups {
                tokio::spawn(rollups.clone().run(std::time::Duration::from_millis(500)));
            }
            if let Some(exporter) = &services.exporter {
                tokio::spawn(exporter.clone().run(std::time::Duration::from_millis(250)));
            }
        }
        let schema = graphql::build(
            services.clone(),
            metrics.clone(),
            Limits {
                max_depth: settings.graphql_max_depth,
                max_complexity: settings.graphql_max_complexity,
                introspection: settings.introspection_enabled(),
            },
            graphql::PaymentSetup {
                gateway: if fake_gateway.is_some() {
                    "fake"
                } else {
                    "stripe"
                }
                .to_owned(),
                publishable_key: settings.stripe_publishable_key.clone(),
            },
        );
        let state = AppState {
            groups: Arc::new(crate::http::Groups::new(
                schema.clone(),
                services.clone(),
                metrics.clone(),
                settings.ws_group_backlog,
            )),
            schema,
            services: services.clone(),
            metrics: metrics.clone(),
            ws_limits: crate::http::ws_limits_of(&settings),
            rate_limits: Arc::new(RateLimits::new(
                &settings,
                RateLimiter::new(
                    services
                        .redis
                        .clone()
                        .map(|r| Arc::new(RedisRateLimits::new(r)) as Arc<dyn RateLimitStore>),
                    services.clock.clone(),
                ),
                metrics.clone(),
            )),
            parsed: Arc::default(),
            turns: crate::http::turns::Turns::new(settings.max_concurrent_operations),
            graphiql: settings.graphiql_enabled(),
            web: Arc::new(crate::http::web_app::WebApp::new(&settings.web_dir)),
            fake_gateway: fake_gateway.clone(),
            webhooks: WebhookSettings {
                secret: settings.stripe_webhook_secret.clone(),
                tolerance_secs: i64::from(settings.webhook_tolerance_seconds),
                support_inbound_secret: settings.support_inbound_secret.clone(),
            },
        };
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        Ok(Self {
            listener,
            router: router(state, settings.max_body_bytes),
            services,
            fake_gateway,
            addr,
            deadlines: Deadlines {
                headers: std::time::Duration::from_millis(settings.http_header_timeout_ms),
                body: std::time::Duration::from_millis(settings.http_body_timeout_ms),
            },
        })
    }

    /// The bound address (port 0 resolved).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The domain services, for tests that need to look behind the API.
    pub fn services(&self) -> Arc<Services> {
        self.services.clone()
    }

    /// The embedded payment gateway, when it is the configured one, so tests can make it
    /// slow or fail.
    pub fn fake_gateway(&self) -> Option<Arc<FakeGateway>> {
        self.fake_gateway.clone()
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Every request carries the peer's address (for the rate limits and the
        // WebSocket caps), set by `serve`.
        serve(self.listener, self.router, self.deadlines, shutdown).await
    }
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
