//! One subscription connection, speaking `graphql-transport-ws` (and the older
//! `graphql-ws`). It is written here rather than taken from async-graphql so that a
//! message shown identically to a thousand subscribers (a seat map's changes) is
//! executed and serialized once, not once per subscriber: see [`super::ws_groups`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::FutureExt;
use async_graphql::futures_util::SinkExt;
use async_graphql::futures_util::future::BoxFuture;
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::http::ClientMessage;
use async_graphql::{Data, Request, Response, Value};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio_stream::StreamMap;

use super::graphql::give_codes;
use super::rate_limit::WsGate;
use super::ws_groups::{Group, GroupMessage, Groups, serialize};
use crate::graphql::AppSchema;
use crate::graphql::CommitMark;
use crate::graphql::parsed::ParsedQueries;
use crate::metrics::Metrics;

/// Accepts or refuses a `connection_init` payload; what it returns is the data of every
/// operation on the connection.
pub type OnInit =
    Box<dyn FnOnce(serde_json::Value) -> BoxFuture<'static, Result<Data, String>> + Send>;

/// Which of the two protocols the client chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// `graphql-transport-ws`: the current one.
    TransportWs,
    /// `graphql-ws` (subscriptions-transport-ws): the one older clients speak.
    LegacyWs,
}

impl Protocol {
    fn of(socket: &WebSocket) -> Self {
        match socket.protocol().and_then(|p| p.to_str().ok()) {
            Some(p) if p.eq_ignore_ascii_case("graphql-ws") => Self::LegacyWs,
            _ => Self::TransportWs,
        }
    }

    fn next(self) -> &'static str {
        match self {
            Self::TransportWs => "next",
            Self::LegacyWs => "data",
        }
    }
}

/// What the connection does after a client message.
enum Reply {
    Nothing,
    Send(String),
    /// A result of a subscription, for the metrics once it is written.
    Result(String, Rendered),
    /// Close with a code and reason (the older protocol first says why in a message).
    Close(u16, String),
}

/// How a result message was made.
struct Rendered {
    /// Its serialization was the one kept for identical subscriptions.
    shared: bool,
    /// It showed one burst of changes, the oldest committed then.
    committed: Option<DateTime<Utc>>,
}

/// One subscription of the connection.
struct Operation {
    /// When the changes of its last result were committed.
    mark: CommitMark,
    /// Whether a result was sent yet: an error before any is the operation's `error`.
    started: bool,
    /// Its group, when its results are shared.
    member: Option<Member>,
    /// Its span, from the `subscribe` message to its end; its own executions run in it.
    span: tracing::Span,
}

/// An operation's place in its group.
struct Member {
    group: Arc<Group>,
    /// The group's messages since before the operation's own execution read the map; the
    /// connection reads them once that map is sent.
    waiting: Option<broadcast::Receiver<GroupMessage>>,
    /// The operation's own execution, no longer polled once the group serves it: it holds
    /// the operation's slot on the connection.
    parked: Option<BoxStream<'static, Item>>,
    /// Fresh maps that failed since the last one that came.
    failed: u32,
}

/// Fresh maps read again after one fails, before the subscription ends with the error: a
/// database that is busy for a moment (an on-sale) should not end every subscriber that
/// fell behind meanwhile.
const RESYNC_RETRIES: u32 = 3;
/// Wait before reading a fresh map again, times the tries so far.
const RESYNC_BACKOFF: Duration = Duration::from_millis(250);

/// What an operation's streams yield.
enum Item {
    /// The next result of its own execution, or its end.
    Own(Option<Box<Response>>),
    /// The next message of its group, or `None` when the operation fell behind it.
    Group(Option<GroupMessage>),
}

/// A running connection.
struct Session {
    protocol: Protocol,
    schema: AppSchema,
    metrics: Arc<Metrics>,
    parsed: Arc<ParsedQueries>,
    groups: Arc<Groups>,
    gate: WsGate,
    on_init: Option<OnInit>,
    data: Option<Arc<Data>>,
    /// Operations (of any kind) running at once, at most.
    max_operations: usize,
    /// Each operation's results: its own, then `None` when it ends, or its group's.
    results: StreamMap<String, BoxStream<'static, Item>>,
    operations: HashMap<String, Operation>,
}

