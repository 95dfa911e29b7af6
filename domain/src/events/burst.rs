//! One burst of a key's events, as handed to every subscriber of that key.

use std::sync::Arc;

use super::DomainEvent;

/// A key's events of one burst, in bus order.
pub struct Burst {
    events: Box<[Arc<DomainEvent>]>,
}

impl Burst {
    /// A burst of `events`.
    pub fn new(events: Vec<Arc<DomainEvent>>) -> Self {
        Self {
            events: events.into_boxed_slice(),
        }
    }

    /// The events, in bus order.
    pub fn events(&self) -> &[Arc<DomainEvent>] {
        &self.events
    }
}

impl std::fmt::Debug for Burst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Burst")
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}
