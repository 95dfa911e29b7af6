//! Discovery latency over GraphQL: full-text, fuzzy (one typo per word), autocomplete and
//! near-me searches built from words of the server's own catalogue, `--requests` of each
//! kind with `--concurrency` in flight.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::{Rng, percentile, post};

#[derive(clap::Args)]
pub struct Options {
    /// Requests of each kind.
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Requests of each kind sent first and not measured.
    #[arg(long, default_value_t = 100)]
    warmup: usize,
    /// The kinds of search to run, in order.
    #[arg(long, value_delimiter = ',', default_values_t = KINDS.map(String::from))]
    kinds: Vec<String>,
}

const KINDS: [&str; 4] = ["full-text", "fuzzy", "autocomplete", "near-me"];

const SEARCH: &str = "query S($q: String, $near: NearInput) { search(query: $q, near: $near, first: 10) { edges { node { score item { __typename } } } } }";
const TITLES: &str = "query V($p: String!) { autocomplete(prefix: $p, first: 20) { title } }";
const AUTOCOMPLETE: &str =
    "query A($p: String!) { autocomplete(prefix: $p, first: 8) { id title } }";

/// One typo: a letter dropped, doubled or two swapped.
fn misspell(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = 1 + rng.below(chars.len().saturating_sub(2).max(1));
    match rng.below(3) {
        0 => {
            chars.remove(at.min(chars.len() - 1));
        }
        1 => chars.insert(at, chars[at.min(chars.len() - 1)]),
        _ if at + 1 < chars.len() => chars.swap(at, at + 1),
        _ => {
            chars.remove(at.min(chars.len() - 1));
        }
    }
    chars.into_iter().collect()
}

/// Words of the catalogue's titles, and the theatres' coordinates.
async fn vocabulary(
    client: &reqwest::Client,
    url: &str,
) -> anyhow::Result<(Vec<String>, Vec<(f64, f64)>)> {
    // Titles starting with every letter, so that the words span the whole catalogue.
    let mut titles = Vec::new();
    for letter in 'a'..='z' {
        let body = post(client, url, TITLES, json!({ "p": letter.to_string() })).await?;
        titles.extend(
            body["data"]["autocomplete"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["title"].as_str().map(str::to_owned)),
        );
    }
    let mut words: Vec<String> = titles
        .iter()
        .flat_map(|t| {
            t.split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 5 && w.chars().all(char::is_alphabetic))
        .collect();
    words.sort();
    words.dedup();
    let theatres = post(
        client,
        url,
        "{ theatres { latitude longitude } }",
        json!({}),
    )
    .await?;
    let points: Vec<(f64, f64)> = theatres["data"]["theatres"]
        .as_array()
        .context("theatres")?
        .iter()
        .filter_map(|t| Some((t["latitude"].as_f64()?, t["longitude"].as_f64()?)))
        .collect();
    if words.is_empty() || points.is_empty() {
        bail!("the server's catalogue has no titles or no theatres to search for");
    }
    Ok((words, points))
}

fn request(
    kind: &str,
    words: &[String],
    points: &[(f64, f64)],
    rng: &mut Rng,
) -> (&'static str, Value) {
    let word = |rng: &mut Rng| words[rng.below(words.len())].clone();
    match kind {
        "full-text" => (
            SEARCH,
            json!({ "q": format!("{} {}", word(rng), word(rng)) }),
        ),
        "fuzzy" => {
            let (a, b) = (word(rng), word(rng));
            (
                SEARCH,
                json!({ "q": format!("{} {}", misspell(&a, rng), misspell(&b, rng)) }),
            )
        }
        "autocomplete" => {
            let w = word(rng);
            let n = 3 + rng.below(w.len().saturating_sub(2).max(1));
            (
                AUTOCOMPLETE,
                json!({ "p": w.chars().take(n).collect::<String>() }),
            )
        }
        _ => {
            let (lat, lon) = points[rng.below(points.len())];
            (
                SEARCH,
                json!({ "q": word(rng), "near": { "lat": lat, "lon": lon, "radiusKm": 10.0 } }),
            )
        }
    }
}

pub async fn run(url: &str, o: Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .build()?;
    let (words, points) = vocabulary(&client, url).await?;
    let (words, points) = (Arc::new(words), Arc::new(points));
    println!(
        "scenario      search: {} requests of each kind at concurrency {}, {} catalogue words",
        o.requests,
        o.concurrency,
        words.len()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for kind in &o.kinds {
        let Some(k) = KINDS.iter().position(|known| known == kind) else {
            bail!(
                "unknown kind of search `{kind}`; the kinds are {}",
                KINDS.join(", ")
            );
        };
        let kind = KINDS[k];
        let mut rng = Rng(0x5EA2_C4ED ^ (k as u64 + 1));
        for _ in 0..o.warmup {
            let (q, v) = request(kind, &words, &points, &mut rng);
            post(&client, url, q, v).await?;
        }
        let gate = Arc::new(Semaphore::new(o.concurrency.max(1)));
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(o.requests);
        for _ in 0..o.requests {
            let permit = gate.clone().acquire_owned().await?;
            let (q, v) = request(kind, &words, &points, &mut rng);
            let (client, url) = (client.clone(), url.to_owned());
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let ok = post(&client, &url, q, v).await.is_ok();
                drop(permit);
                (t.elapsed(), ok)
            }));
        }
        let mut latencies = Vec::with_capacity(o.requests);
        let mut failures = 0usize;
        for task in tasks {
            let (d, ok) = task.await?;
            if ok { latencies.push(d) } else { failures += 1 }
        }
        let wall = started.elapsed();
        latencies.sort();
        println!(
            "{kind:<13} {:.0} req/s  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({failures} failed)",
            o.requests as f64 / wall.as_secs_f64(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
            ms(latencies.last().copied().unwrap_or_default())
        );
    }
    Ok(())
}
