//! Subscription groups. Every `seatMapUpdates` subscription on this instance with the same
//! request (text, operation, variables) is a member of one group, and the group alone
//! executes it: each message is resolved and serialized once, and a member's connection
//! only writes those bytes. On opening night a thousand viewers of one seat map then cost
//! one execution per burst of changes, not a thousand.
//!
//! A seat map reads the same for every viewer, which is what makes sharing it sound. A
//! member still gets its own first message (the whole map as it was when it joined) from
//! its own execution, and a fresh whole map the same way when it falls behind the group.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use async_graphql::futures_util::StreamExt;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use async_graphql::{Request, Response, Variables};
use chrono::{DateTime, Utc};
use marquee_domain::Services;
use tokio::sync::{Notify, broadcast, watch};
use tokio::task::JoinHandle;

use super::graphql::give_codes;
use crate::graphql::auth::RequestAuth;
use crate::graphql::{AppSchema, CommitMark, request_data};
use crate::metrics::Metrics;

/// How long at most a group waits for half its members to write a message before it makes
/// the next: the changes that come meanwhile go out together in one message. While a
/// thousand members take a message, more changes commit; one message per change would have
/// each member write a queue of small messages and fall further behind.
const WRITE_WAIT: Duration = Duration::from_millis(50);

/// The root field whose subscriptions are grouped: it shows every viewer the same.
const GROUPED_FIELD: &str = "seatMapUpdates";

/// What a group sends its members.
#[derive(Clone)]
pub enum GroupMessage {
    /// A result, serialized.
    Frame(Arc<Frame>),
    /// The group's execution ended; so do its members' subscriptions.
    End,
}

/// A result of a group's execution.
pub struct Frame {
    /// The result (`{"data": …}`), serialized once for every member.
    pub payload: String,
    /// When the oldest change it shows was committed (none for a whole map).
    pub committed: Option<DateTime<Utc>>,
    /// Members yet to write it before the group makes the next message.
    unwritten: AtomicUsize,
    all_written: Arc<Notify>,
}

