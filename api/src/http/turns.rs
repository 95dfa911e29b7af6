//! GraphQL operations over HTTP take turns. On opening night hundreds of requests are in
//! flight at once on a few cores; run all at once, every one of them waits behind all the
//! others at each of its awaits, so a checkout of a dozen round trips waits a dozen times
//! as long as a one-step seat-map read, and the buyers who already hold seats pay last.
//! With a bounded number of operations running, the rest wait on arrival, once, and then
//! run among few. Operations that finish a purchase or give seats back (`checkout`,
//! `confirmCheckout`, `releaseHold`) go first: they are what ends a sale, and there are
//! as many of them as there are seats, not as many as buyers. Holds go next: a buyer who
//! has chosen seats is further along than one still reading the map. Within each kind,
//! arrival order. Waiting-room long polls, which wait on purpose, do not take a turn.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{ExecutableDocument, Selection};
use tokio::sync::oneshot;

/// Root fields that wait on purpose (a long poll) and so run outside the turns.
const WAITING_FIELDS: [&str; 1] = ["waitingRoom"];

/// Root fields whose operations go before the others.
const FIRST_FIELDS: [&str; 3] = ["checkout", "confirmCheckout", "releaseHold"];

/// Root fields whose operations go next: a buyer who has chosen seats.
const HOLD_FIELDS: [&str; 3] = ["holdSeats", "holdGeneralAdmission", "holdBestAvailable"];

/// Turns to run GraphQL operations.
pub struct Turns {
    /// `None`: no limit.
    queue: Option<Mutex<Queue>>,
}

struct Queue {
    free: usize,
    /// Waiting operations: purchases, holds, then the others.
    waiting: [VecDeque<oneshot::Sender<()>>; 3],
}

/// A turn, given back when dropped.
pub struct Turn(Arc<Turns>);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.give_back();
    }
}

/// A request waiting for its turn; one handed to it after it stopped waiting is given on.
struct Waiting {
    handed: oneshot::Receiver<()>,
    turns: Arc<Turns>,
    done: bool,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if !self.done {
            self.handed.close();
            if self.handed.try_recv().is_ok() {
                self.turns.give_back();
            }
        }
    }
}

impl Turns {
    /// At most `limit` operations at once (0: no limit).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            queue: (limit > 0).then(|| {
                Mutex::new(Queue {
                    free: limit,
                    waiting: [VecDeque::new(), VecDeque::new(), VecDeque::new()],
                })
            }),
        })
    }

    /// Waits for a turn for a request made of `documents`; the turn lasts as long as the
    /// value. `None` when there is no limit or the request may wait on purpose.
    pub async fn take<'a>(
        self: &Arc<Self>,
        documents: impl Iterator<Item = &'a ExecutableDocument> + Clone,
    ) -> Option<Turn> {
        let queue = self.queue.as_ref()?;
        if documents.clone().any(|d| at_root(d, &WAITING_FIELDS)) {
            return None;
        }
        let class = if documents.clone().any(|d| at_root(d, &FIRST_FIELDS)) {
            0
        } else if documents.into_iter().any(|d| at_root(d, &HOLD_FIELDS)) {
            1
        } else {
            2
        };
        let handed = {
            let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            if queue.free > 0 {
                queue.free -= 1;
                return Some(Turn(self.clone()));
            }
            let (hand, handed) = oneshot::channel();
            queue.waiting[class].push_back(hand);
            handed
        };
        let mut waiting = Waiting {
            handed,
            turns: self.clone(),
            done: false,
        };
        let got = (&mut waiting.handed).await.is_ok();
        waiting.done = true;
        got.then(|| Turn(self.clone()))
    }

    /// Hands a turn to the next waiting operation, or keeps it free.
    fn give_back(&self) {
        let Some(queue) = &self.queue else {
            return;
        };
        let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let Some(next) = queue.waiting.iter_mut().find_map(VecDeque::pop_front) else {
                queue.free += 1;
                return;
            };
            // A request that stopped waiting is skipped.
            if next.send(()).is_ok() {
                return;
            }
        }
    }
}

/// Whether an operation of `doc` has one of `fields` at its root (a fragment at the root
/// may hold one, so it counts as one too).
fn at_root(doc: &ExecutableDocument, fields: &[&str]) -> bool {
    doc.operations.iter().any(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .any(|item| match &item.node {
                Selection::Field(field) => fields.contains(&field.node.name.node.as_str()),
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => true,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[tokio::test]
    async fn turns_go_to_purchases_then_holds_then_in_arrival_order_and_a_cancelled_wait_passes_its_turn_on()
     {
        let turns = Turns::new(1);
        let read = doc("{ showtimes { id } }");
        let pay = doc("mutation { checkout(bookingId: \"b\", input: {}) { id } }");
        let hold = doc("mutation { holdSeats(showtimeId: \"s\", seatIds: []) { id } }");
        let held = turns.take(std::iter::once(&read)).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let wait = |d: ExecutableDocument, name: &'static str| {
            let (turns, order) = (turns.clone(), order.clone());
            tokio::spawn(async move {
                let turn = turns.take(std::iter::once(&d)).await;
                order.lock().unwrap().push(name);
                drop(turn);
            })
        };
        let first_read = wait(read.clone(), "read 1");
        tokio::task::yield_now().await;
        // A wait given up before its turn comes must not keep the turn.
        let given_up = wait(read.clone(), "never");
        tokio::task::yield_now().await;
        given_up.abort();
        let second_read = wait(read.clone(), "read 2");
        tokio::task::yield_now().await;
        let holding = wait(hold, "hold");
        tokio::task::yield_now().await;
        let checkout = wait(pay, "checkout");
        tokio::task::yield_now().await;
        drop(held);
        for t in [first_read, second_read, holding, checkout] {
            t.await.unwrap();
        }
        assert_eq!(
            *order.lock().unwrap(),
            ["checkout", "hold", "read 1", "read 2"]
        );
        // Every turn came back.
        let again = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            turns.take(std::iter::once(&read)),
        )
        .await;
        assert!(again.is_ok_and(|t| t.is_some()), "a turn was lost");
    }
}
