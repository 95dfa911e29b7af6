//! Analytics latency: each kind of sales report of one organisation (`marquee seed
//! --bookings N` prints its id), `--requests` times with `--concurrency` in flight, over
//! GraphQL and the CSV export; prints p50/p99 per report. Periods end at the start of
//! today (UTC), where the seeded history ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DurationRound, Utc};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::percentile;

#[derive(clap::Args)]
pub struct Options {
    /// The organisation reported on.
    #[arg(long)]
    organisation: String,
    /// Requests of each report.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Requests in flight at once (1: each request's own latency, not its queueing).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Requests of each report sent first and not measured.
    #[arg(long, default_value_t = 10)]
    warmup: usize,
    /// A platform admin or a manager of the organisation.
    #[arg(long, default_value = "loadgen-admin@marquee.test")]
    admin_email: String,
    #[arg(
        long,
        env = "LOADGEN_ADMIN_PASSWORD",
        default_value = "loadgen admin password"
    )]
    admin_password: String,
}

const REPORT: &str = "query R($o: ID!, $f: DateTime!, $t: DateTime!, $g: ReportGranularity!, $b: ReportGroupBy!) { salesReport(organisationId: $o, from: $f, to: $t, granularity: $g, groupBy: $b) { bucket groupId ticketsSold grossCents netCents occupancy averagePriceCents holdsPlaced confirmations } }";

/// Name, granularity, grouping, days back, and whether through the CSV export.
const REPORTS: [(&str, &str, &str, i64, bool); 13] = [
    (
        "organisation by day, 30 days",
        "DAY",
        "ORGANISATION",
        30,
        false,
    ),
    ("theatres by day, 30 days", "DAY", "THEATRE", 30, false),
    ("movies, whole 90 days", "PERIOD", "MOVIE", 90, false),
    ("screens by day, 7 days", "DAY", "SCREEN", 7, false),
    ("showtimes, whole 7 days", "PERIOD", "SHOWTIME", 7, false),
    (
        "organisation by hour, 2 days",
        "HOUR",
        "ORGANISATION",
        2,
        false,
    ),
    ("screens by hour, 1 day", "HOUR", "SCREEN", 1, false),
    (
        "organisation, whole year",
        "PERIOD",
        "ORGANISATION",
        365,
        false,
    ),
    ("theatres by day, 30 days (CSV)", "DAY", "THEATRE", 30, true),
    ("movies by day, 30 days", "DAY", "MOVIE", 30, false),
    ("events, whole 90 days", "PERIOD", "EVENT", 90, false),
    ("screens, whole 30 days", "PERIOD", "SCREEN", 30, false),
    ("theatres, whole 90 days", "PERIOD", "THEATRE", 90, false),
];

/// One request; returns how many rows came back.
async fn ask(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    vars: &Value,
    csv: bool,
) -> anyhow::Result<usize> {
    if csv {
        let resp = client
            .get(format!("{url}/analytics"))
            .bearer_auth(token)
            .query(&[
                ("organisationId", vars["o"].as_str().unwrap_or_default()),
                ("from", vars["f"].as_str().unwrap_or_default()),
                ("to", vars["t"].as_str().unwrap_or_default()),
                (
                    "granularity",
                    &vars["g"].as_str().unwrap_or_default().to_lowercase(),
                ),
                (
                    "groupBy",
                    &vars["b"].as_str().unwrap_or_default().to_lowercase(),
                ),
                ("format", "csv"),
            ])
            .send()
            .await?;
        if !resp.status().is_success() {
            bail!("HTTP {}: {}", resp.status(), resp.text().await?);
        }
        return Ok(resp.text().await?.lines().count().saturating_sub(1));
    }
    let body: Value = client
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": REPORT, "variables": vars }))
        .send()
        .await?
        .json()
        .await?;
    if body.get("errors").is_some() {
        bail!("GraphQL errors: {body}");
    }
    Ok(body["data"]["salesReport"].as_array().map_or(0, Vec::len))
}

pub async fn run(url: &str, o: Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .build()?;
    let login: Value = client
        .post(format!("{url}/graphql"))
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
            "variables": { "e": o.admin_email, "p": o.admin_password },
        }))
        .send()
        .await?
        .json()
        .await?;
    let token = login["data"]["logIn"]["token"]
        .as_str()
        .with_context(|| format!("cannot log in as {}: {login}", o.admin_email))?
        .to_owned();
    let today = Utc::now().duration_trunc(chrono::Duration::days(1))?;
    println!(
        "{:<34} {:>6} {:>9} {:>9} {:>9}",
        "report", "rows", "p50 ms", "p99 ms", "max ms"
    );
    for (name, granularity, group, days, csv) in REPORTS {
        let vars = json!({
            "o": o.organisation,
            "f": (today - chrono::Duration::days(days)).to_rfc3339(),
            "t": today.to_rfc3339(),
            "g": granularity,
            "b": group,
        });
        let mut rows = 0;
        for _ in 0..o.warmup {
            rows = ask(&client, url, &token, &vars, csv).await?;
        }
        let gate = Arc::new(Semaphore::new(o.concurrency.max(1)));
        let mut tasks = Vec::with_capacity(o.requests);
        for _ in 0..o.requests {
            let permit = gate.clone().acquire_owned().await?;
            let (client, url, token, vars) =
                (client.clone(), url.to_owned(), token.clone(), vars.clone());
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let ok = ask(&client, &url, &token, &vars, csv).await.is_ok();
                drop(permit);
                (t.elapsed(), ok)
            }));
        }
        let mut times: Vec<Duration> = Vec::with_capacity(tasks.len());
        let mut failed = 0;
        for t in tasks {
            let (d, ok) = t.await?;
            if ok {
                times.push(d);
            } else {
                failed += 1;
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name:<34} {rows:>6} {:>9.1} {:>9.1} {:>9.1}{}",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            ms(times.last().copied().unwrap_or_default()),
            if failed > 0 {
                format!("  ({failed} failed)")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}
