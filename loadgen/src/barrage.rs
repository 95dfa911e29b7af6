//! A hostile barrage against a server on this machine: `--requests` requests of kinds an
//! attacker sends (malformed JSON, invalid UTF-8, odd content types, oversized bodies,
//! alias and depth bombs, fragment cycles, batch floods, forged tokens, header bombs on the
//! Stripe webhook, raw HTTP garbage, WebSocket garbage and `connection_init` floods), with
//! `--concurrency` in flight, each from one of 4,096 addresses named in `X-Forwarded-For`
//! (a botnet behind the trusted proxy); and `--slow-clients` connections that send half a
//! request and stall. It stops after the last request or `--max-secs`, and prints the
//! answers by status class, the slow clients the server closed, and whether the public
//! catalog read before and after is the same.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::Rng;

#[derive(clap::Args)]
pub struct Options {
    /// Requests to send (a WebSocket connection counts as one).
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Connections that send half a request and stall, held through the barrage.
    #[arg(long, default_value_t = 200)]
    slow_clients: usize,
    /// Stop sending after this many seconds, whatever is left.
    #[arg(long, default_value_t = 600)]
    max_secs: u64,
    /// Seed of the choices.
    #[arg(long, default_value_t = 20)]
    seed: u64,
    /// Only these kinds of request (comma-separated names as printed), e.g. `depth bomb`.
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<String>,
    /// All kinds but these.
    #[arg(long, value_delimiter = ',')]
    skip_kinds: Vec<String>,
}

/// What the server read before and after: the public catalog.
const DIGEST: &str = "{ movies(first: 100) { nodes { id title runtimeMinutes } } events(first: 100) { nodes { id title } } theatres { id name } showtimes(first: 500, includeCancelled: true) { id startsAt } }";

/// Kinds of request, with their weights out of 100.
const KINDS: &[(&str, usize)] = &[
    ("malformed json", 10),
    ("invalid utf-8", 5),
    ("odd content type", 8),
    ("oversized body", 1),
    ("alias bomb", 3),
    ("logIn alias bomb", 2),
    ("depth bomb", 5),
    ("fragment cycle", 4),
    ("fragment fan", 1),
    ("batch flood", 4),
    ("forged token", 16),
    ("webhook header bomb", 8),
    ("raw http garbage", 8),
    ("websocket", 7),
    ("introspection bomb", 3),
    ("plain read", 15),
];

/// Answers counted by kind and by class (`2xx`, `4xx`, `5xx`, `101` for an accepted
/// WebSocket, `no answer` when the connection ended or timed out without a status).
#[derive(Default)]
struct Counts {
    by_class: BTreeMap<String, usize>,
    by_kind: BTreeMap<(&'static str, String), usize>,
    /// A few 5xx or unanswered requests, to show what they were.
    samples: Vec<String>,
}

struct Target {
    url: String,
    /// `127.0.0.1:port`, for raw connections.
    host: String,
    client: reqwest::Client,
}

pub async fn run(url: &str, o: Options) -> anyhow::Result<()> {
    let parsed = reqwest::Url::parse(url)?;
    let host = parsed.host_str().unwrap_or_default();
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1") {
        bail!("the barrage is sent to a server on this machine only, not {host}");
    }
    let port = parsed.port_or_known_default().context("a port")?;
    let target = Arc::new(Target {
        url: url.to_owned(),
        host: format!("127.0.0.1:{port}"),
        // A connection per request: a server closing a connection after a refusal is
        // then not mistaken for a request left unanswered.
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(0)
            .build()?,
    });
    for k in o.kinds.iter().chain(&o.skip_kinds) {
        if !KINDS.iter().any(|(name, _)| name == k) {
            bail!("no kind of request is named {k:?}");
        }
    }
    let only: Vec<String> = KINDS
        .iter()
        .map(|(k, _)| (*k).to_owned())
        .filter(|k| (o.kinds.is_empty() || o.kinds.contains(k)) && !o.skip_kinds.contains(k))
        .collect();
    let before = digest(&target).await?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(o.max_secs);
    let stop = Arc::new(AtomicBool::new(false));
    let slow = tokio::spawn(slow_clients(target.clone(), o.slow_clients, stop.clone()));
    let counts = Arc::new(Mutex::new(Counts::default()));
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..o.concurrency.max(1))
        .map(|w| {
            let (target, counts, next) = (target.clone(), counts.clone(), next.clone());
            let (requests, seed, only) = (o.requests, o.seed, only.clone());
            tokio::spawn(async move {
                let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (w as u64 + 1));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || Instant::now() > deadline {
                        break;
                    }
                    let kind = pick(&mut rng, &only);
                    let (class, detail) = send(&target, kind, &mut rng).await;
                    let mut c = counts.lock().await;
                    if (class.starts_with('5') || class == "no answer") && c.samples.len() < 10 {
                        c.samples.push(format!("{kind}: {class} {detail}"));
                    }
                    *c.by_class.entry(class.clone()).or_default() += 1;
                    *c.by_kind.entry((kind, class)).or_default() += 1;
                }
            })
        })
        .collect();
    for w in workers {
        w.await?;
    }
    let wall = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (slow_open, slow_closed, slow_close_secs) = slow.await?;
    // The server is idle again: the catalog must read as before.
    let after = digest(&target)
        .await
        .unwrap_or_else(|e| format!("unreadable: {e}"));
    let c = counts.lock().await;
    let sent: usize = c.by_class.values().sum();
    println!(
        "barrage       {sent} requests in {:.1} s ({:.0}/s) at concurrency {}",
        wall.as_secs_f64(),
        sent as f64 / wall.as_secs_f64(),
        o.concurrency
    );
    let classes: Vec<String> = c.by_class.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("answers       {}", classes.join(", "));
    for (kind, _) in KINDS {
        let per: Vec<String> = c
            .by_kind
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|((_, class), n)| format!("{class} {n}"))
            .collect();
        if !per.is_empty() {
            println!("  {kind:<20} {}", per.join(", "));
        }
    }
    for s in &c.samples {
        println!("  sample        {s}");
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    println!(
        "slow clients  {slow_open} opened; {slow_closed} closed by the server (median after {:.1} s), the rest by us at the end",
        median(slow_close_secs)
    );
    let same = before == after;
    println!(
        "catalog       {} ({} bytes read before and after)",
        if same { "unchanged" } else { "CHANGED" },
        before.len()
    );
    let fives = c.by_class.get("5xx").copied().unwrap_or(0);
    if fives > 0 || !same {
        bail!("{fives} answers of 5xx; catalog unchanged: {same}");
    }
    Ok(())
}

