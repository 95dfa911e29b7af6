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
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

use crate::Rng;
use crate::hostile::send;

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

pub(crate) struct Target {
    pub(crate) url: String,
    /// `127.0.0.1:port`, for raw connections.
    pub(crate) host: String,
    pub(crate) client: reqwest::Client,
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
        "catalog       {}",
        if same {
            format!("unchanged ({} bytes read before and after)", before.len())
        } else if after.starts_with("unreadable") {
            format!("not read after the barrage: {after}")
        } else {
            "CHANGED".to_owned()
        }
    );
    let fives = c.by_class.get("5xx").copied().unwrap_or(0);
    let unanswered = c.by_class.get("no answer").copied().unwrap_or(0);
    if fives > 0 || unanswered > 0 || !same {
        bail!("{fives} answers of 5xx, {unanswered} unanswered; catalog read the same: {same}");
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
                // An answer (a timeout status) is read on until the close.
                if let Ok(Ok(0) | Err(_)) =
                    tokio::time::timeout(Duration::from_millis(500), s.read(&mut buf)).await
                {
                    return (true, Some(opened.elapsed().as_secs_f64()));
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
