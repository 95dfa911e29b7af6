//! Prometheus metrics: HTTP requests, GraphQL operations, database statements, emails,
//! live subscription messages, rate-limit refusals and the event feed; the queues' depths
//! (`queue_metrics`).

use std::collections::HashSet;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::queue_metrics::QueueGauges;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    path: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    path: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationName {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RenderingLabels {
    rendering: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RateLimitLabels {
    class: &'static str,
    scope: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DbLabels {
    outcome: String,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms .. ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// The label of an HTTP method: a standard one, or `other`.
fn method_label(method: &str) -> &str {
    const STANDARD: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
    ];
    STANDARD
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

/// Operation names come from clients: past this many distinct names, the rest are
/// counted as `other` so that a hostile client cannot blow up the series count.
const MAX_OPERATION_NAMES: usize = 200;

/// The server's metric families.
pub struct Metrics {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    operations: Family<OperationLabels, Counter>,
    operation_latency: Family<OperationName, Histogram, fn() -> Histogram>,
    db_statements: Family<DbLabels, Counter>,
    db_latency: Histogram,
    emails: Family<DbLabels, Counter>,
    /// Messages of each rendering, looked up once: a sale writes hundreds of thousands.
    live_shared: Counter,
    live_own: Counter,
    live_delay: Histogram,
    live_groups: Gauge,
    live_resync_failures: Counter,
    overview_feeds: Gauge,
    overview_reads: Counter,
    seat_map_renders: Counter,
    seat_map_reuses: Counter,
    listing_renders: Counter,
    listing_reuses: Counter,
    rate_limited: Family<RateLimitLabels, Counter>,
    feed_exported: Counter,
    feed_failures: Counter,
    feed_lag: Gauge<f64, AtomicU64>,
    known_operations: Mutex<HashSet<String>>,
    queues: QueueGauges,
}

impl Metrics {
    /// Registers every family.
    pub fn new() -> Arc<Self> {
        let mut registry = Registry::with_prefix("marquee");
        let queues = QueueGauges::register(&mut registry);
        let http_requests = Family::<HttpLabels, Counter>::default();
        let http_latency =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
                latency_histogram,
            );
        let operations = Family::<OperationLabels, Counter>::default();
        let operation_latency =
            Family::<OperationName, Histogram, fn() -> Histogram>::new_with_constructor(
                latency_histogram,
            );
        let db_statements = Family::<DbLabels, Counter>::default();
        let emails = Family::<DbLabels, Counter>::default();
        let db_latency = latency_histogram();
        let live_messages = Family::<RenderingLabels, Counter>::default();
        let live_delay = latency_histogram();
        let live_groups = Gauge::default();
        let live_resync_failures = Counter::default();
        let rate_limited = Family::<RateLimitLabels, Counter>::default();
        let overview_feeds = Gauge::default();
        let overview_reads = Counter::default();
        let seat_map_renders = Counter::default();
        let seat_map_reuses = Counter::default();
        let listing_renders = Counter::default();
        let listing_reuses = Counter::default();
        registry.register(
            "listing_renders",
            "Showtime lists rendered, one per filter, selection and catalog generation",
            listing_renders.clone(),
        );
        registry.register(
            "listing_reuses",
            "Showtime lists served from the rendering kept for their filter and selection",
            listing_reuses.clone(),
        );
        registry.register(
            "seat_map_renders",
            "Seat lists of seat maps rendered, one per edition and selection",
            seat_map_renders.clone(),
        );
        registry.register(
            "seat_map_reuses",
            "Seat lists of seat maps served from the rendering of their edition",
            seat_map_reuses.clone(),
        );
        registry.register(
            "overview_feeds",
            "Venue overviews followed for sectionUpdates subscribers, one per showtime watched",
            overview_feeds.clone(),
        );
        registry.register(
            "overview_reads",
            "Venue overviews read again after changes, each shared by every subscriber of its showtime",
            overview_reads.clone(),
        );
        let rendering = |r: &str| {
            live_messages
                .get_or_create(&RenderingLabels {
                    rendering: r.to_owned(),
                })
                .clone()
        };
        let (live_shared, live_own) = (rendering("shared"), rendering("own"));
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            http_requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            http_latency.clone(),
        );
        registry.register(
            "graphql_operations",
            "GraphQL operations by name and outcome",
            operations.clone(),
        );
        registry.register(
            "graphql_operation_duration_seconds",
            "GraphQL operation latency by name",
            operation_latency.clone(),
        );
        registry.register(
            "db_statements",
            "Database statements executed",
            db_statements.clone(),
        );
        registry.register(
            "db_statement_duration_seconds",
            "Database statement latency",
            db_latency.clone(),
        );
        registry.register(
            "emails",
            "Email send attempts by outcome (sent, retry, dead)",
            emails.clone(),
        );
        registry.register(
            "live_messages",
            "Subscription messages sent, by whether their serialization was shared with identical subscriptions",
            live_messages.clone(),
        );
        registry.register(
            "live_delay_seconds",
            "From the commit of a burst of seat changes to its message being written to a subscriber",
            live_delay.clone(),
        );
        registry.register(
            "live_groups",
            "Groups of identical seat-map subscriptions, each executed once, running now",
            live_groups.clone(),
        );
        registry.register(
            "live_resync_failures",
            "Fresh whole seat maps, read for group members that fell behind, that failed",
            live_resync_failures.clone(),
        );
        registry.register(
            "rate_limited",
            "Root fields refused by a rate limit, by class and by whose limit (address or account)",
            rate_limited.clone(),
        );
        let feed_exported = Counter::default();
        let feed_failures = Counter::default();
        let feed_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "feed_exported",
            "Outbox events the event feed's broker acknowledged",
            feed_exported.clone(),
        );
        registry.register(
            "feed_export_failures",
            "Event feed passes that failed (broker unreachable, refusing or slow), each retried",
            feed_failures.clone(),
        );
        registry.register(
            "feed_export_lag_seconds",
            "Age of the oldest outbox event the event feed has not exported yet",
            feed_lag.clone(),
        );
        Arc::new(Self {
            registry,
            rate_limited,
            feed_exported,
            feed_failures,
            feed_lag,
            emails,
            live_shared,
            live_own,
            live_delay,
            live_groups,
            live_resync_failures,
            overview_feeds,
            overview_reads,
            seat_map_renders,
            seat_map_reuses,
            listing_renders,
            listing_reuses,
            http_requests,
            http_latency,
            operations,
            operation_latency,
            db_statements,
            db_latency,
            known_operations: Mutex::new(HashSet::new()),
            queues,
        })
    }

    /// Records one HTTP request. Methods beyond the standard ones are counted as `other`:
    /// a client may send any token as a method, and each would be a new series.
    pub fn observe_http(&self, method: &str, path: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        self.http_requests
            .get_or_create(&HttpLabels {
                method: method.into(),
                path: path.into(),
                status,
            })
            .inc();
        self.http_latency
            .get_or_create(&RouteLabels {
                method: method.into(),
                path: path.into(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// Records one GraphQL operation.
    pub fn observe_operation(&self, name: Option<&str>, ok: bool, elapsed: Duration) {
        let operation = self.bounded_name(name.unwrap_or("anonymous"));
        let outcome = if ok { "ok" } else { "error" }.to_owned();
        self.operations
            .get_or_create(&OperationLabels {
                operation: operation.clone(),
                outcome,
            })
            .inc();
        self.operation_latency
            .get_or_create(&OperationName { operation })
            .observe(elapsed.as_secs_f64());
    }

    fn bounded_name(&self, name: &str) -> String {
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        let Ok(mut known) = self.known_operations.lock() else {
            return "other".into();
        };
        if known.contains(&name) || known.len() < MAX_OPERATION_NAMES {
            known.insert(name.clone());
            name
        } else {
            "other".into()
        }
    }

    /// Records one database statement.
    pub fn observe_db(&self, elapsed: Duration, failed: bool) {
        let outcome = if failed { "error" } else { "ok" }.to_owned();
        self.db_statements
            .get_or_create(&DbLabels { outcome })
            .inc();
        self.db_latency.observe(elapsed.as_secs_f64());
    }

    /// Records one email send attempt.
    pub fn observe_email(&self, outcome: &'static str) {
        self.emails
            .get_or_create(&DbLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// Records one subscription message: whether its serialization was `shared`, and for
    /// a message of one burst of changes, how long after their commit it was written.
    pub fn observe_live(&self, shared: bool, delay: Option<Duration>) {
        if shared {
            self.live_shared.inc();
        } else {
            self.live_own.inc();
        }
        if let Some(delay) = delay {
            self.live_delay.observe(delay.as_secs_f64());
        }
    }

    /// Counts the `fields` of a request refused by the limit of `class` per `scope`.
    pub fn observe_rate_limited(&self, class: &'static str, scope: &'static str, fields: u32) {
        self.rate_limited
            .get_or_create(&RateLimitLabels { class, scope })
            .inc_by(u64::from(fields));
    }

    /// Counts a subscription group started (`1`) or ended (`-1`).
    pub fn live_groups(&self, change: i64) {
        self.live_groups.inc_by(change);
    }

    /// Counts a venue overview feed started (`1`) or ended (`-1`).
    pub fn overview_feeds(&self, change: i64) {
        self.overview_feeds.inc_by(change);
    }

    /// Counts one read of a venue overview for its feed.
    pub fn overview_read(&self) {
        self.overview_reads.inc();
    }

    /// Counts a seat list rendered (`true`) or served from its edition's rendering.
    pub fn listing_served(&self, rendered: bool) {
        if rendered {
            self.listing_renders.inc();
        } else {
            self.listing_reuses.inc();
        }
    }

    pub fn seat_map_served(&self, rendered: bool) {
        if rendered {
            self.seat_map_renders.inc();
        } else {
            self.seat_map_reuses.inc();
        }
    }

    /// Counts a fresh whole map, read for a group member that fell behind, that failed.
    pub fn live_resync_failed(&self) {
        self.live_resync_failures.inc();
    }

    /// The queue and read-replica gauges, set before each scrape.
    pub fn queues(&self) -> &QueueGauges {
        &self.queues
    }

    /// Records what the event feed's exporter reports.
    pub fn observe_feed(&self, o: marquee_domain::feed::FeedObservation) {
        use marquee_domain::feed::FeedObservation;
        match o {
            FeedObservation::Exported(n) => {
                self.feed_exported.inc_by(n);
            }
            FeedObservation::Failed => {
                self.feed_failures.inc();
            }
            FeedObservation::Lag(age) => {
                self.feed_lag.set(age.as_secs_f64());
            }
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