async fn digest(t: &Target) -> anyhow::Result<String> {
    let resp = t
        .client
        .post(format!("{}/graphql", t.url))
        .header("x-forwarded-for", "192.168.0.1")
        .json(&json!({ "query": DIGEST }))
        .send()
        .await?;
    let body: Value = resp.json().await?;
    if body.get("errors").is_some() || body["data"].is_null() {
        bail!("reading the catalog: {body}");
    }
    Ok(body["data"].to_string())
}

fn pick(rng: &mut Rng, only: &[String]) -> &'static str {
    let kinds: Vec<&(&str, usize)> = KINDS
        .iter()
        .filter(|(k, _)| only.iter().any(|o| o == k))
        .collect();
    let total: usize = kinds.iter().map(|(_, w)| w).sum();
    let mut at = rng.below(total);
    for (kind, w) in kinds {
        if at < *w {
            return kind;
        }
        at -= w;
    }
    KINDS[0].0
}

fn class_of(status: u16) -> String {
    match status {
        101 => "101".into(),
        s => format!("{}xx", s / 100),
    }
}

/// One request of `kind`: its class and, for an unanswered one, why.
async fn send(t: &Target, kind: &str, rng: &mut Rng) -> (String, String) {
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
        let mut buf = vec![0u8; 64];
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

/// Holds `n` connections that sent half a request, until `stop`; how many were opened,
/// how many the server closed, and after how long.
async fn slow_clients(t: Arc<Target>, n: usize, stop: Arc<AtomicBool>) -> (usize, usize, Vec<f64>) {
    let mut tasks = Vec::with_capacity(n);
    for k in 0..n {
        let (t, stop) = (t.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut s) = TcpStream::connect(&t.host).await else {
                return (false, None);
            };
            let opened = Instant::now();
            let half = if k % 2 == 0 {
                // Headers done, half the body promised.
                format!("POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\": \"{{ mov", t.host)
            } else {
                // Headers never finished.
                format!("POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: appl", t.host)
            };
            if s.write_all(half.as_bytes()).await.is_err() {
                return (true, Some(0.0));
            }
            let mut buf = [0u8; 512];
            loop {
                if stop.load(Ordering::Relaxed) {
                    return (true, None);
                }
                match tokio::time::timeout(Duration::from_millis(500), s.read(&mut buf)).await {
                    Ok(Ok(0) | Err(_)) => return (true, Some(opened.elapsed().as_secs_f64())),
                    // An answer (a timeout status): keep reading until the close.
                    Ok(Ok(_)) | Err(_) => {}
                }
            }
        }));
    }
    let (mut opened, mut closed) = (0, Vec::new());
    for task in tasks {
        if let Ok((o, c)) = task.await {
            opened += usize::from(o);
            closed.extend(c);
        }
    }
    let n_closed = closed.len();
    (opened, n_closed, closed)
}
