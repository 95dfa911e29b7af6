//! The W3C trace context carried across the asynchronous hops of a booking (the payment to
//! the webhook or reconciliation that settles it, the outbox row to the relay and the inbox
//! deriver, the deriver to the email worker), so that the span that sends an email is in
//! the trace of the checkout that paid for the booking.
//!
//! Everything here goes through the process's text-map propagator: without an exporter
//! the server installs none, and the default one reads and writes nothing, so a row is
//! written with no context and a worker's span starts a trace of its own.

use std::collections::HashMap;

use opentelemetry::propagation::{Extractor, Injector};
use opentelemetry::trace::TraceContextExt as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

const TRACEPARENT: &str = "traceparent";

/// The `traceparent` of the current span, if it is being traced.
pub fn current() -> Option<String> {
    of(&tracing::Span::current())
}

/// The `traceparent` of `span`, if it is being traced.
pub fn of(span: &tracing::Span) -> Option<String> {
    let cx = span.context();
    if !cx.span().span_context().is_valid() {
        return None;
    }
    let mut carrier = Carrier::default();
    opentelemetry::global::get_text_map_propagator(|p| p.inject_context(&cx, &mut carrier));
    carrier.0.remove(TRACEPARENT)
}

/// Makes the freshly created `span` a child of the span `traceparent` names (a row's
/// writer); nothing when there is none or it cannot be read.
pub fn continue_from(span: &tracing::Span, traceparent: Option<&str>) {
    if let Some(cx) = extract(traceparent) {
        // Fails only for a span not traced (filtered out): it then has no parent to take.
        let _ = span.set_parent(cx);
    }
}

/// [`continue_from`] for a span that would otherwise be a child of the current one (a
/// payment settled by a webhook long after its checkout): the two are linked both ways, so
/// that each trace leads to the other.
pub fn continue_linked(span: &tracing::Span, traceparent: Option<&str>) {
    let Some(cx) = extract(traceparent) else {
        return;
    };
    let here = tracing::Span::current();
    let here_cx = here.context();
    let _ = span.set_parent(cx.clone());
    span.add_link(here_cx.span().span_context().clone());
    here.add_link(cx.span().span_context().clone());
}

/// The context `traceparent` names, if it can be read (never with traces off).
fn extract(traceparent: Option<&str>) -> Option<opentelemetry::Context> {
    let carrier = Carrier(HashMap::from([(
        TRACEPARENT.to_owned(),
        traceparent?.to_owned(),
    )]));
    let cx = opentelemetry::global::get_text_map_propagator(|p| p.extract(&carrier));
    cx.span().span_context().is_valid().then_some(cx)
}

#[derive(Default)]
struct Carrier(HashMap<String, String>);

impl Injector for Carrier {
    fn set(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
}

impl Extractor for Carrier {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}
