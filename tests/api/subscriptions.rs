//! Subscriptions over `graphql-transport-ws` at `/graphql/ws`.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::*;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(app: &TestApp) -> Socket {
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(
        resp.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
}

pub async fn next_json(socket: &mut Socket) -> Option<Value> {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .ok()??
            .ok()?;
        match msg {
            Message::Text(t) => return serde_json::from_str(&t).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

#[tokio::test]
async fn heartbeat_streams_over_graphql_transport_ws_with_a_token_in_connection_init() {
    let app = spawn_app().await;
    let token = app.customer("ws@example.com").await;
    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": token } }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { heartbeat(intervalMs: 100) }" } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
    let mut ticks = Vec::new();
    while ticks.len() < 3 {
        let msg = next_json(&mut socket).await.unwrap();
        assert_eq!(msg["type"], "next", "{msg}");
        ticks.push(time(&msg["payload"]["data"]["heartbeat"]));
    }
    assert!(ticks.windows(2).all(|w| w[0] <= w[1]));
    socket
        .send(Message::text(
            json!({ "id": "1", "type": "complete" }).to_string(),
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_bad_token_in_connection_init_closes_the_connection() {
    // The init deadline is far off, so only the refusal of the token can close it in time.
    let app = spawn_app_with(|s| s.ws_init_timeout_ms = 60_000).await;
    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": "forged" } }).to_string(),
        ))
        .await
        .unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(Message::Text(t))) => assert!(!t.contains("connection_ack"), "{t}"),
                Some(Ok(_)) => {}
                other => panic!("the connection ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("the connection was still open 5 s after the bad token");
    assert_eq!(closed, Some(4403));
    // After the close frame the server hangs up: the stream ends.
    let after = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
        .await
        .expect("the server kept the connection open after closing it");
    assert!(
        matches!(after, None | Some(Err(_)) | Some(Ok(Message::Close(_)))),
        "{after:?}"
    );
}

#[tokio::test]
async fn subscription_arguments_are_validated_with_a_code() {
    let app = spawn_app().await;
    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": {} }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let sub = json!({ "id": "7", "type": "subscribe", "payload": { "query": "subscription { heartbeat(intervalMs: 1) }" } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
    let msg = next_json(&mut socket).await.unwrap();
    let errors = if msg["type"] == "error" {
        msg["payload"].clone()
    } else {
        msg["payload"]["errors"].clone()
    };
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{msg}");
}

/// Whether the server closes the socket within `secs` (messages before that are skipped).
async fn closed_within(socket: &mut Socket, secs: u64) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn init(socket: &mut Socket, token: Option<&str>) -> Option<Value> {
    let payload = token.map_or(json!({}), |t| json!({ "token": t }));
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": payload }).to_string(),
        ))
        .await
        .unwrap();
    next_json(socket).await
}

#[tokio::test]
async fn silent_and_idle_connections_are_closed_and_subscriptions_and_connections_are_capped() {
    let app = spawn_app_with(|s| {
        s.ws_init_timeout_ms = 300;
        s.ws_idle_timeout_ms = 600;
        s.ws_max_subscriptions = 2;
        s.ws_max_connections_per_user = 2;
    })
    .await;
    // Never introduces itself.
    let mut silent = connect(&app).await;
    assert!(closed_within(&mut silent, 5).await);
    // Introduces itself, then subscribes to nothing.
    let mut idle = connect(&app).await;
    assert_eq!(
        init(&mut idle, None).await.unwrap()["type"],
        "connection_ack"
    );
    assert!(closed_within(&mut idle, 5).await);

    // Two subscriptions per connection, not three; a busy connection is not idle.
    let token = app.customer("capped@example.com").await;
    let mut busy = connect(&app).await;
    assert_eq!(
        init(&mut busy, Some(&token)).await.unwrap()["type"],
        "connection_ack"
    );
    for id in ["1", "2", "3"] {
        let sub = json!({ "id": id, "type": "subscribe", "payload": { "query": "subscription { heartbeat(intervalMs: 100) }" } });
        busy.send(Message::text(sub.to_string())).await.unwrap();
    }
    // Which of the three is refused depends on which the server starts last.
    let mut answered = std::collections::HashMap::new();
    for _ in 0..30 {
        let msg = next_json(&mut busy)
            .await
            .expect("the connection stays open");
        let errors = if msg["type"] == "error" {
            msg["payload"].clone()
        } else {
            msg["payload"]["errors"].clone()
        };
        let verdict = match errors[0]["extensions"]["code"].as_str() {
            Some(code) => code.to_owned(),
            None => "data".to_owned(),
        };
        answered
            .entry(msg["id"].as_str().unwrap_or_default().to_owned())
            .or_insert(verdict);
        if answered.len() == 3 {
            break;
        }
    }
    let mut verdicts: Vec<&str> = answered.values().map(String::as_str).collect();
    verdicts.sort_unstable();
    assert_eq!(verdicts, ["RATE_LIMITED", "data", "data"], "{answered:?}");

    // Two connections per account: the busy one and one more.
    let mut second = connect(&app).await;
    assert_eq!(
        init(&mut second, Some(&token)).await.unwrap()["type"],
        "connection_ack"
    );
    let mut third = connect(&app).await;
    let answer = init(&mut third, Some(&token)).await;
    assert!(
        answer
            .as_ref()
            .is_none_or(|m| m["type"] != "connection_ack"),
        "{answer:?}"
    );
}
