//! `marquee-loadgen`: measures a running server over real HTTP GraphQL.
//!
//! - `seatmap`: fetches `showtime(id) { seatMap { … } }` for one showtime, `--requests`
//!   times with `--concurrency` in flight, and prints throughput and latency percentiles.
//! - `onsale`: an opening-night on-sale; see `onsale.rs`.
//! - `search`: discovery latency by kind of query; see `search.rs`.
//! - `barrage`: hostile requests, counted by answer; see `barrage.rs`.
//! - `analytics`: sales report latency per report; see `analytics.rs`.

mod analytics;
mod barrage;
mod bot;
mod burst;
mod buyer;
mod fanout;
mod hostile;
mod onsale;
mod room;
mod search;
mod stadium;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

#[derive(Parser)]
#[command(
    name = "marquee-loadgen",
    about = "Load generator for a running Marquee server"
)]
struct Cli {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Seat-map reads of one showtime (the first upcoming one unless `--showtime` is given).
    Seatmap {
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        #[arg(long)]
        showtime: Option<String>,
        /// Requests sent first and not measured.
        #[arg(long, default_value_t = 100)]
        warmup: usize,
    },
    /// Listing reads: `showtimes(city, first: 20)` with each showtime's title, theatre and
    /// prices (the city of the first upcoming showtime unless `--city` is given).
    Listings {
        #[arg(long, default_value_t = 5_000)]
        requests: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long)]
        city: Option<String>,
        /// Requests sent first and not measured.
        #[arg(long, default_value_t = 100)]
        warmup: usize,
    },
    /// Buyers race for one new showtime: hold 1-4 seats, pay, until sold out.
    Onsale(onsale::Options),
    /// Search latency: full text, fuzzy, autocomplete and near me.
    Search(search::Options),
    /// Hostile requests over HTTP and WebSocket against a server on this machine.
    Barrage(barrage::Options),
    /// Sales report latency, p50/p99 per report, of one organisation.
    Analytics(analytics::Options),
}

const SEAT_MAP: &str = "query SeatMap($id: ID!) { showtime(id: $id) { seatMap { seats { id row number category status priceCents } } } }";

const LISTINGS: &str = "query Listings($city: String!) { showtimes(city: $city, first: 20) { id startsAt status movie { id title runtimeMinutes } theatre { id name city } prices { category priceCents } } }";

async fn post(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let resp = client
        .post(format!("{url}/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    let body: Value = resp.json().await?;
    if body.get("errors").is_some() {
        bail!("GraphQL errors: {body}");
    }
    Ok(body)
}

/// xorshift64*: reproducible choices without a dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn seatmap(
    url: &str,
    requests: usize,
    concurrency: usize,
    showtime: Option<String>,
    warmup: usize,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let id = match showtime {
        Some(id) => id,
        None => {
            let body = post(&client, url, "{ showtimes(first: 1) { id } }", json!({})).await?;
            body["data"]["showtimes"][0]["id"]
                .as_str()
                .context("the server has no upcoming showtime")?
                .to_owned()
        }
    };
    let probe = post(&client, url, SEAT_MAP, json!({ "id": id })).await?;
    let seats = probe["data"]["showtime"]["seatMap"]["seats"]
        .as_array()
        .map_or(0, Vec::len);
    let measured = measure(
        &client,
        url,
        SEAT_MAP,
        json!({ "id": id }),
        (requests, concurrency, warmup),
    )
    .await?;
    println!("scenario      seatmap ({seats} seats, showtime {id})");
    measured.print();
    Ok(())
}

async fn listings(
    url: &str,
    requests: usize,
    concurrency: usize,
    city: Option<String>,
    warmup: usize,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let city = match city {
        Some(c) => c,
        None => {
            let body = post(
                &client,
                url,
                "{ showtimes(first: 1) { theatre { city } } }",
                json!({}),
            )
            .await?;
            body["data"]["showtimes"][0]["theatre"]["city"]
                .as_str()
                .context("the server has no upcoming showtime in a theatre")?
                .to_owned()
        }
    };
    let probe = post(&client, url, LISTINGS, json!({ "city": city })).await?;
    let shown = probe["data"]["showtimes"].as_array().map_or(0, Vec::len);
    let measured = measure(
        &client,
        url,
        LISTINGS,
        json!({ "city": city }),
        (requests, concurrency, warmup),
    )
    .await?;
    println!("scenario      listings ({shown} showtimes in {city})");
    measured.print();
    Ok(())
}

/// Latencies of one query sent again and again, a fixed number in flight.
struct Measured {
    requests: usize,
    concurrency: usize,
    failures: usize,
    wall: Duration,
    latencies: Vec<Duration>,
}

impl Measured {
    fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let l = &self.latencies;
        println!(
            "requests      {} at concurrency {}, {} failed",
            self.requests, self.concurrency, self.failures
        );
        println!(
            "throughput    {:.0} req/s",
            self.requests as f64 / self.wall.as_secs_f64()
        );
        println!(
            "latency ms    p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
            ms(percentile(l, 50.0)),
            ms(percentile(l, 90.0)),
            ms(percentile(l, 99.0)),
            ms(l.last().copied().unwrap_or_default())
        );
    }
}

