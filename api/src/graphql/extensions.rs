//! Per-operation metrics and tracing: name, outcome and latency of every GraphQL
//! operation, and one span per operation. Not one span per field: a seat map resolves
//! thousands of fields, and per-field spans cost more than the resolution itself.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use tracing::Instrument as _;

use crate::metrics::Metrics;

/// Records each executed operation in [`Metrics`].
pub struct OperationMetrics(pub Arc<Metrics>);

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationMetricsExtension(self.0.clone()))
    }
}

struct OperationMetricsExtension(Arc<Metrics>);

#[async_graphql::async_trait::async_trait]
impl Extension for OperationMetricsExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let started = Instant::now();
        let span =
            tracing::info_span!("graphql", operation = operation_name.unwrap_or("anonymous"));
        let response = next.run(ctx, operation_name).instrument(span).await;
        self.0.observe_operation(
            operation_name,
            response.errors.is_empty(),
            started.elapsed(),
        );
        response
    }
}
