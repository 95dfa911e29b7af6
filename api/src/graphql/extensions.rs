//! Per-operation metrics: name, outcome and latency of every GraphQL operation.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};

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
        let response = next.run(ctx, operation_name).await;
        self.0.observe_operation(
            operation_name,
            response.errors.is_empty(),
            started.elapsed(),
        );
        response
    }
}
