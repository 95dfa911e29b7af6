//! Scalper bots of the on-sale: each has an account and an address of its own, lines up in
//! the waiting room like a buyer, and once admitted fires holds as fast as it can: a
//! document of 20 aliased `holdSeats`, one of 20 aliased `holdBestAvailable`, or a JSON
//! batch of 20 `holdSeats` operations, in turn, each hold asking for `BOT_SEATS` seats. It
//! pays for whatever it got and goes again, until the showtime is sold out, its account
//! reaches a cap (`LIMIT_REACHED`), or the honest buyers are done. A refused request
//! (HTTP 429) is sent again after `--bot-pause-ms`, whatever `Retry-After` says.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::buyer::Sale;
use crate::onsale::{MAP, Who, gql};

/// Holds (aliases or batch entries) per request.
const FAN: usize = 20;
/// Seats asked for by each hold.
const BOT_SEATS: usize = 4;
const PAY: &str = "mutation P($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status tickets { seatId } } }";

/// What the bots saw, added up.
#[derive(Default)]
pub(crate) struct BotTally {
    /// Hold requests sent (each carrying `FAN` holds).
    pub(crate) requests: AtomicU64,
    /// Requests answered 429.
    pub(crate) rate_limited: AtomicU64,
    /// Holds refused with `LIMIT_REACHED`.
    pub(crate) capped: AtomicU64,
    /// Holds granted.
    pub(crate) holds: AtomicU64,
    /// Seats bought, by bot.
    pub(crate) seats: Mutex<HashMap<usize, u64>>,
    /// Holds refused, by error code.
    pub(crate) codes: Mutex<BTreeMap<String, u64>>,
}

