//! Per-operation metrics and tracing: name, outcome and latency of every GraphQL
//! operation, and one span per operation. Not one span per field: a seat map resolves
//! thousands of fields, and per-field spans cost more than the resolution itself.
//! And one check of a parsed document before it runs: at most one sign-in.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Response, ServerError, ServerResult, Variables};
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

/// Refuses a document that signs in or signs up more than once: each attempt costs a
/// password hash, and aliases would otherwise let one request try many passwords.
pub struct SignInOnce;

/// Mutation fields that take a password.
const SIGN_IN_FIELDS: [&str; 2] = ["logIn", "signUp"];

impl ExtensionFactory for SignInOnce {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SignInOnce)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for SignInOnce {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let most = doc
            .operations
            .iter()
            .filter(|(_, op)| op.node.ty == OperationType::Mutation)
            .map(|(_, op)| sign_ins(&doc, &op.node.selection_set.node))
            .max()
            .unwrap_or(0);
        if most > 1 {
            let mut err =
                ServerError::new("at most one logIn or signUp per request".to_owned(), None);
            err.extensions
                .get_or_insert_with(ErrorExtensionValues::default)
                .set("code", "GRAPHQL_VALIDATION_FAILED");
            return Err(err);
        }
        Ok(doc)
    }
}

/// The distinct results (by alias) of sign-in fields in a mutation's root selection, through
/// its fragments. Fields with the same result name run once.
fn sign_ins(doc: &ExecutableDocument, root: &SelectionSet) -> usize {
    let mut keys = HashSet::new();
    let mut seen = HashSet::new();
    let mut pending = vec![root];
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    if SIGN_IN_FIELDS.contains(&f.node.name.node.as_str()) {
                        keys.insert(f.node.response_key().node.as_str());
                    }
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name.as_str())
                        && let Some(fragment) = doc.fragments.get(name)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    keys.len()
}
