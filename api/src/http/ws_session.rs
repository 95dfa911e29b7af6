//! One subscription connection, speaking `graphql-transport-ws` (and the older
//! `graphql-ws`). It is written here rather than taken from async-graphql so that a
//! message shown identically to a thousand subscribers (one burst of seat changes) is
//! serialized once, not once per subscriber: see [`crate::graphql::shared_render`].

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::futures_util::future::BoxFuture;
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::http::ClientMessage;
use async_graphql::{Data, Response, Value};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio_stream::StreamMap;

use super::graphql::give_codes;
use crate::graphql::AppSchema;
use crate::graphql::parsed::ParsedQueries;
use crate::graphql::shared_render::{FrameSlot, RenderKey, keep_frame, shared_frame};
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
    key: RenderKey,
    frame: FrameSlot,
    /// Whether a result was sent yet: an error before any is the operation's `error`.
    started: bool,
}

/// A running connection.
struct Session {
    protocol: Protocol,
    schema: AppSchema,
    parsed: Arc<ParsedQueries>,
    on_init: Option<OnInit>,
    data: Option<Arc<Data>>,
    /// Each operation's results, then `None` when it ends.
    results: StreamMap<String, BoxStream<'static, Option<Response>>>,
    operations: HashMap<String, Operation>,
}

/// Serves `socket` until the client leaves or breaks the protocol.
pub async fn serve(
    mut socket: WebSocket,
    schema: AppSchema,
    parsed: Arc<ParsedQueries>,
    metrics: Arc<Metrics>,
    on_init: OnInit,
) {
    let mut session = Session {
        protocol: Protocol::of(&socket),
        schema,
        parsed,
        on_init: Some(on_init),
        data: None,
        results: StreamMap::new(),
        operations: HashMap::new(),
    };
    loop {
        let reply = tokio::select! {
            got = socket.recv() => match got {
                Some(Ok(Message::Text(text))) => session.receive(text.as_bytes()).await,
                Some(Ok(Message::Binary(bytes))) => session.receive(&bytes).await,
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => Reply::Nothing,
            },
            Some((id, result)) = session.results.next(), if !session.results.is_empty() => {
                session.result(id, result)
            }
        };
        let sent = match reply {
            Reply::Nothing => Ok(()),
            Reply::Send(text) => socket.send(Message::Text(text.into())).await,
            Reply::Result(text, rendered) => {
                let sent = socket.send(Message::Text(text.into())).await;
                let delay = rendered
                    .committed
                    .and_then(|at| (Utc::now() - at).to_std().ok());
                metrics.observe_live(rendered.shared, delay);
                sent
            }
            Reply::Close(code, reason) => {
                if session.protocol == Protocol::LegacyWs {
                    let why =
                        json!({ "type": "connection_error", "payload": { "message": reason } });
                    let _ = socket.send(Message::Text(why.to_string().into())).await;
                }
                let frame = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = socket.send(Message::Close(Some(frame))).await;
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

impl Session {
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
                match self.parsed.parse(&payload.query) {
                    Ok(doc) => payload.set_parsed_query(doc),
                    Err(err) => {
                        let errors = serde_json::to_value([err]).unwrap_or_default();
                        return Reply::Send(
                            json!({ "type": "error", "id": id, "payload": errors }).to_string(),
                        );
                    }
                }
                let key = RenderKey::of(&payload);
                let frame = FrameSlot::default();
                let request = payload.data(key).data(frame.clone());
                let results = self
                    .schema
                    .execute_stream_with_session_data(request, data)
                    .map(Some)
                    .chain(stream::once(async { None }));
                self.results.insert(id.clone(), results.boxed());
                self.operations.insert(
                    id,
                    Operation {
                        key,
                        frame,
                        started: false,
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
        let Some(burst) = op.frame.take() else {
            let text = message(self.protocol, &id, &serialize(&response));
            return Reply::Result(
                text,
                Rendered {
                    shared: false,
                    committed: None,
                },
            );
        };
        let committed = burst.events().iter().map(|e| e.created_at).min();
        let (payload, shared) = match shared_frame(&burst, op.key) {
            Some(frame) => (frame, true),
            None => {
                let payload = serialize(&response);
                if !response.errors.is_empty() {
                    let text = message(self.protocol, &id, &payload);
                    return Reply::Result(
                        text,
                        Rendered {
                            shared: false,
                            committed,
                        },
                    );
                }
                (keep_frame(&burst, op.key, payload), false)
            }
        };
        Reply::Result(
            message(self.protocol, &id, &payload.0),
            Rendered { shared, committed },
        )
    }
}

fn serialize(response: &Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|_| {
        json!({ "errors": [{ "message": "the result could not be serialized" }] }).to_string()
    })
}

/// A result message around an already serialized `payload`.
fn message(protocol: Protocol, id: &str, payload: &str) -> String {
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
        let text = message(Protocol::TransportWs, "a\"b", r#"{"data":{"x":1}}"#);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["type"], "next");
        assert_eq!(parsed["id"], "a\"b");
        assert_eq!(parsed["payload"]["data"]["x"], 1);
        let legacy: serde_json::Value =
            serde_json::from_str(&message(Protocol::LegacyWs, "1", "{}")).unwrap();
        assert_eq!(legacy["type"], "data");
    }
}