/// Serves `socket` until the client leaves or breaks the protocol.
#[allow(clippy::too_many_arguments)]
pub async fn serve(
    mut socket: WebSocket,
    schema: AppSchema,
    parsed: Arc<ParsedQueries>,
    groups: Arc<Groups>,
    metrics: Arc<Metrics>,
    gate: WsGate,
    on_init: OnInit,
    max_operations: usize,
) {
    let mut session = Session {
        protocol: Protocol::of(&socket),
        schema,
        metrics: metrics.clone(),
        parsed,
        groups,
        gate,
        on_init: Some(on_init),
        data: None,
        max_operations,
        results: StreamMap::new(),
        operations: HashMap::new(),
    };
    // Results written but not yet flushed, for the metrics once they are.
    let mut written: Vec<Rendered> = Vec::new();
    loop {
        let reply = tokio::select! {
            got = socket.recv() => match got {
                Some(Ok(Message::Text(text))) => session.receive(text.as_bytes()).await,
                Some(Ok(Message::Binary(bytes))) => session.receive(&bytes).await,
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => Reply::Nothing,
            },
            Some((id, item)) = session.results.next(), if !session.results.is_empty() => {
                session.item(id, item)
            }
        };
        if !Session::write(session.protocol, &mut socket, reply, &mut written).await {
            return;
        }
        // Results that are ready too (a member behind its group has several) go out in
        // the same write: one system call for all of them.
        for _ in 0..MAX_BATCH {
            let Some(Some((id, item))) = session.results.next().now_or_never() else {
                break;
            };
            let reply = session.item(id, item);
            if !Session::write(session.protocol, &mut socket, reply, &mut written).await {
                return;
            }
        }
        if socket.flush().await.is_err() {
            return;
        }
        let now = Utc::now();
        for rendered in written.drain(..) {
            let delay = rendered.committed.and_then(|at| (now - at).to_std().ok());
            metrics.observe_live(rendered.shared, delay);
        }
    }
}

/// Results written to a connection before it is flushed.
const MAX_BATCH: usize = 64;

impl Session {
    /// Queues `reply` on `socket` (without flushing); `false` when the connection ends.
    async fn write(
        protocol: Protocol,
        socket: &mut WebSocket,
        reply: Reply,
        written: &mut Vec<Rendered>,
    ) -> bool {
        let queued = match reply {
            Reply::Nothing => Ok(()),
            Reply::Send(text) => socket.feed(Message::Text(text.into())).await,
            Reply::Result(text, rendered) => {
                written.push(rendered);
                socket.feed(Message::Text(text.into())).await
            }
            Reply::Close(code, reason) => {
                if protocol == Protocol::LegacyWs {
                    let why =
                        json!({ "type": "connection_error", "payload": { "message": reason } });
                    let _ = socket.feed(Message::Text(why.to_string().into())).await;
                }
                let frame = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = socket.send(Message::Close(Some(frame))).await;
                return false;
            }
        };
        queued.is_ok()
    }

    fn item(&mut self, id: String, item: Item) -> Reply {
        match item {
            Item::Own(result) => self.result(id, result.map(|r| *r)),
            Item::Group(message) => self.group_message(id, message),
        }
    }

