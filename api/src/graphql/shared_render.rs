//! Rendering shared by identical subscriptions. Subscription connections run the schema
//! through [`LiveExecutor`], which tags every subscription with a key of its exact request
//! (text, operation, variables); the seat changes of a burst are then resolved once per key
//! and burst, and every other subscriber with that key gets a copy of the result. Without
//! it, each of a thousand viewers of one seat map resolves every change of every burst.

use std::borrow::Cow;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, Data, Executor, OutputType, Positioned, Request, Response, ServerResult,
    Value,
};
use marquee_domain::events::{Burst, DomainEvent};

use super::AppSchema;
use super::types::SeatUpdate;

/// Identifies a subscription request exactly: subscriptions with the same key select the
/// same fields of the same values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderKey(u64);

impl RenderKey {
    fn of(request: &Request) -> Self {
        let mut h = DefaultHasher::new();
        request.query.hash(&mut h);
        request.operation_name.hash(&mut h);
        // Variables can change what is selected (`@include(if: $x)`).
        serde_json::to_string(&request.variables)
            .unwrap_or_default()
            .hash(&mut h);
        Self(h.finish())
    }
}

/// The schema, with each subscription tagged by its [`RenderKey`].
#[derive(Clone)]
pub struct LiveExecutor(pub AppSchema);

impl Executor for LiveExecutor {
    async fn execute(&self, request: Request) -> Response {
        self.0.execute(request).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let key = RenderKey::of(&request);
        self.0
            .execute_stream_with_session_data(request.data(key), session_data.unwrap_or_default())
    }
}

/// Part of a message's seat changes.
pub enum ChangePart {
    /// A whole burst, as every subscriber of the showtime got it.
    Shared(Arc<Burst>),
    /// Events of this subscriber alone (what is left of a burst after skipping repeats).
    Own(Vec<Arc<DomainEvent>>),
}

/// The seat changes of one message, typed `[SeatUpdate!]!`.
pub struct SeatChanges(pub Vec<ChangePart>);

impl OutputType for SeatChanges {
    fn type_name() -> Cow<'static, str> {
        <Vec<SeatUpdate> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<SeatUpdate> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<SeatUpdate> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let key = ctx.data_opt::<RenderKey>().copied();
        let mut items = Vec::new();
        for part in &self.0 {
            match (part, key) {
                (ChangePart::Shared(burst), Some(RenderKey(key))) => {
                    let rendered = match burst.recall::<Value>(key) {
                        Some(kept) => kept,
                        None => {
                            burst.remember(key, Arc::new(render(burst.events(), ctx, field).await?))
                        }
                    };
                    if let Value::List(list) = &*rendered {
                        items.extend(list.iter().cloned());
                    }
                }
                (ChangePart::Shared(burst), None) => {
                    push(&mut items, render(burst.events(), ctx, field).await?);
                }
                (ChangePart::Own(events), _) => push(&mut items, render(events, ctx, field).await?),
            }
        }
        Ok(Value::List(items))
    }
}

async fn render(
    events: &[Arc<DomainEvent>],
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let updates: Vec<SeatUpdate> = events
        .iter()
        .filter_map(|e| e.seats.as_deref())
        .flatten()
        .map(SeatUpdate::from)
        .collect();
    OutputType::resolve(&updates, ctx, field).await
}

fn push(items: &mut Vec<Value>, rendered: Value) {
    if let Value::List(list) = rendered {
        items.extend(list);
    }
}
