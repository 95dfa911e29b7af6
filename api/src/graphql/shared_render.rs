//! Rendering shared by identical subscriptions. The subscription connection tags every
//! subscription with a key of its exact request (text, operation, variables) and a
//! [`FrameSlot`]. The seat changes of a burst are then resolved once per key and burst;
//! a message that is exactly one whole burst is also serialized once per key, and every
//! other subscriber with that key sends those bytes without resolving anything. Without
//! it, each of a thousand viewers of one seat map resolves and serializes every burst.

use std::borrow::Cow;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, Request, ServerResult, Value};
use marquee_domain::events::{Burst, DomainEvent};

use super::types::SeatUpdate;

/// Identifies a subscription request exactly: subscriptions with the same key select the
/// same fields of the same values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderKey(u64);

impl RenderKey {
    /// The key of `request`.
    pub fn of(request: &Request) -> Self {
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

/// Set while a subscription renders a message that is one whole shared burst: the burst,
/// for its connection to find (or keep) the message serialized for the subscription's key.
#[derive(Clone, Default)]
pub struct FrameSlot(Arc<Mutex<Option<Arc<Burst>>>>);

impl FrameSlot {
    /// The burst the message just rendered showed whole, if it was one; clears the slot.
    pub fn take(&self) -> Option<Arc<Burst>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    fn set(&self, burst: &Arc<Burst>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(burst.clone());
    }
}

/// The `payload` of a message showing one burst, serialized, as kept in the burst for
/// every subscriber with the same [`RenderKey`].
pub struct Frame(pub String);

/// The frame kept in `burst` for `key`.
pub fn shared_frame(burst: &Burst, key: RenderKey) -> Option<Arc<Frame>> {
    burst.recall::<Frame>(key.0)
}

/// Keeps `payload` as the frame of `burst` for `key`.
pub fn keep_frame(burst: &Burst, key: RenderKey, payload: String) -> Arc<Frame> {
    burst.remember(key.0, Arc::new(Frame(payload)))
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
        if let (Some(key), Some(slot), [ChangePart::Shared(burst)]) =
            (key, ctx.data_opt::<FrameSlot>(), &self.0[..])
        {
            slot.set(burst);
            if shared_frame(burst, key).is_some() {
                // The connection sends the kept frame; what is rendered here is not sent.
                return Ok(Value::List(Vec::new()));
            }
        }
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
