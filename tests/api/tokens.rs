//! Tokens end when they should: a password change or a log-out ends every earlier token of
//! the account, and a WebSocket signed in with an ended token is closed.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::subscriptions::{connect, next_json};

const LOG_IN: &str =
    "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }";
const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token user { email } } }";
const LOG_OUT: &str = "mutation { logOut }";

async fn log_in(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(LOG_IN, json!({ "e": email, "p": password }), None)
        .await
}

async fn works(app: &TestApp, token: &str) -> bool {
    let body = app.gql("{ me { email } }", json!({}), Some(token)).await;
    match body["data"]["me"]["email"].as_str() {
        Some(_) => true,
        None => {
            assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
            false
        }
    }
}

#[tokio::test]
async fn a_password_change_ends_every_earlier_token_and_answers_with_a_working_one() {
    let app = spawn_app().await;
    let first = app.customer("ann@example.com").await;
    let second = log_in(&app, "ann@example.com", "correct horse").await["data"]["logIn"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app
        .gql(
            CHANGE,
            json!({ "c": "wrong guess", "n": "battery staple" }),
            Some(&first),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");
    assert!(
        works(&app, &first).await,
        "a refused change ended the token"
    );

    let changed = app
        .ok(
            CHANGE,
            json!({ "c": "correct horse", "n": "battery staple" }),
            Some(&first),
        )
        .await;
    assert_eq!(
        changed["changePassword"]["user"]["email"],
        "ann@example.com"
    );
    let fresh = changed["changePassword"]["token"].as_str().unwrap();
    assert!(!works(&app, &first).await);
    assert!(!works(&app, &second).await);
    assert!(works(&app, fresh).await);
    assert_eq!(
        code(&log_in(&app, "ann@example.com", "correct horse").await),
        "UNAUTHENTICATED"
    );
    assert!(
        log_in(&app, "ann@example.com", "battery staple").await["data"]["logIn"]["token"]
            .is_string()
    );
}

#[tokio::test]
async fn log_out_ends_the_presented_token_and_the_accounts_other_tokens() {
    let app = spawn_app().await;
    let first = app.customer("bob@example.com").await;
    let second = log_in(&app, "bob@example.com", "correct horse").await["data"]["logIn"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app.customer("cat@example.com").await;
    assert_eq!(
        app.ok(LOG_OUT, json!({}), Some(&first)).await["logOut"],
        true
    );
    assert!(!works(&app, &first).await);
    assert!(!works(&app, &second).await);
    assert!(works(&app, &other).await, "another account's token ended");
    // Logging out again with an ended token is refused; logging in again works.
    assert_eq!(
        code(&app.gql(LOG_OUT, json!({}), Some(&first)).await),
        "UNAUTHENTICATED"
    );
    let again = log_in(&app, "bob@example.com", "correct horse").await;
    assert!(works(&app, again["data"]["logIn"]["token"].as_str().unwrap()).await);
    // Anonymous callers have nothing to log out of.
    assert_eq!(
        code(&app.gql(LOG_OUT, json!({}), None).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn a_websocket_signed_in_with_a_token_that_ends_is_closed() {
    let app = spawn_app_with(|s| {
        // The connection's checks run at a quarter of the shorter of these.
        s.ws_init_timeout_ms = 1_000;
    })
    .await;
    let token = app.customer("dee@example.com").await;
    let mut socket = connect(&app).await;
    let init = json!({ "type": "connection_init", "payload": { "token": token } });
    socket.send(Message::text(init.to_string())).await.unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { heartbeat(intervalMs: 100) }" } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
    assert_eq!(next_json(&mut socket).await.unwrap()["type"], "next");
    // Still open while the token is good.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(next_json(&mut socket).await.unwrap()["type"], "next");

    app.ok(LOG_OUT, json!({}), Some(&token)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => panic!("the connection outlived its token"),
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => break,
            Ok(Some(Ok(_))) => {}
        }
    }
}
