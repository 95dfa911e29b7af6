//! Per-operation metrics and tracing: name, outcome and latency of every GraphQL
//! operation, and one span per operation. Not one span per field: a seat map resolves
//! thousands of fields, and per-field spans cost more than the resolution itself.
//! And the rules a parsed document must meet before it runs.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, SelectionSet};
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

/// Rules a parsed document must meet before it runs: it signs in or signs up at most once
/// (each attempt costs a password hash, and aliases would otherwise let one request try
/// many passwords), and it asks nothing of the schema itself when introspection is off.
pub struct DocumentRules {
    /// Whether `__schema` and `__type` may be asked.
    pub introspection: bool,
}

/// Mutation fields that check or hash a password.
const SIGN_IN_FIELDS: [&str; 5] = [
    "logIn",
    "signUp",
    "changePassword",
    "updateProfile",
    "deleteAccount",
];
/// Why a document with more than one password check is refused.
const ONE_PASSWORD_CHECK: &str = "at most one logIn, signUp or other field that checks a \
     password (changePassword, updateProfile, deleteAccount) per request";
/// Query fields that describe the schema.
const INTROSPECTION_FIELDS: [&str; 2] = ["__schema", "__type"];

impl ExtensionFactory for DocumentRules {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentRules {
            introspection: self.introspection,
        })
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for DocumentRules {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        for (_, op) in doc.operations.iter() {
            let root = &op.node.selection_set.node;
            match op.node.ty {
                OperationType::Mutation if root_fields(&doc, root, &SIGN_IN_FIELDS) > 1 => {
                    return Err(refusal(ONE_PASSWORD_CHECK));
                }
                OperationType::Query
                    if !self.introspection
                        && root_fields(&doc, root, &INTROSPECTION_FIELDS) > 0 =>
                {
                    return Err(refusal("introspection is switched off on this server"));
                }
                _ => {}
            }
        }
        Ok(doc)
    }
}

fn refusal(message: &str) -> ServerError {
    let mut err = ServerError::new(message.to_owned(), None);
    err.extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", "GRAPHQL_VALIDATION_FAILED");
    err
}

/// The distinct results (by alias) of the fields named `names` in an operation's root
/// selection, through its fragments. Fields with the same result name run once.
fn root_fields(doc: &ExecutableDocument, root: &SelectionSet, names: &[&str]) -> usize {
    super::root_selection::root_fields(doc, root)
        .into_iter()
        .filter(|f| names.contains(&f.name.node.as_str()))
        .map(|f| f.response_key().node.as_str())
        .collect::<HashSet<_>>()
        .len()
}