    async fn receive(&mut self, bytes: &[u8]) -> Reply {
        let message = match ClientMessage::from_bytes(bytes) {
            Ok(m) => m,
            Err(e) => return Reply::Close(4400, format!("invalid message: {e}")),
        };
        match message {
            ClientMessage::ConnectionInit { payload } => {
                let Some(on_init) = self.on_init.take() else {
                    return Reply::Close(4429, "Too many initialisation requests".into());
                };
                match on_init(payload.unwrap_or_default()).await {
                    Ok(data) => {
                        self.data = Some(Arc::new(data));
                        Reply::Send(json!({ "type": "connection_ack" }).to_string())
                    }
                    Err(why) => Reply::Close(4403, why),
                }
            }
            ClientMessage::Start { id, mut payload } => {
                let Some(data) = self.data.clone() else {
                    return Reply::Close(4401, "Unauthorized".into());
                };
                if self.operations.contains_key(&id) {
                    return Reply::Close(4409, format!("Subscriber for {id} already exists"));
                }
                // Queries and mutations run concurrently on a connection: bound them as a
                // batch over HTTP is bounded, counting the subscriptions running too.
                if self.operations.len() >= self.max_operations {
                    let errors = json!([{
                        "message": "too many operations running on this connection; wait for one to end",
                        "extensions": { "code": "RATE_LIMITED" },
                    }]);
                    return Reply::Send(
                        json!({ "type": "error", "id": id, "payload": errors }).to_string(),
                    );
                }
                let member = match self.parsed.parse(&payload.query) {
                    Ok(doc) => {
                        // Queries and mutations sent here count as they do over HTTP.
                        if let Err(refusal) = self.gate.admit(&doc, &payload).await {
                            let errors = json!([refusal.error()]);
                            return Reply::Send(
                                json!({ "type": "error", "id": id, "payload": errors }).to_string(),
                            );
                        }
                        let group = self.groups.join(&doc, &payload);
                        payload.set_parsed_query(doc);
                        group.map(|group| Member {
                            waiting: Some(group.subscribe()),
                            parked: None,
                            failed: 0,
                            group,
                        })
                    }
                    Err(err) => {
                        let errors = serde_json::to_value([err]).unwrap_or_default();
                        return Reply::Send(
                            json!({ "type": "error", "id": id, "payload": errors }).to_string(),
                        );
                    }
                };
                let mark = CommitMark::default();
                let span = tracing::info_span!(
                    "graphql.ws.operation",
                    id = %id,
                    operation = payload.operation_name.as_deref().unwrap_or("anonymous"),
                    shared = member.is_some(),
                );
                // A member reads its map once its group listens, so that it misses nothing.
                let ready = member.as_ref().map(|m| Box::pin(m.group.ready()) as _);
                let request = payload.data(mark.clone());
                let results = own(self.schema.clone(), request, data, ready, span.clone());
                self.results.insert(id.clone(), results);
                self.operations.insert(
                    id,
                    Operation {
                        mark,
                        started: false,
                        member,
                        span,
                    },
                );
                Reply::Nothing
            }
            ClientMessage::Stop { id } => {
                self.results.remove(&id);
                match self.operations.remove(&id) {
                    // The older protocol acknowledges a stop; the current one does not.
                    Some(_) if self.protocol == Protocol::LegacyWs => Reply::Send(done(&id)),
                    _ => Reply::Nothing,
                }
            }
            ClientMessage::ConnectionTerminate => Reply::Close(1000, "terminated".into()),
            ClientMessage::Ping { payload } => Reply::Send(match payload {
                Some(p) => json!({ "type": "pong", "payload": p }).to_string(),
                None => json!({ "type": "pong" }).to_string(),
            }),
            ClientMessage::Pong { .. } => Reply::Nothing,
        }
    }

    /// The next result of operation `id`, or its end.
    fn result(&mut self, id: String, result: Option<Response>) -> Reply {
        let Some(mut response) = result else {
            return match self.operations.remove(&id) {
                Some(_) => Reply::Send(done(&id)),
                None => Reply::Nothing,
            };
        };
        let Some(op) = self.operations.get_mut(&id) else {
            return Reply::Nothing;
        };
        give_codes(&mut response);
        let first = !std::mem::replace(&mut op.started, true);
        if first
            && self.protocol == Protocol::TransportWs
            && response.data == Value::Null
            && !response.errors.is_empty()
        {
            // Refused before it ran (bad arguments, no access): `error` ends the operation.
            self.results.remove(&id);
            self.operations.remove(&id);
            let errors = serde_json::to_value(&response.errors).unwrap_or_default();
            return Reply::Send(
                json!({ "type": "error", "id": id, "payload": errors }).to_string(),
            );
        }
        // A member's own execution sent its map: the group serves it from now on.
        if let Some(member) = &mut op.member
            && let Some(frames) = member.waiting.take()
        {
            if !response.errors.is_empty() {
                if !first {
                    self.metrics.live_resync_failed();
                }
                // No map came (a busy database): the group's changes would land on the map
                // the client had before it fell behind, or on none at all. A fresh map is
                // tried again a few times; after that, and for a first map, the operation
                // goes on alone, and its own execution ends after the error.
                if !first
                    && member.failed < RESYNC_RETRIES
                    && let Some(data) = self.data.clone()
                {
                    member.failed += 1;
                    tracing::warn!(
                        errors = ?response.errors,
                        tries = member.failed,
                        "a seat-map subscriber's fresh map failed; reading it again"
                    );
                    member.waiting = Some(member.group.subscribe());
                    let wait = RESYNC_BACKOFF * member.failed;
                    let request = member.group.request().data(op.mark.clone());
                    let again = own(
                        self.schema.clone(),
                        request,
                        data,
                        Some(tokio::time::sleep(wait).boxed()),
                        op.span.clone(),
                    );
                    // In place of the execution that failed, which would end the operation.
                    self.results.insert(id, again);
                    op.mark.take();
                    return Reply::Nothing;
                }
                op.member = None;
            } else if member.group.is_over() {
                op.member = None;
            } else {
                member.failed = 0;
                member.parked = self.results.remove(&id);
                self.results.insert(id.clone(), feed(frames));
            }
        }
        Reply::Result(
            message_text(self.protocol, &id, &serialize(&response)),
            Rendered {
                shared: false,
                committed: op.mark.take(),
            },
        )
    }
}

