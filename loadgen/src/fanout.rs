//! Live seat-map subscribers during an on-sale: each opens a `graphql-transport-ws`
//! connection, subscribes to `seatMapUpdates`, and records, for every change pushed, the
//! delay from the change's transaction time to its arrival.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, bail};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const SUBSCRIBE: &str =
    "subscription S($s: ID!) { seatMapUpdates(showtimeId: $s) { committedAt changes { seatId } } }";

/// The part of a `next` message the delay is read from. Only the commit time is
/// decoded: a thousand subscribers receive about a hundred thousand messages in a sale,
/// and building each one's whole JSON tree (with its allocations) led the generator's
/// profile, CPU taken from the server it measures on the same cores.
#[derive(Deserialize)]
struct Next<'a> {
    #[serde(borrow)]
    payload: Option<Payload<'a>>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(borrow)]
    data: Option<UpdateData<'a>>,
}

#[derive(Deserialize)]
struct UpdateData<'a> {
    #[serde(rename = "seatMapUpdates", borrow)]
    update: Option<Update<'a>>,
}

#[derive(Deserialize)]
struct Update<'a> {
    #[serde(rename = "committedAt", borrow)]
    committed_at: Option<Cow<'a, str>>,
}

/// Delays observed by all subscribers, in milliseconds.
#[derive(Default)]
pub struct Deliveries {
    pub delays_ms: Mutex<Vec<f64>>,
}

/// Connects `n` subscribers and waits until each has its first (snapshot) message.
pub async fn subscribe(
    url: &str,
    showtime: &str,
    n: usize,
    deliveries: Arc<Deliveries>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let ws_url = format!("{}/graphql/ws", url.replacen("http", "ws", 1));
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        let mut req = ws_url.as_str().into_client_request()?;
        req.headers_mut()
            .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
        let (mut socket, _) = tokio_tungstenite::connect_async_with_config(
            req,
            Some(
                tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
                    .read_buffer_size(8 * 1024),
            ),
            false,
        )
        .await
        .context("opening a subscriber connection")?;
        socket
            .send(Message::text(
                json!({ "type": "connection_init" }).to_string(),
            ))
            .await?;
        let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIBE, "variables": { "s": showtime } } });
        socket.send(Message::text(sub.to_string())).await?;
        // The acknowledgement, then the snapshot.
        let mut seen = 0;
        while seen < 2 {
            match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
                Ok(Some(Ok(Message::Text(_)))) => seen += 1,
                Ok(Some(Ok(_))) => {}
                _ => bail!("a subscriber got no snapshot"),
            }
        }
        let deliveries = deliveries.clone();
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(msg)) = socket.next().await {
                let Message::Text(text) = msg else { continue };
                let arrived = chrono::Utc::now();
                let Ok(next) = serde_json::from_str::<Next>(&text) else {
                    continue;
                };
                let committed = next
                    .payload
                    .and_then(|p| p.data)
                    .and_then(|d| d.update)
                    .and_then(|u| u.committed_at);
                if let Some(t) = committed
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                {
                    let ms = (arrived - t.with_timezone(&chrono::Utc)).num_microseconds();
                    deliveries
                        .delays_ms
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(ms.unwrap_or_default() as f64 / 1000.0);
                }
            }
        }));
    }
    Ok(tasks)
}
