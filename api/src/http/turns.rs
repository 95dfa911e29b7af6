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
//!
//! An operation is known by the root fields of the operation executed, fragments at the
//! root followed, so that neither a fragment nor a second operation in the same text can
//! pass a read off as a long poll. A batch takes one turn per operation, as it runs them.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
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

    /// Waits for a turn to run `operation` of `doc` (the only one when unnamed); the turn
    /// lasts as long as the value. `None` when there is no limit or the operation is only a
    /// long poll.
    pub async fn take(
        self: &Arc<Self>,
        doc: &ExecutableDocument,
        operation: Option<&str>,
    ) -> Option<Turn> {
        let queue = self.queue.as_ref()?;
        // An operation that is not in the text fails before it runs: it is a read.
        let fields = root_fields(doc, operation).unwrap_or_default();
        let polls_only = !fields.is_empty()
            && fields
                .iter()
                .all(|f| WAITING_FIELDS.contains(f) || *f == "__typename");
        if polls_only {
            return None;
        }
        let class = if fields.iter().any(|f| FIRST_FIELDS.contains(f)) {
            0
        } else if fields.iter().any(|f| HOLD_FIELDS.contains(f)) {
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

/// The root fields of `operation` in `doc` (the only operation when unnamed), those of
/// fragments at the root included; `None` when the text has no such operation.
fn root_fields<'a>(doc: &'a ExecutableDocument, operation: Option<&str>) -> Option<Vec<&'a str>> {
    let chosen = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), None) => op,
        // A named operation alone in its text is parsed as one of several; it runs with
        // no name asked for, as an app's `query W { waitingRoom … }` does.
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
        (DocumentOperations::Single(_), Some(_)) | (DocumentOperations::Multiple(_), None) => {
            // A name that is not the operation's, or several operations and no name:
            // execution refuses it.
            return None;
        }
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
    };
    Some(
        crate::graphql::root_selection::root_fields(doc, &chosen.node.selection_set.node)
            .into_iter()
            .map(|f| f.name.node.as_str())
            .collect(),
    )
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
        let held = turns.take(&read, None).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let wait = |d: ExecutableDocument, name: &'static str| {
            let (turns, order) = (turns.clone(), order.clone());
            tokio::spawn(async move {
                let turn = turns.take(&d, None).await;
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
        let again =
            tokio::time::timeout(std::time::Duration::from_secs(5), turns.take(&read, None)).await;
        assert!(again.is_ok_and(|t| t.is_some()), "a turn was lost");
    }

    #[tokio::test]
    async fn a_long_poll_is_known_by_the_operation_run_with_its_fragments_followed() {
        let turns = Turns::new(1);
        let _held = turns
            .take(&doc("{ showtimes { id } }"), None)
            .await
            .unwrap();
        // With the only turn taken, a long poll runs at once and anything else waits.
        let runs_at_once = |text: &str, operation: Option<&'static str>| {
            let (turns, d) = (turns.clone(), doc(text));
            async move {
                let wait = tokio::time::timeout(
                    std::time::Duration::from_millis(50),
                    turns.take(&d, operation),
                );
                matches!(wait.await, Ok(None))
            }
        };
        let poll = "waitingRoom(showtimeId: \"s\") { position }";
        assert!(runs_at_once(&format!("{{ {poll} }}"), None).await);
        assert!(runs_at_once(&format!("{{ ... on Query {{ {poll} }} }}"), None).await);
        let spread = format!("{{ ...P }} fragment P on Query {{ {poll} __typename }}");
        assert!(runs_at_once(&spread, None).await);
        let cycle = format!("{{ ...A }} fragment A on Query {{ ...A {poll} }}");
        assert!(runs_at_once(&cycle, None).await);
        // Named, alone in its text, and sent without its name (as the load generator and
        // many apps send it).
        let named = "query W($s: ID!) { waitingRoom(showtimeId: $s) { position } }";
        assert!(runs_at_once(named, None).await);
        assert!(runs_at_once(named, Some("W")).await);
        assert!(!runs_at_once("query R { showtimes { id } }", None).await);
        // A read behind a fragment, beside a poll, or named beside one waits its turn.
        let hidden = "{ ...R } fragment R on Query { showtimes { id } }";
        assert!(!runs_at_once(hidden, None).await);
        assert!(!runs_at_once(&format!("{{ {poll} showtimes {{ id }} }}"), None).await);
        let two = format!("query P {{ {poll} }} query R {{ showtimes {{ id }} }}");
        assert!(!runs_at_once(&two, Some("R")).await);
        assert!(runs_at_once(&two, Some("P")).await);
        assert!(
            !runs_at_once(&two, None).await,
            "no operation chosen: it fails as a read"
        );
    }
}