impl Session {
    /// The next message of operation `id`'s group.
    fn group_message(&mut self, id: String, message: Option<GroupMessage>) -> Reply {
        let Some(op) = self.operations.get_mut(&id) else {
            return Reply::Nothing;
        };
        match message {
            Some(GroupMessage::Frame(frame)) => {
                frame.written();
                Reply::Result(
                    message_text(self.protocol, &id, &frame.payload),
                    Rendered {
                        shared: true,
                        committed: frame.committed,
                    },
                )
            }
            Some(GroupMessage::End) => {
                self.results.remove(&id);
                self.operations.remove(&id);
                Reply::Send(done(&id))
            }
            None => {
                // Fell behind its group: a whole map of its own again, then the group.
                let (Some(member), Some(data)) = (&mut op.member, self.data.clone()) else {
                    return Reply::Nothing;
                };
                // Its slot, for the fresh execution to take.
                member.parked = None;
                member.waiting = Some(member.group.subscribe());
                let request = member.group.request().data(op.mark.clone());
                let results = own(self.schema.clone(), request, data, None, op.span.clone());
                self.results.insert(id, results);
                Reply::Nothing
            }
        }
    }
}

/// An operation's own execution, once `ready` (if given) is, in the operation's `span`.
fn own(
    schema: AppSchema,
    request: Request,
    data: Arc<Data>,
    ready: Option<BoxFuture<'static, ()>>,
    span: tracing::Span,
) -> BoxStream<'static, Item> {
    let start = async move {
        if let Some(ready) = ready {
            ready.await;
        }
        schema.execute_stream_with_session_data(request, data)
    };
    let mut results = stream::once(start)
        .flatten()
        .map(|r| Item::Own(Some(Box::new(r))))
        .chain(stream::once(async { Item::Own(None) }))
        .boxed();
    stream::poll_fn(move |cx| {
        let _entered = span.enter();
        results.poll_next_unpin(cx)
    })
    .boxed()
}

/// A group's messages to one operation.
fn feed(frames: broadcast::Receiver<GroupMessage>) -> BoxStream<'static, Item> {
    stream::unfold(frames, |mut frames| async move {
        let message = match frames.recv().await {
            Ok(m) => Some(m),
            Err(RecvError::Lagged(_)) => None,
            Err(RecvError::Closed) => Some(GroupMessage::End),
        };
        Some((Item::Group(message), frames))
    })
    .boxed()
}

/// A result message around an already serialized `payload`.
fn message_text(protocol: Protocol, id: &str, payload: &str) -> String {
    let id = serde_json::to_string(id).unwrap_or_default();
    let kind = protocol.next();
    format!(r#"{{"type":"{kind}","id":{id},"payload":{payload}}}"#)
}

fn done(id: &str) -> String {
    json!({ "type": "complete", "id": id }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_message_wraps_the_payload_with_the_escaped_id() {
        let text = message_text(Protocol::TransportWs, "a\"b", r#"{"data":{"x":1}}"#);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["type"], "next");
        assert_eq!(parsed["id"], "a\"b");
        assert_eq!(parsed["payload"]["data"]["x"], 1);
        let legacy: serde_json::Value =
            serde_json::from_str(&message_text(Protocol::LegacyWs, "1", "{}")).unwrap();
        assert_eq!(legacy["type"], "data");
    }
}