async fn measure(
    client: &reqwest::Client,
    url: &str,
    query: &'static str,
    variables: Value,
    (requests, concurrency, warmup): (usize, usize, usize),
) -> anyhow::Result<Measured> {
    for _ in 0..warmup {
        post(client, url, query, variables.clone()).await?;
    }
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for _ in 0..requests {
        let permit = gate.clone().acquire_owned().await?;
        let (client, url, variables) = (client.clone(), url.to_owned(), variables.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let ok = post(&client, &url, query, variables).await.is_ok();
            drop(permit);
            (t.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut failures = 0usize;
    for task in tasks {
        let (d, ok) = task.await?;
        if ok { latencies.push(d) } else { failures += 1 }
    }
    let wall = started.elapsed();
    latencies.sort();
    Ok(Measured {
        requests,
        concurrency,
        failures,
        wall,
        latencies,
    })
}

// The generator shares the cores with the server it measures: its own allocations (a
// JSON message per subscriber per change) should cost as little as the server's do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let started = Instant::now();
    let result = run(cli).await;
    // The generator shares the cores with what it measures: say what it took of them, so
    // that the figures are read fairly.
    if let Some((user, system)) = own_cpu_seconds() {
        println!(
            "generator     CPU {:.1} s (user {user:.1}, system {system:.1}) over {:.1} s",
            user + system,
            started.elapsed().as_secs_f64()
        );
    }
    result
}

/// This process's user and system CPU time so far, from `/proc/self/stat` (Linux).
fn own_cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces), from the state field on:
    // utime and stime are the 14th and 15th fields, in clock ticks (100 a second).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? / 100.0, ticks(12)? / 100.0))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.scenario {
        Scenario::Seatmap {
            requests,
            concurrency,
            showtime,
            warmup,
        } => {
            seatmap(
                cli.url.trim_end_matches('/'),
                requests,
                concurrency,
                showtime,
                warmup,
            )
            .await
        }
        Scenario::Listings {
            requests,
            concurrency,
            city,
            warmup,
        } => {
            listings(
                cli.url.trim_end_matches('/'),
                requests,
                concurrency,
                city,
                warmup,
            )
            .await
        }
        Scenario::Onsale(options) => onsale::run(cli.url.trim_end_matches('/'), options).await,
        Scenario::Search(options) => search::run(cli.url.trim_end_matches('/'), options).await,
        Scenario::Barrage(options) => barrage::run(cli.url.trim_end_matches('/'), options).await,
        Scenario::Analytics(options) => {
            analytics::run(cli.url.trim_end_matches('/'), options).await
        }
    }
}