/// One bot's run.
pub(crate) async fn run(
    sale: Arc<Sale>,
    who: Who,
    bot: usize,
    bots: Arc<BotTally>,
    stop: Arc<AtomicBool>,
    pause: Duration,
) {
    let Sale {
        client,
        url,
        showtime,
        tally,
        ..
    } = &*sale;
    let total = sale.seats.len() as u64;
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut round = bot;
    let mut admitted = false;
    let (mut free, mut stale) = (Vec::new(), true);
    let done = |stop: &AtomicBool| {
        stop.load(Ordering::Relaxed)
            || tally.sold_seats.load(Ordering::Relaxed) >= total
            || Instant::now() > deadline
    };
    while !done(&stop) {
        if sale.waiting_room && !admitted {
            // In line until admitted, or until the sale is over.
            let over = async {
                while !done(&stop) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            tokio::select! {
                waited = crate::room::wait_for_admission(client, url, &who, showtime) => {
                    if waited.is_err() {
                        tokio::time::sleep(pause).await;
                        continue;
                    }
                }
                () = over => break,
            }
            admitted = true;
        }
        // A fresh look at what is free (unless the last request was refused unread),
        // spread over the holds of one request.
        if stale {
            free = free_seats(sale.as_ref(), &who).await;
            if free.is_empty() {
                break;
            }
        }
        round += 1;
        let (status, body) = fire(sale.as_ref(), &who, round, &free).await;
        bots.requests.fetch_add(1, Ordering::Relaxed);
        stale = status != 429;
        if status == 429 {
            bots.rate_limited.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(pause).await;
            continue;
        }
        let (bookings, codes) = outcome(&body);
        let capped = codes.iter().filter(|c| *c == "LIMIT_REACHED").count();
        {
            let mut seen = bots.codes.lock().await;
            for c in &codes {
                *seen.entry(c.clone()).or_default() += 1;
            }
        }
        bots.capped.fetch_add(capped as u64, Ordering::Relaxed);
        if !bookings.is_empty() {
            // The admission was spent on the first hold granted.
            admitted = false;
        }
        if codes.iter().any(|c| c == "ADMISSION_REQUIRED") && bookings.is_empty() {
            admitted = false;
        }
        for booking in bookings {
            bots.holds.fetch_add(1, Ordering::Relaxed);
            let bought = pay(sale.as_ref(), &who, &booking, pause).await;
            if bought > 0 {
                *bots.seats.lock().await.entry(bot).or_default() += bought;
            }
        }
        if capped > 0 {
            // This account has all it may have.
            break;
        }
    }
    if sale.waiting_room {
        crate::room::leave(client, url, &who, showtime).await;
    }
}

async fn free_seats(sale: &Sale, who: &Who) -> Vec<String> {
    let Ok(map) = gql(
        &sale.client,
        &sale.url,
        who,
        MAP,
        json!({ "s": sale.showtime }),
    )
    .await
    else {
        return Vec::new();
    };
    map["data"]["showtime"]["seatMap"]["seats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["status"] == "AVAILABLE")
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect()
}

/// One request of `FAN` holds: aliased `holdSeats`, aliased `holdBestAvailable`, or a
/// batch, by `round`. The status and the body (`Null` when unreadable).
async fn fire(sale: &Sale, who: &Who, round: usize, free: &[String]) -> (u16, Value) {
    let seats_for = |k: usize| -> Vec<&String> {
        (0..BOT_SEATS.min(free.len()))
            .map(|j| &free[(round * 7 + k * BOT_SEATS + j) % free.len()])
            .collect()
    };
    let body = match round % 3 {
        0 => {
            let fields: String = (0..FAN)
                .map(|k| {
                    format!(
                        "h{k}: holdSeats(showtimeId: $s, seatIds: {}) {{ id }} ",
                        json!(seats_for(k))
                    )
                })
                .collect();
            json!({ "query": format!("mutation($s: ID!) {{ {fields}}}"), "variables": { "s": sale.showtime } })
        }
        1 => {
            let fields: String = (0..FAN)
                .map(|k| {
                    format!("h{k}: holdBestAvailable(showtimeId: $s, count: {BOT_SEATS}) {{ id }} ")
                })
                .collect();
            json!({ "query": format!("mutation($s: ID!) {{ {fields}}}"), "variables": { "s": sale.showtime } })
        }
        _ => Value::Array(
            (0..FAN)
                .map(|k| {
                    json!({
                        "query": "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
                        "variables": { "s": sale.showtime, "seats": seats_for(k) },
                    })
                })
                .collect(),
        ),
    };
    let sent = sale
        .client
        .post(format!("{}/graphql", sale.url))
        .bearer_auth(&who.token)
        .header("x-forwarded-for", &who.addr)
        .json(&body)
        .send()
        .await;
    match sent {
        Ok(resp) => {
            let status = resp.status().as_u16();
            (status, resp.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

/// Booking ids granted and error codes, from one answer or a batch of them.
fn outcome(body: &Value) -> (Vec<String>, Vec<String>) {
    let answers: Vec<&Value> = match body {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut bookings = Vec::new();
    let mut codes = Vec::new();
    for a in answers {
        if let Some(data) = a["data"].as_object() {
            bookings.extend(
                data.values()
                    .filter_map(|v| v["id"].as_str().map(str::to_owned)),
            );
        }
        codes.extend(
            a["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned)),
        );
    }
    (bookings, codes)
}

/// Pays for a hold (again after a 429, a few times); the seats bought.
async fn pay(sale: &Sale, who: &Who, booking: &str, pause: Duration) -> u64 {
    let tally = &sale.tally;
    for _ in 0..20 {
        let Ok(paid) = gql(&sale.client, &sale.url, who, PAY, json!({ "b": booking })).await else {
            return 0;
        };
        if paid["data"]["checkout"]["status"] == "CONFIRMED" {
            tally.confirmed.fetch_add(1, Ordering::Relaxed);
            let seats: Vec<String> = paid["data"]["checkout"]["tickets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["seatId"].as_str().map(str::to_owned))
                .collect();
            let mut tickets = tally.tickets.lock().await;
            for s in &seats {
                *tickets.entry(s.clone()).or_default() += 1;
            }
            drop(tickets);
            let n = seats.len() as u64;
            let sold = tally.sold_seats.fetch_add(n, Ordering::Relaxed) + n;
            if sold >= sale.seats.len() as u64 {
                tally
                    .sold_out_at
                    .lock()
                    .await
                    .get_or_insert(sale.started.elapsed());
            }
            return n;
        }
        let limited = paid["errors"][0]["extensions"]["code"] == "RATE_LIMITED";
        if !limited {
            return 0;
        }
        tokio::time::sleep(pause).await;
    }
    0
}