impl Frame {
    /// Tells the group that one more member wrote this message.
    pub fn written(&self) {
        let last = self
            .unwritten
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if last == Ok(1) {
            self.all_written.notify_one();
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Its execution has not yet listened to the changes.
    Starting,
    /// It listens: a member that reads its map from now on misses nothing.
    Running,
    /// Its execution failed or ended; members keep their own.
    Over,
}

/// A subscription request's hash (text, operation, variables): a group's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RenderKey(u64);

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

/// The running groups of an instance, by key.
#[derive(Default)]
struct Registry(Mutex<HashMap<RenderKey, Weak<Group>>>);

impl Registry {
    /// The running group of `template` (keyed `key`), or a new one from `start` when
    /// there is none; `None` when another request has the same key.
    fn enter(
        &self,
        key: RenderKey,
        template: Template,
        start: impl FnOnce(Template) -> Group,
    ) -> Option<Arc<Group>> {
        let mut live = self.lock();
        let found = live.get(&key).and_then(Weak::upgrade);
        let joined = match &found {
            // Keys are hashes: a request that only shares the hash runs on its own.
            Some(group) if !group.is_over() => group
                .template
                .same_request(&template)
                .then(|| group.clone()),
            _ => {
                let group = Arc::new(start(template));
                live.insert(key, Arc::downgrade(&group));
                Some(group)
            }
        };
        // The group found may have lost its last member meanwhile, leaving `found` the last
        // reference: dropping it runs `Group::drop`, which takes the lock, so that goes first.
        drop(live);
        drop(found);
        joined
    }

    /// Forgets the group of `key` if it has no member left (a newer one may have its key).
    fn leave(&self, key: RenderKey) {
        let mut live = self.lock();
        if live.get(&key).is_some_and(|g| g.strong_count() == 0) {
            live.remove(&key);
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<RenderKey, Weak<Group>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The groups of this instance, by request.
pub struct Groups {
    schema: AppSchema,
    services: Arc<Services>,
    metrics: Arc<Metrics>,
    /// Messages kept for members that are behind; one further behind gets a fresh map.
    backlog: usize,
    live: Arc<Registry>,
}

impl Groups {
    /// No groups yet.
    pub fn new(
        schema: AppSchema,
        services: Arc<Services>,
        metrics: Arc<Metrics>,
        backlog: usize,
    ) -> Self {
        Self {
            schema,
            services,
            metrics,
            backlog,
            live: Arc::default(),
        }
    }

    /// The group of `request` (parsed as `doc`), started if there is none, or
    /// `None` when the request is not one that is grouped.
    pub fn join(&self, doc: &ExecutableDocument, request: &Request) -> Option<Arc<Group>> {
        if !is_grouped(doc, request.operation_name.as_deref()) {
            return None;
        }
        let key = RenderKey::of(request);
        let template = Template {
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: request.variables.clone(),
            doc: doc.clone(),
        };
        self.live.enter(key, template, |template| {
            // No viewer: nothing a seat map shows depends on one.
            let (auth, loader) = request_data(&self.services, RequestAuth::from_header(None));
            let shared = template.request().data(auth).data(loader);
            Group::start(
                key,
                template,
                self.schema.clone(),
                shared,
                Arc::downgrade(&self.live),
                self.metrics.clone(),
                self.backlog,
            )
        })
    }
}

/// A grouped request, to run again.
struct Template {
    query: String,
    operation_name: Option<String>,
    variables: Variables,
    doc: ExecutableDocument,
}

impl Template {
    fn request(&self) -> Request {
        let mut request = Request::new(self.query.clone()).variables(self.variables.clone());
        request.operation_name = self.operation_name.clone();
        request.set_parsed_query(self.doc.clone());
        request
    }

    fn same_request(&self, other: &Self) -> bool {
        self.query == other.query
            && self.operation_name == other.operation_name
            && self.variables == other.variables
    }
}

/// One shared execution and its members (those holding it).
pub struct Group {
    key: RenderKey,
    template: Template,
    frames: broadcast::Sender<GroupMessage>,
    phase: watch::Receiver<Phase>,
    task: JoinHandle<()>,
    registry: Weak<Registry>,
    metrics: Arc<Metrics>,
}

impl Group {
    fn start(
        key: RenderKey,
        template: Template,
        schema: AppSchema,
        request: Request,
        registry: Weak<Registry>,
        metrics: Arc<Metrics>,
        backlog: usize,
    ) -> Self {
        metrics.live_groups(1);
        let (frames, _) = broadcast::channel(backlog);
        let (phase_tx, phase) = watch::channel(Phase::Starting);
        let mark = CommitMark::default();
        let request = request.data(mark.clone());
        let tx = frames.clone();
        let all_written = Arc::new(Notify::new());
        let task = tokio::spawn(async move {
            let mut results = schema.execute_stream(request);
            // The first result is the whole map, which each member reads for itself; once
            // it is here, the execution listens to every change.
            match results.next().await {
                Some(first) if first.errors.is_empty() => {
                    phase_tx.send_replace(Phase::Running);
                }
                _ => {
                    phase_tx.send_replace(Phase::Over);
                    return;
                }
            }
            while let Some(mut response) = results.next().await {
                give_codes(&mut response);
                // Waits for half the members: the other half take the next message together
                // with this one, in one write, and the first half are not held back by the
                // slowest: waiting for all of them put every change behind the last writer.
                let members = tx.receiver_count();
                let awaited = members.div_ceil(2);
                let frame = Frame {
                    payload: serialize(&response),
                    committed: mark.take(),
                    unwritten: AtomicUsize::new(awaited),
                    all_written: all_written.clone(),
                };
                // No member now is no error: one may join before the next message.
                let _ = tx.send(GroupMessage::Frame(Arc::new(frame)));
                if awaited > 0 {
                    let _ = tokio::time::timeout(WRITE_WAIT, all_written.notified()).await;
                }
            }
            phase_tx.send_replace(Phase::Over);
            let _ = tx.send(GroupMessage::End);
        });
        Self {
            key,
            template,
            frames,
            phase,
            task,
            registry,
            metrics,
        }
    }

    /// The group's request, for a member to run itself.
    pub fn request(&self) -> Request {
        self.template.request()
    }

    /// The group's messages from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<GroupMessage> {
        self.frames.subscribe()
    }

    /// Waits until a member's own read of the map misses none of the group's messages
    /// (or the group is over).
    pub fn ready(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut phase = self.phase.clone();
        async move {
            let _ = phase.wait_for(|p| *p != Phase::Starting).await;
        }
    }

    /// Whether the group's execution failed or ended.
    pub fn is_over(&self) -> bool {
        *self.phase.borrow() == Phase::Over
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // The last member left.
        self.task.abort();
        self.metrics.live_groups(-1);
        if let Some(registry) = self.registry.upgrade() {
            registry.leave(self.key);
        }
    }
}

/// Whether `doc`'s operation `operation` subscribes to the grouped field alone, plainly.
fn is_grouped(doc: &ExecutableDocument, operation: Option<&str>) -> bool {
    let op = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => match ops.values().next() {
            Some(op) => op,
            None => return false,
        },
        _ => return false,
    };
    let items = &op.node.selection_set.node.items;
    op.node.ty == OperationType::Subscription
        && items.len() == 1
        && matches!(&items[0].node, Selection::Field(f)
            if f.node.name.node == GROUPED_FIELD && f.node.directives.is_empty())
}

/// A result as the `payload` of a message.
pub fn serialize(response: &Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|_| {
        serde_json::json!({ "errors": [{ "message": "the result could not be serialized" }] })
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn grouped(query: &str, operation: Option<&str>) -> bool {
        is_grouped(&parse_query(query).unwrap(), operation)
    }

    const SEAT_MAP: &str = "subscription { seatMapUpdates(showtimeId: \"x\") { committedAt } }";

    fn template() -> Template {
        Template {
            query: SEAT_MAP.to_owned(),
            operation_name: None,
            variables: Variables::default(),
            doc: parse_query(SEAT_MAP).unwrap(),
        }
    }

    /// A group in `phase`, without an execution: the registry sees only its phase.
    fn group(registry: &Arc<Registry>, key: RenderKey, phase: watch::Receiver<Phase>) -> Group {
        Group {
            key,
            template: template(),
            frames: broadcast::channel(1).0,
            phase,
            task: tokio::spawn(async {}),
            registry: Arc::downgrade(registry),
            metrics: Metrics::new(),
        }
    }

    #[test]
    fn joining_a_group_whose_last_member_leaves_meanwhile_does_not_deadlock() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let _in_runtime = runtime.enter();
        let registry = Arc::new(Registry::default());
        let key = RenderKey(7);
        let (phase_tx, phase) = watch::channel(Phase::Running);
        let member = registry
            .enter(key, template(), |_| group(&registry, key, phase))
            .unwrap();
        let watched = Arc::downgrade(&member);
        let (joined_tx, joined) = std::sync::mpsc::channel();
        // The phase's lock is held while this closure runs, so the joiner, once it has found
        // the group, waits in `is_over` under the registry's lock: the member leaves right
        // then, and the group ends, leaving the joiner the last reference to it.
        phase_tx.send_modify(|now| {
            let (registry, runtime) = (registry.clone(), tokio::runtime::Handle::current());
            std::thread::spawn(move || {
                let _in_runtime = runtime.enter();
                let (_, fresh) = watch::channel(Phase::Running);
                let got = registry.enter(key, template(), |_| group(&registry, key, fresh));
                let _ = joined_tx.send(got.is_some());
            });
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while watched.strong_count() < 2 && std::time::Instant::now() < deadline {
                std::thread::yield_now();
            }
            assert_eq!(
                watched.strong_count(),
                2,
                "the joiner never found the group"
            );
            drop(member);
            *now = Phase::Over;
        });
        let outcome = joined.recv_timeout(Duration::from_secs(5));
        assert_eq!(
            outcome,
            Ok(true),
            "the joiner should get a new group, not deadlock on the registry's lock"
        );
        assert_eq!(watched.strong_count(), 0, "the ended group is gone");
    }

    #[tokio::test]
    async fn the_group_hears_when_the_members_it_waits_for_wrote_a_message() {
        let all_written = Arc::new(Notify::new());
        let frame = Frame {
            payload: String::new(),
            committed: None,
            unwritten: AtomicUsize::new(2),
            all_written: all_written.clone(),
        };
        frame.written();
        let early = tokio::time::timeout(Duration::from_millis(20), all_written.notified());
        assert!(early.await.is_err(), "one of two members wrote");
        frame.written();
        // A member beyond those waited for changes nothing.
        frame.written();
        assert_eq!(frame.unwritten.load(Ordering::Acquire), 0);
        let done = tokio::time::timeout(Duration::from_millis(20), all_written.notified());
        assert!(done.await.is_ok());
    }

    #[test]
    fn only_a_plain_seat_map_subscription_is_grouped() {
        assert!(grouped(
            "subscription($s: ID!) { seatMapUpdates(showtimeId: $s) { committedAt } }",
            None
        ));
        assert!(grouped(
            "subscription A { m: seatMapUpdates(showtimeId: \"x\") { committedAt } } \
             subscription B { heartbeat }",
            Some("A")
        ));
        assert!(!grouped(
            "subscription A { seatMapUpdates(showtimeId: \"x\") { committedAt } } \
             subscription B { heartbeat }",
            None
        ));
        assert!(!grouped("subscription { heartbeat }", None));
        assert!(!grouped(
            "subscription($t: Boolean!) { seatMapUpdates(showtimeId: \"x\") @include(if: $t) { committedAt } }",
            None
        ));
        assert!(!grouped(
            "subscription { ...F } fragment F on Subscription { seatMapUpdates(showtimeId: \"x\") { committedAt } }",
            None
        ));
        assert!(!grouped("query { seatMapUpdates { x } }", None));
    }
}
