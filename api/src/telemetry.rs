//! The tracing subscriber: pretty or JSON lines, filtered by `log_filter` or `RUST_LOG`,
//! and, with `otlp_endpoint` set, every span exported over OTLP/HTTP.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Context as _;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::trace::span_processor_with_async_runtime::BatchSpanProcessor;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _, fmt};

use crate::config::LogFormat;

/// Longest wait for one export; a collector that does not answer costs spans, never requests.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait at shutdown for the last spans to leave.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Where spans go when traces are on.
pub struct Otlp<'a> {
    /// Base URL of the collector; spans are posted to its `/v1/traces`.
    pub endpoint: &'a str,
    /// The exported `service.name`.
    pub service_name: &'a str,
}

/// The installed exporter, to flush at shutdown (nothing when traces are off).
#[must_use = "shut it down at the end, or the last spans are lost"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

/// Installs the global subscriber once; later calls (tests) are ignored. With `otlp`,
/// must run on the Tokio runtime: the batch exporter is a task of it.
pub fn init(format: LogFormat, filter: &str, otlp: Option<Otlp<'_>>) -> anyhow::Result<Telemetry> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let lines = fmt::layer()
        .with_target(true)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let lines = match format {
        LogFormat::Json => lines.json().flatten_event(true).boxed(),
        LogFormat::Pretty => lines.compact().boxed(),
    };
    let provider = otlp.map(provider).transpose()?;
    let spans = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("marquee"))
            .with_threads(false)
    });
    if provider.is_some() {
        // Only with an exporter: without one the W3C headers and the outbox's context
        // column are left alone (the default propagator injects and extracts nothing).
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    }
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(lines)
        .with(spans)
        .try_init();
    Ok(Telemetry { provider })
}

fn provider(otlp: Otlp<'_>) -> anyhow::Result<SdkTracerProvider> {
    let endpoint = format!("{}/v1/traces", otlp.endpoint.trim_end_matches('/'));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    let client = opentelemetry_http::hyper::HyperClient::new(https, EXPORT_TIMEOUT, None);
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(endpoint)
        .with_timeout(EXPORT_TIMEOUT)
        .build()
        .context("otlp_endpoint: cannot build the span exporter")?;
    // On the Tokio runtime rather than a thread of its own: the hyper client runs there.
    let batches = BatchSpanProcessor::builder(exporter, opentelemetry_sdk::runtime::Tokio).build();
    Ok(SdkTracerProvider::builder()
        .with_span_processor(batches)
        .with_resource(
            Resource::builder()
                .with_service_name(otlp.service_name.to_owned())
                .build(),
        )
        .build())
}

impl Telemetry {
    /// Whether spans are exported.
    pub fn exporting(&self) -> bool {
        self.provider.is_some()
    }

    /// Sends the spans still queued and stops the exporter (a no-op when traces are off).
    pub async fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        // The SDK blocks on the export it waits for: off the runtime's worker threads.
        let done =
            tokio::task::spawn_blocking(move || provider.shutdown_with_timeout(SHUTDOWN_TIMEOUT));
        match tokio::time::timeout(SHUTDOWN_TIMEOUT + Duration::from_secs(1), done).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => tracing::warn!(error = %e, "the last spans may be lost"),
            Ok(Err(e)) => tracing::warn!(error = %e, "the last spans may be lost"),
            Err(_) => tracing::warn!("the collector did not take the last spans in time"),
        }
    }
}
