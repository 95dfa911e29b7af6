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
    let app = spawn_app().await;
    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": "forged" } }).to_string(),
        ))
        .await
        .unwrap();
    let reply = next_json(&mut socket).await;
    assert!(
        reply.as_ref().is_none_or(|m| m["type"] != "connection_ack"),
        "{reply:?}"
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
