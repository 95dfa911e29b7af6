//! Every buyer at once (`onsale --burst`): `--buyers` buyers, each with an account of its
//! own, are released together on the showtime with no waiting room; buyer `i` wants seat
//! `i mod --seats` alone (ten buyers per seat for 2,000 buyers on 200 seats), holds it and
//! pays when the hold is granted, and is done at its last answer. What counts is how long
//! the slowest buyer waited for that answer, and that each seat was sold once.

use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::json;
use tokio::sync::watch;

use crate::buyer::PAY;
use crate::onsale::{Who, gql};
use crate::stadium::p50_p99;

const HOLD: &str =
    "mutation H($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";

/// One buyer's outcome.
struct Outcome {
    /// From the release of every buyer to this buyer's last answer.
    answered: Duration,
    hold: Option<Duration>,
    pay: Option<Duration>,
    sold: bool,
    /// No usable answer (a timeout, a connection refused, a body that is not JSON).
    failed: bool,
}

/// Releases every buyer at once and reports; the showtime's seats are `seats`.
pub(crate) async fn run(
    client: &reqwest::Client,
    url: &str,
    showtime: &str,
    seats: &[String],
    buyers: Vec<Who>,
) -> anyhow::Result<(u64, Duration)> {
    let (go, ready) = watch::channel(false);
    let mut tasks = Vec::with_capacity(buyers.len());
    for (i, who) in buyers.into_iter().enumerate() {
        let (client, url, showtime) = (client.clone(), url.to_owned(), showtime.to_owned());
        let seat = seats[i % seats.len()].clone();
        let mut ready = ready.clone();
        tasks.push(tokio::spawn(async move {
            let _ = ready.wait_for(|go| *go).await;
            let start = Instant::now();
            let mut out = Outcome {
                answered: Duration::ZERO,
                hold: None,
                pay: None,
                sold: false,
                failed: false,
            };
            let held = gql(
                &client,
                &url,
                &who,
                HOLD,
                json!({ "s": showtime, "seats": [seat] }),
            )
            .await;
            out.hold = Some(start.elapsed());
            match held {
                Err(_) => out.failed = true,
                Ok(body) => {
                    if let Some(booking) = body["data"]["holdSeats"]["id"].as_str() {
                        let t = Instant::now();
                        match gql(&client, &url, &who, PAY, json!({ "b": booking })).await {
                            Err(_) => out.failed = true,
                            Ok(paid) => {
                                out.pay = Some(t.elapsed());
                                out.sold = paid["data"]["checkout"]["status"] == "CONFIRMED";
                            }
                        }
                    }
                }
            }
            out.answered = start.elapsed();
            out
        }));
    }
    // Every task waits on the signal before its first request.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let released = Instant::now();
    go.send_replace(true);
    // For a profiler started on this line (to leave the sign-ups out of its window).
    eprintln!("released {n} buyers", n = tasks.len());
    let mut outcomes = Vec::with_capacity(tasks.len());
    for t in tasks {
        outcomes.push(t.await?);
    }
    let wall = released.elapsed();
    let n = outcomes.len();
    let sold = outcomes.iter().filter(|o| o.sold).count() as u64;
    let failed = outcomes.iter().filter(|o| o.failed).count();
    let mut answered: Vec<Duration> = outcomes.iter().map(|o| o.answered).collect();
    let mut holds: Vec<Duration> = outcomes.iter().filter_map(|o| o.hold).collect();
    let mut pays: Vec<Duration> = outcomes.iter().filter_map(|o| o.pay).collect();
    let last_sale = outcomes
        .iter()
        .filter(|o| o.sold)
        .map(|o| o.answered)
        .max()
        .unwrap_or_default();
    let (a50, a99) = p50_p99(&mut answered);
    let (h50, h99) = p50_p99(&mut holds);
    let (c50, c99) = p50_p99(&mut pays);
    println!(
        "burst         {n} buyers released at once on {} seats, one seat each, no waiting room",
        seats.len()
    );
    println!(
        "answered ms   p50 {a50:.1}  p99 {a99:.1}  slowest {:.1}; {failed} without an answer",
        answered.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    println!("holdSeats ms  p50 {h50:.1}  p99 {h99:.1}");
    println!(
        "checkout ms   p50 {c50:.1}  p99 {c99:.1}  ({} paid)",
        pays.len()
    );
    println!(
        "confirmed     {sold} seats; last sale after {:.2} s; {:.0} confirmations/s; all done after {:.2} s",
        last_sale.as_secs_f64(),
        sold as f64 / last_sale.as_secs_f64().max(0.001),
        wall.as_secs_f64()
    );
    if failed > 0 {
        bail!("{failed} buyers got no answer");
    }
    Ok((sold, last_sale))
}
