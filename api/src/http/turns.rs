//! GraphQL operations over HTTP take turns. On opening night hundreds of requests are in
//! flight at once on a few cores; run all at once, every one of them waits behind all the
//! others at each of its awaits, so a checkout of a dozen round trips waits a dozen times
//! as long as a one-step seat-map read, and the buyers who already hold seats pay last.
//! With a bounded number of operations running and the rest waiting in arrival order,
//! each request waits once, on arrival, and then runs among few: the same work is done,
//! and the long requests stop paying for the short ones. Waiting-room long polls, which
//! wait on purpose, do not take a turn.

use std::sync::Arc;

use async_graphql::parser::types::{ExecutableDocument, Selection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Root fields that wait on purpose (a long poll) and so run outside the turns.
const WAITING_FIELDS: [&str; 1] = ["waitingRoom"];

/// Turns to run GraphQL operations.
pub struct Turns {
    /// `None`: no limit.
    running: Option<Arc<Semaphore>>,
}

impl Turns {
    /// At most `limit` operations at once (0: no limit).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            running: (limit > 0).then(|| Arc::new(Semaphore::new(limit))),
        })
    }

    /// Waits for a turn for a request made of `documents`; the turn lasts as long as the
    /// permit. `None` when there is no limit or the request may wait on purpose.
    pub async fn take<'a>(
        &self,
        mut documents: impl Iterator<Item = &'a ExecutableDocument>,
    ) -> Option<OwnedSemaphorePermit> {
        let running = self.running.as_ref()?;
        if documents.any(waits_on_purpose) {
            return None;
        }
        running.clone().acquire_owned().await.ok()
    }
}

fn waits_on_purpose(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().any(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .any(|item| match &item.node {
                Selection::Field(field) => WAITING_FIELDS.contains(&field.node.name.node.as_str()),
                // A fragment at the root may hold one: treat it as waiting, to be safe.
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => true,
            })
    })
}
