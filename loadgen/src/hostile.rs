//! The barrage's requests, one kind at a time: each is sent and classed by its answer
//! (`2xx`, `4xx`, `5xx`, `101` for an accepted WebSocket, `no answer` when the connection
//! ended or timed out without a status) with, for an unanswered one, why.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::Rng;
use crate::barrage::Target;

fn class_of(status: u16) -> String {
    match status {
        101 => "101".into(),
        s => format!("{}xx", s / 100),
    }
}

/// One request of `kind`: its class and, for an unanswered one, why.
pub(crate) async fn send(t: &Target, kind: &str, rng: &mut Rng) -> (String, String) {
    let from = format!("10.66.{}.{}", rng.below(16), 1 + rng.below(254));
    match kind {
        "malformed json" => {
            let bodies: [String; 8] = [
                "{\"query\": \"{ movies".into(),
                "[".into(),
                "{\"query\": 5}".into(),
                "null".into(),
                format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
                "{\"query\": \"{ __typename }\", \"variables\": \"not an object\"}".into(),
                "{\"query\": \"{ __typename }\", \"variables\": {\"a\": 1e999999}}".into(),
                format!(
                    "{{\"query\": \"{{ __typename }}\", \"extensions\": {}}}",
                    "{\"a\":".repeat(3000)
                ),
            ];
            let body = bodies[rng.below(bodies.len())].clone();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "invalid utf-8" => {
            let mut body =
                b"{\"query\": \"{ movies(first: 3) { nodes { title } } }\xff\xfe\xc3\x28\"}"
                    .to_vec();
            if rng.below(2) == 0 {
                body = vec![0xff; 4096];
            }
            post(t, &from, "application/json; charset=utf-8", body, &[]).await
        }
        "odd content type" => {
            let types = [
                "text/plain".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
                "multipart/form-data; boundary=xyz".to_owned(),
                format!("application/{}", "x".repeat(8192)),
                "application/graphql-response+json; charset=ebcdic".to_owned(),
                "application/json; charset=utf-16".to_owned(),
                "\u{7f}garbage".to_owned(),
            ];
            let ct = types[rng.below(types.len())].clone();
            let body = "{\"query\": \"{ __typename }\"}".as_bytes().to_vec();
            if ct.is_ascii() && !ct.contains('\u{7f}') {
                post(t, &from, &ct, body, &[]).await
            } else {
                raw_post(t, &from, &[("content-type", ct.as_str())], &body).await
            }
        }
        "oversized body" => {
            let body = format!(
                "{{\"query\": \"{{ __typename }}\", \"x\": \"{}\"}}",
                "a".repeat(1 << 20)
            );
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "alias bomb" => {
            let n = 1000 + rng.below(2000);
            let fields: String = (0..n)
                .map(|k| {
                    format!("a{k}: movies(first: 100) {{ nodes {{ id showtimes {{ id }} }} }} ")
                })
                .collect();
            let body = json!({ "query": format!("{{ {fields}}}") }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "logIn alias bomb" => {
            let n = 100 + rng.below(900);
            let fields: String = (0..n)
                .map(|k| format!("a{k}: logIn(email: \"victim@example.com\", password: \"guess{k}\") {{ token }} "))
                .collect();
            let body = json!({ "query": format!("mutation {{ {fields}}}") }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "depth bomb" => {
            let depth = 50 + rng.below(5000);
            let query = match rng.below(3) {
                0 => format!(
                    "{{ {}__typename{} }}",
                    "... on Query { ".repeat(depth),
                    " }".repeat(depth)
                ),
                1 => format!(
                    "{{ movies(first: 1) {{ nodes {} id {} }} }}",
                    "{ showtimes { movie { showtimes { movie ".repeat(depth / 4 + 1),
                    "} } } } }".repeat(depth / 4 + 1)
                ),
                _ => format!("{}{}", "{ a ".repeat(depth), "}".repeat(depth)),
            };
            let body = json!({ "query": query }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "fragment cycle" => {
            let query = match rng.below(2) {
                0 => "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
                _ => {
                    "query { ...A } fragment A on Query { movies(first: 1) { nodes { ...B } } } fragment B on Movie { showtimes { movie { ...B } } }"
                }
            };
            let body = json!({ "query": query }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "fragment fan" => {
            // Fragments each spreading the next twice: 2^n spreads unrolled.
            let n = 30 + rng.below(11);
            let mut query = String::from("query { ...F0 } ");
            for k in 0..n {
                let next = k + 1;
                query.push_str(&format!(
                    "fragment F{k} on Query {{ ...F{next} ...F{next} }} "
                ));
            }
            query.push_str(&format!(
                "fragment F{n} on Query {{ movies(first: 100) {{ nodes {{ id }} }} }}"
            ));
            let body = json!({ "query": query }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "batch flood" => {
            let n = [21, 500, 5000][rng.below(3)];
            let item = json!({ "query": "{ movies(first: 100) { nodes { id } } }" });
            let body = Value::Array(vec![item; n]).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        "forged token" => {
            let token = forged_token(rng);
            let query = match rng.below(3) {
                0 => "{ me { id email } }",
                1 => {
                    "mutation { createMovie(input: { title: \"Forged\", runtimeMinutes: 90, releaseDate: \"2026-01-01\" }) { id } }"
                }
                _ => "{ emails(first: 10) { nodes { id } } }",
            };
            let body = json!({ "query": query }).to_string();
            let auth = format!("Bearer {token}");
            post(
                t,
                &from,
                "application/json",
                body.into_bytes(),
                &[("authorization", auth.as_str())],
            )
            .await
        }
        "webhook header bomb" => webhook_bomb(t, &from, rng).await,
        "raw http garbage" => raw_garbage(t, &from, rng).await,
        "websocket" => websocket(t, &from, rng).await,
        "introspection bomb" => {
            let depth = 5 + rng.below(60);
            let query = format!(
                "{{ __schema {{ types {{ fields {{ type {} name {} }} }} }} }}",
                "{ ofType ".repeat(depth),
                "}".repeat(depth)
            );
            let body = json!({ "query": query }).to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
        _ => {
            let body =
                json!({ "query": "{ movies(first: 5) { nodes { id title } } theatres { id } }" })
                    .to_string();
            post(t, &from, "application/json", body.into_bytes(), &[]).await
        }
    }
}

async fn post(
    t: &Target,
    from: &str,
    content_type: &str,
    body: Vec<u8>,
    headers: &[(&str, &str)],
) -> (String, String) {
    let mut req = t
        .client
        .post(format!("{}/graphql", t.url))
        .header("x-forwarded-for", from)
        .header("content-type", content_type)
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req).await
}

async fn answer(req: reqwest::RequestBuilder) -> (String, String) {
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let _ = resp.bytes().await;
            (class_of(status), String::new())
        }
        Err(e) => (
            "no answer".into(),
            format!("{e:?}").chars().take(200).collect(),
        ),
    }
}

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for k in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

/// A token the server never issued: garbage, unsigned, wrongly signed, expired, huge.
fn forged_token(rng: &mut Rng) -> String {
    let claims = |exp: u64| {
        b64url(
            json!({ "sub": "00000000-0000-0000-0000-000000000001", "role": "ADMIN", "admin": true, "iat": 1_700_000_000u64, "exp": exp })
                .to_string()
                .as_bytes(),
        )
    };
    let sig: Vec<u8> = (0..32).map(|_| rng.below(256) as u8).collect();
    match rng.below(6) {
        0 => "garbage".repeat(1 + rng.below(10)),
        1 => format!(
            "{}.{}.",
            b64url(br#"{"alg":"none","typ":"JWT"}"#),
            claims(4_000_000_000)
        ),
        2 => format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            claims(4_000_000_000),
            b64url(&sig)
        ),
        3 => format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            claims(1_000_000_000),
            b64url(&sig)
        ),
        4 => format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"RS256","kid":"../../../../dev/zero"}"#),
            claims(4_000_000_000),
            b64url(&sig)
        ),
        _ => format!(
            "{}.{}.{}",
            "e".repeat(8000),
            "f".repeat(8000),
            "g".repeat(100)
        ),
    }
}

/// `POST /webhooks/stripe` with a `Stripe-Signature` of thousands of `v1=` entries and a
/// large body.
async fn webhook_bomb(t: &Target, from: &str, rng: &mut Rng) -> (String, String) {
    let entries = [10, 1000, 3000][rng.below(3)];
    let now = crate::onsale::unix_secs();
    let stamp = if rng.below(2) == 0 { now } else { 1 };
    let mut header = format!("t={stamp}");
    for _ in 0..entries {
        header.push_str(",v1=");
        header.push_str(&"ab".repeat(32));
    }
    let size = [100, 100_000, 250_000][rng.below(3)];
    let body = format!(
        "{{\"id\": \"evt_forged\", \"type\": \"payment_intent.succeeded\", \"pad\": \"{}\"}}",
        "p".repeat(size)
    );
    let req = t
        .client
        .post(format!("{}/webhooks/stripe", t.url))
        .header("x-forwarded-for", from)
        .header("content-type", "application/json")
        .header("stripe-signature", header)
        .body(body);
    answer(req).await
}

/// Requests `reqwest` would refuse to send: bad request lines, header bombs, odd methods.
async fn raw_garbage(t: &Target, from: &str, rng: &mut Rng) -> (String, String) {
    let host = &t.host;
    let req: Vec<u8> = match rng.below(7) {
        0 => b"GARBAGE\r\n\r\n".to_vec(),
        1 => format!("BREW /graphql HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes(),
        2 => {
            let mut r = format!("GET /graphql?query={{__typename}} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
            for k in 0..2000 {
                r.push_str(&format!("X-Bomb-{k}: {}\r\n", "v".repeat(20)));
            }
            r.push_str("\r\n");
            r.into_bytes()
        }
        3 => format!("GET /{} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", "a".repeat(100_000)).into_bytes(),
        4 => format!("POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\nConnection: close\r\n\r\n").into_bytes(),
        5 => format!("POST /graphql HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzzzz\r\n{{}}\r\n0\r\n\r\n").into_bytes(),
        _ => format!(
            "GET /graphql?query=%FF%FE%00{} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: {from}, not-an-address, ::::, 999.1.1.1\r\nConnection: close\r\n\r\n",
            "%7B".repeat(2000)
        )
        .into_bytes(),
    };
    raw(t, &req).await
}

async fn raw_post(
    t: &Target,
    from: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (String, String) {
    let mut req = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nX-Forwarded-For: {from}\r\nContent-Length: {}\r\nConnection: close\r\n",
        t.host,
        body.len()
    )
    .into_bytes();
    for (k, v) in headers {
        req.extend_from_slice(k.as_bytes());
        req.extend_from_slice(b": ");
        req.extend_from_slice(v.as_bytes());
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"\r\n");
    req.extend_from_slice(body);
    raw(t, &req).await
}

/// Sends bytes on a connection of its own and reads the status line of the answer.
async fn raw(t: &Target, bytes: &[u8]) -> (String, String) {
    let exchange = async {
        let mut s = TcpStream::connect(&t.host).await?;
        // The server may answer and close before reading everything.
        let _ = s.write_all(bytes).await;
        let mut buf = [0u8; 64];
        let mut got = 0;
        while got < 12 {
            let n = s.read(&mut buf[got..]).await?;
            if n == 0 {
                break;
            }
            got += n;
        }
        anyhow::Ok(String::from_utf8_lossy(&buf[..got]).into_owned())
    };
    match tokio::time::timeout(Duration::from_secs(30), exchange).await {
        Ok(Ok(head)) => match head.get(9..12).and_then(|s| s.parse::<u16>().ok()) {
            Some(status) if head.starts_with("HTTP/1.") => (class_of(status), String::new()),
            _ => ("no answer".into(), format!("closed after {head:?}")),
        },
        Ok(Err(e)) => ("no answer".into(), e.to_string()),
        Err(_) => ("no answer".into(), "no status in 30 s".into()),
    }
}

/// One WebSocket connection misbehaving in one of several ways; its class is that of the
/// upgrade (101 when accepted), and it ends when the server closes it or after a second.
async fn websocket(t: &Target, from: &str, rng: &mut Rng) -> (String, String) {
    let ws_url = format!("{}/graphql/ws", t.url.replacen("http", "ws", 1));
    let Ok(mut req) = ws_url.as_str().into_client_request() else {
        return ("no answer".into(), "bad url".into());
    };
    let protocol = if rng.below(10) == 0 {
        "not-a-protocol"
    } else {
        "graphql-transport-ws"
    };
    if let (Ok(p), Ok(f)) = (protocol.parse(), from.parse()) {
        req.headers_mut().insert("sec-websocket-protocol", p);
        req.headers_mut().insert("x-forwarded-for", f);
    }
    let connected = tokio::time::timeout(
        Duration::from_secs(30),
        tokio_tungstenite::connect_async(req),
    )
    .await;
    let mut socket = match connected {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(tungstenite::Error::Http(resp))) => {
            return (class_of(resp.status().as_u16()), String::new());
        }
        Ok(Err(e)) => return ("no answer".into(), e.to_string()),
        Err(_) => return ("no answer".into(), "no upgrade in 30 s".into()),
    };
    let init = json!({ "type": "connection_init" }).to_string();
    let msgs: Vec<Message> = match rng.below(7) {
        0 => vec![
            Message::text("not json at all"),
            Message::text("{\"type\": 5}"),
        ],
        1 => vec![Message::binary(vec![0xffu8; 1024])],
        2 => vec![Message::text(init.clone()); 200],
        3 => vec![Message::text(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ __typename }" } })
                .to_string(),
        )],
        4 => {
            let fields: String = (0..3000)
                .map(|k| format!("a{k}: movies(first: 100) {{ nodes {{ id }} }} "))
                .collect();
            vec![
                Message::text(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {}", forged_token(rng)) } }).to_string()),
                Message::text(json!({ "id": "1", "type": "subscribe", "payload": { "query": format!("{{ {fields}}}") } }).to_string()),
            ]
        }
        5 => {
            let mut m = vec![Message::text(init.clone())];
            for k in 0..100 {
                m.push(Message::text(json!({ "id": format!("{k}"), "type": "subscribe", "payload": { "query": "subscription { seatMapUpdates(showtimeId: \"garbage\") { committedAt } }" } }).to_string()));
            }
            m
        }
        _ => vec![Message::text("x".repeat(2 << 20))],
    };
    let sent = tokio::time::timeout(Duration::from_secs(10), async {
        for m in msgs {
            if socket.send(m).await.is_err() {
                break;
            }
        }
    });
    let _ = sent.await;
    // Read until the server closes, or give up after a second.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
    ("101".into(), String::new())
}
