//! An opening-night on-sale over real HTTP GraphQL: an admin creates a showtime of
//! `--seats` seats; `--buyers` buyers (with `--concurrency` in flight) each try to hold 1-4
//! seats and pay with the test card, refreshing the seat map and retrying when refused,
//! until the showtime is sold out. With `--waiting-room true` (the default) the showtime is
//! flagged hot and every buyer first waits in its line until admitted. Buyer accounts are
//! made before the clock starts, one per buyer in flight (a place in line is per account).
//! With `--bots N`, scalper bots race the buyers (see `bot.rs`). Every client sends its own
//! address in `X-Forwarded-For`, for a server that trusts the generator as its proxy.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};

use crate::percentile;

#[derive(clap::Args)]
pub struct Options {
    /// Buyers racing for the showtime.
    #[arg(long, default_value_t = 10_000)]
    buyers: usize,
    /// Buyers in flight at once.
    #[arg(long, default_value_t = 500)]
    concurrency: usize,
    /// Release every buyer at once, each with an account of its own and one seat in mind
    /// (buyer `i` wants seat `i mod --seats`), with no waiting room; see `burst.rs`.
    #[arg(long)]
    burst: bool,
    /// Seats of the showtime (rows of 20), on a cinema screen.
    #[arg(long, default_value_t = 300)]
    seats: usize,
    /// `cinema` (one screen of `--seats` seats) or `stadium` (50,000 places in sections,
    /// half of them standing; see `stadium.rs`).
    #[arg(long, value_enum, default_value_t = Venue::Cinema)]
    venue: Venue,
    /// Sell through the showtime's waiting room.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    waiting_room: bool,
    /// With a waiting room: seconds between the buyers lining up and the on-sale opening.
    #[arg(long, default_value_t = 3)]
    queue_lead_secs: u64,
    /// An admin account (`marquee create-admin`).
    #[arg(long, default_value = "loadgen-admin@marquee.test")]
    admin_email: String,
    #[arg(
        long,
        env = "LOADGEN_ADMIN_PASSWORD",
        default_value = "loadgen admin password"
    )]
    admin_password: String,
    /// Seat-map subscribers listening over WebSocket during the race.
    #[arg(long, default_value_t = 0)]
    subscribers: usize,
    /// Scalper bots racing the buyers with aliased and batched holds (see `bot.rs`).
    #[arg(long, default_value_t = 0)]
    bots: usize,
    /// How long a bot waits before sending a refused (429) request again.
    #[arg(long, default_value_t = 100)]
    bot_pause_ms: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Venue {
    Cinema,
    Stadium,
}

/// The showtime's seat ledger, as the database holds it (admins).
const AUDIT: &str = "query($s: ID!) { showtimeSeatAudit(showtimeId: $s) { seatsSold liveTickets confirmedBookings seatsWithTwoTickets seatsInTwoBookings soldWithoutTicket ticketsOnUnsoldSeats places placesSold placeTickets sectionsOversold consistent } }";

pub(crate) const MAP: &str =
    "query M($s: ID!) { showtime(id: $s) { seatMap { seats { id status } } } }";

/// One simulated client: its account's token and the address it comes from, sent as
/// `X-Forwarded-For` (the server believes it only from a trusted proxy, so that each
/// client's address-wide rate limits are its own, as behind a production proxy).
#[derive(Clone)]
pub(crate) struct Who {
    pub(crate) token: String,
    pub(crate) addr: String,
}

/// The `n`th address of a private block: `10.0.0.1`, `10.0.0.2`, ….
pub(crate) fn private_addr(block: u8, n: usize) -> String {
    let n = n + 1;
    format!("{block}.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

pub(crate) async fn gql(
    client: &reqwest::Client,
    url: &str,
    who: &Who,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let resp = client
        .post(format!("{url}/graphql"))
        .bearer_auth(&who.token)
        .header("x-forwarded-for", &who.addr)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    Ok(resp.json().await?)
}

/// An anonymous request from `addr`; fails on GraphQL errors.
async fn anon(
    client: &reqwest::Client,
    url: &str,
    addr: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let resp = client
        .post(format!("{url}/graphql"))
        .header("x-forwarded-for", addr)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    let body: Value = resp.json().await?;
    if body.get("errors").is_some() {
        bail!("GraphQL errors: {body}");
    }
    Ok(body)
}

fn token_of(body: &Value, field: &str) -> anyhow::Result<String> {
    body["data"][field]["token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("{field} failed: {body}"))
}

async fn set_up(
    client: &reqwest::Client,
    url: &str,
    o: &Options,
) -> anyhow::Result<(Who, String, Vec<String>)> {
    let admin_addr = private_addr(192, 0);
    let login = anon(
        client,
        url,
        &admin_addr,
        "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
        json!({ "e": o.admin_email, "p": o.admin_password }),
    )
    .await
    .context("log in as the admin (create it with `marquee create-admin`)")?;
    let admin = Who {
        token: token_of(&login, "logIn")?,
        addr: admin_addr,
    };
    let t = gql(client, url, &admin, "mutation { createTheatre(input: { name: \"Load Test Palace\", address: \"1 Bench St\", city: \"Benchville\", state: \"CA\", zip: \"90000\", latitude: 34.0, longitude: -118.0, timezone: \"America/Los_Angeles\" }) { id } }", json!({})).await?;
    let theatre = t["data"]["createTheatre"]["id"]
        .as_str()
        .with_context(|| format!("createTheatre: {t}"))?
        .to_owned();
    let layout = match o.venue {
        Venue::Cinema => {
            let rows: Vec<Value> = (0..o.seats.div_ceil(20))
                .map(|r| {
                    let n = (o.seats - r * 20).min(20);
                    json!({ "label": format!("R{r}"), "seats": "S".repeat(n) })
                })
                .collect();
            json!({ "rows": rows })
        }
        Venue::Stadium => crate::stadium::layout(),
    };
    let sc = gql(client, url, &admin, "mutation($t: ID!, $l: ScreenLayoutInput!) { createScreen(theatreId: $t, name: \"Main\", layout: $l) { id } }", json!({ "t": theatre, "l": layout })).await?;
    let screen = sc["data"]["createScreen"]["id"]
        .as_str()
        .with_context(|| format!("createScreen: {sc}"))?
        .to_owned();
    let m = gql(client, url, &admin, "mutation { createMovie(input: { title: \"Opening Night\", runtimeMinutes: 150, releaseDate: \"2026-01-01\" }) { id } }", json!({})).await?;
    let movie = m["data"]["createMovie"]["id"]
        .as_str()
        .with_context(|| format!("createMovie: {m}"))?
        .to_owned();
    let starts = rfc3339(unix_now().as_secs() + 2 * 86_400);
    let st = gql(client, url, &admin, "mutation($i: CreateShowtimeInput!) { createShowtime(input: $i) { id } }", json!({ "i": { "screenId": screen, "movieId": movie, "startsAt": starts, "waitingRoom": o.waiting_room && !o.burst, "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } })).await?;
    let showtime = st["data"]["createShowtime"]["id"]
        .as_str()
        .with_context(|| format!("createShowtime: {st}"))?
        .to_owned();
    let map = gql(client, url, &admin, MAP, json!({ "s": showtime })).await?;
    let seats = map["data"]["showtime"]["seatMap"]["seats"]
        .as_array()
        .context("seat map")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    Ok((admin, showtime, seats))
}

/// `n` accounts named `kind…`, each signed up from its own address of the private `block`,
/// a few sign-ups at a time (password hashing is slow on purpose).
pub(crate) async fn sign_up(
    client: &reqwest::Client,
    url: &str,
    n: usize,
    kind: &'static str,
    block: u8,
) -> anyhow::Result<Vec<Who>> {
    let run_id = std::process::id();
    let gate = Arc::new(Semaphore::new(4));
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let (client, url, gate) = (client.clone(), url.to_owned(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let addr = private_addr(block, i);
            let body = anon(&client, &url, &addr, "mutation($i: SignUpInput!) { signUp(input: $i) { token } }", json!({ "i": { "email": format!("{kind}{run_id}-{i}@loadgen.test"), "password": "loadgen password", "name": "Buyer" } })).await?;
            anyhow::Ok(Who {
                token: token_of(&body, "signUp")?,
                addr,
            })
        }));
    }
    let mut tokens = Vec::with_capacity(n);
    for t in tasks {
        tokens.push(t.await??);
    }
    Ok(tokens)
}

/// Moves the showtime's on-sale to `lead` whole seconds from now; the instant it opens.
async fn open_sale_in(
    client: &reqwest::Client,
    url: &str,
    admin: &Who,
    showtime: &str,
    lead: u64,
) -> anyhow::Result<Instant> {
    let now = unix_now();
    let opens = now.as_secs() + lead.max(1);
    let body = gql(client, url, admin, "mutation($id: ID!, $at: DateTime!) { updateShowtime(id: $id, input: { onSaleAt: $at }) { id } }", json!({ "id": showtime, "at": rfc3339(opens) })).await?;
    if body["data"]["updateShowtime"]["id"].is_null() {
        bail!("updateShowtime: {body}");
    }
    Ok(Instant::now() + (Duration::from_secs(opens) - now))
}

/// A Unix time in RFC 3339 (no date crate needed).
fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let (h, mi, se) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{se:02}Z")
}

pub(crate) fn unix_secs() -> u64 {
    unix_now().as_secs()
}

fn unix_now() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// What the buyers saw, added up.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) hold_latency: Mutex<Vec<Duration>>,
    /// Stadium only: standing-place holds, overview reads and a section's seat reads.
    pub(crate) place_hold_latency: Mutex<Vec<Duration>>,
    pub(crate) overview_latency: Mutex<Vec<Duration>>,
    pub(crate) section_map_latency: Mutex<Vec<Duration>>,
    pub(crate) pay_latency: Mutex<Vec<Duration>>,
    pub(crate) room_waits: Mutex<Vec<Duration>>,
    pub(crate) holds: AtomicU64,
    pub(crate) refused: AtomicU64,
    pub(crate) confirmed: AtomicU64,
    pub(crate) sold_seats: AtomicU64,
    pub(crate) tickets: Mutex<HashMap<String, u32>>,
    pub(crate) sold_out_at: Mutex<Option<Duration>>,
}

pub async fn run(url: &str, o: Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(if o.burst { o.buyers } else { o.concurrency })
        .timeout(Duration::from_secs(60))
        .build()?;
    let (admin, showtime, seats) = set_up(&client, url, &o).await?;
    let stadium = o.venue == Venue::Stadium;
    let places = if stadium {
        crate::stadium::places()
    } else {
        o.seats
    };
    if !stadium && seats.len() != o.seats {
        bail!(
            "the showtime has {} seats, expected {}",
            seats.len(),
            o.seats
        );
    }
    if o.burst {
        let buyers = sign_up(&client, url, o.buyers, "burst", 10).await?;
        let (sold, _) = crate::burst::run(&client, url, &showtime, &seats, buyers).await?;
        let audit = gql(&client, url, &admin, AUDIT, json!({ "s": showtime })).await?;
        let audit = &audit["data"]["showtimeSeatAudit"];
        println!(
            "database      {} seats sold, {} live tickets, {} confirmed bookings; seats with two tickets {}, in two paid bookings {}",
            audit["seatsSold"],
            audit["liveTickets"],
            audit["confirmedBookings"],
            audit["seatsWithTwoTickets"],
            audit["seatsInTwoBookings"]
        );
        if audit["consistent"] != true || audit["seatsSold"].as_u64() != Some(sold) {
            bail!("invariant broken in the database: {audit} ({sold} sales answered)");
        }
        return Ok(());
    }
    let tokens = sign_up(&client, url, o.concurrency, "buyer", 10).await?;
    let bot_accounts = sign_up(&client, url, o.bots, "bot", 172).await?;
    let deliveries = Arc::new(crate::fanout::Deliveries::default());
    let listeners =
        crate::fanout::subscribe(url, &showtime, o.subscribers, deliveries.clone()).await?;
    let first_token = tokens[0].clone();
    // Each buyer in flight uses an account of its own, handed back when it is done.
    let accounts = Arc::new(Mutex::new(tokens));
    let tally = Arc::new(Tally::default());
    let gate = Arc::new(Semaphore::new(o.concurrency));
    let total_seats = places as u64;
    // With a waiting room the line forms before the on-sale opens, as on opening night.
    let started = if o.waiting_room {
        open_sale_in(&client, url, &admin, &showtime, o.queue_lead_secs).await?
    } else {
        Instant::now()
    };
    let sale = Arc::new(crate::buyer::Sale {
        client: client.clone(),
        url: url.to_owned(),
        showtime: showtime.clone(),
        seats,
        tally: tally.clone(),
        started,
        waiting_room: o.waiting_room,
        places,
        stadium,
    });
    let bot_tally = Arc::new(crate::bot::BotTally::default());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let bot_tasks: Vec<_> = bot_accounts
        .into_iter()
        .enumerate()
        .map(|(b, who)| {
            tokio::spawn(crate::bot::run(
                sale.clone(),
                who,
                b,
                bot_tally.clone(),
                stop.clone(),
                Duration::from_millis(o.bot_pause_ms),
            ))
        })
        .collect();
    let mut tasks = Vec::with_capacity(o.buyers);
    for i in 0..o.buyers {
        let permit = gate.clone().acquire_owned().await?;
        // A stadium's late buyers still come, and find it sold out.
        if !stadium && tally.sold_seats.load(Ordering::Relaxed) >= total_seats {
            break;
        }
        let (sale, accounts) = (sale.clone(), accounts.clone());
        tasks.push(tokio::spawn(async move {
            let Some(token) = accounts.lock().await.pop() else {
                return;
            };
            crate::buyer::buy(&sale, &token, i).await;
            accounts.lock().await.push(token);
            drop(permit);
        }));
    }
    for t in tasks {
        t.await?;
    }
    stop.store(true, Ordering::Relaxed);
    for t in bot_tasks {
        t.await?;
    }
    let wall = started.elapsed();
    let mut holds = std::mem::take(&mut *tally.hold_latency.lock().await);
    let mut pays = std::mem::take(&mut *tally.pay_latency.lock().await);
    holds.sort();
    pays.sort();
    let tickets = tally.tickets.lock().await;
    let twice = tickets.values().filter(|n| **n > 1).count();
    let final_map = gql(&client, url, &first_token, MAP, json!({ "s": showtime })).await?;
    // The truth, from the database: a double sale whose answer was lost or timed out never
    // reaches the buyers' tally, but it is in the ledger.
    let audit = gql(&client, url, &admin, AUDIT, json!({ "s": showtime })).await?;
    let audit = audit["data"]["showtimeSeatAudit"].clone();
    if audit.is_null() {
        bail!("showtimeSeatAudit: {audit}");
    }
    let db = |k: &str| audit[k].as_i64().unwrap_or(-1);
    let sold_on_map = final_map["data"]["showtime"]["seatMap"]["seats"]
        .as_array()
        .map_or(0, |s| s.iter().filter(|x| x["status"] == "SOLD").count());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let secs = wall.as_secs_f64();
    println!(
        "on-sale       {} {}, {} buyers at concurrency {}, waiting room {}",
        places,
        if stadium {
            "places in a stadium (25,000 seats in 10 sections, 25,000 standing in 2)"
        } else {
            "seats"
        },
        o.buyers,
        o.concurrency,
        if o.waiting_room { "on" } else { "off" }
    );
    let mut waits = std::mem::take(&mut *tally.room_waits.lock().await);
    waits.sort();
    if o.waiting_room {
        println!(
            "waiting room  {} admitted; time in line ms p50 {:.1}  p99 {:.1}",
            waits.len(),
            ms(percentile(&waits, 50.0)),
            ms(percentile(&waits, 99.0))
        );
    }
    println!(
        "holds         {} ok, {} refused; {:.0} hold requests/s",
        tally.holds.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed),
        holds.len() as f64 / secs
    );
    println!(
        "confirmed     {} bookings, {} tickets; {:.0} confirmations/s",
        tally.confirmed.load(Ordering::Relaxed),
        tickets.len(),
        tally.confirmed.load(Ordering::Relaxed) as f64 / secs
    );
    println!(
        "holdSeats ms  p50 {:.1}  p99 {:.1}",
        ms(percentile(&holds, 50.0)),
        ms(percentile(&holds, 99.0))
    );
    println!(
        "checkout ms   p50 {:.1}  p99 {:.1}",
        ms(percentile(&pays, 50.0)),
        ms(percentile(&pays, 99.0))
    );
    if stadium {
        let mut places = std::mem::take(&mut *tally.place_hold_latency.lock().await);
        let mut overview = std::mem::take(&mut *tally.overview_latency.lock().await);
        let mut sections = std::mem::take(&mut *tally.section_map_latency.lock().await);
        let lines = [
            ("GA hold ms   ", &mut places),
            ("overview ms  ", &mut overview),
            ("section map  ", &mut sections),
        ];
        for (name, latencies) in lines {
            let (p50, p99) = crate::stadium::p50_p99(latencies);
            println!(
                "{name} p50 {p50:.1}  p99 {p99:.1}  ({} requests)",
                latencies.len()
            );
        }
    }
    match *tally.sold_out_at.lock().await {
        Some(t) => println!("sold out      after {:.2} s", t.as_secs_f64()),
        None => println!(
            "sold out      no ({} of {} seats sold)",
            tally.sold_seats.load(Ordering::Relaxed),
            places
        ),
    }
    println!(
        "sold on map   {sold_on_map}; tickets {}; seats sold twice: {twice}",
        tickets.len()
    );
    println!(
        "database      {} seats sold, {} live tickets, {} confirmed bookings; seats with two tickets {}, in two paid bookings {}; sold without a ticket {}, tickets on unsold seats {}",
        db("seatsSold"),
        db("liveTickets"),
        db("confirmedBookings"),
        db("seatsWithTwoTickets"),
        db("seatsInTwoBookings"),
        db("soldWithoutTicket"),
        db("ticketsOnUnsoldSeats")
    );
    if stadium {
        println!(
            "database      {} of {} places sold; {} standing places, {} sold, {} live tickets for them; sections sold past capacity {}",
            db("seatsSold") + db("placesSold"),
            places,
            db("places"),
            db("placesSold"),
            db("placeTickets"),
            db("sectionsOversold")
        );
    }
    if o.bots > 0 {
        let by_bot = bot_tally.seats.lock().await;
        println!(
            "bots          {} accounts; {} hold requests of 20 holds, {} refused 429, {} holds granted, {} refused LIMIT_REACHED",
            o.bots,
            bot_tally.requests.load(Ordering::Relaxed),
            bot_tally.rate_limited.load(Ordering::Relaxed),
            bot_tally.holds.load(Ordering::Relaxed),
            bot_tally.capped.load(Ordering::Relaxed),
        );
        println!(
            "bot seats     {} bought in all, at most {} by one account",
            by_bot.values().sum::<u64>(),
            by_bot.values().max().copied().unwrap_or(0)
        );
        let codes: Vec<String> = bot_tally
            .codes
            .lock()
            .await
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        println!("bot refusals  {}", codes.join(", "));
    }
    if o.subscribers > 0 {
        // The last pushes are still on their way.
        tokio::time::sleep(Duration::from_secs(2)).await;
        for l in &listeners {
            l.abort();
        }
        let mut delays = std::mem::take(
            &mut *deliveries
                .delays_ms
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        delays.sort_by(f64::total_cmp);
        let at = |p: f64| {
            delays
                .get(
                    ((delays.len() as f64 * p / 100.0) as usize)
                        .min(delays.len().saturating_sub(1)),
                )
                .copied()
                .unwrap_or(f64::NAN)
        };
        println!(
            "subscribers   {}; {} messages delivered; commit to delivery ms p50 {:.1}  p99 {:.1}  max {:.1}",
            o.subscribers,
            delays.len(),
            at(50.0),
            at(99.0),
            delays.last().copied().unwrap_or(f64::NAN)
        );
    }
    if !stadium && (twice > 0 || sold_on_map != tickets.len()) {
        bail!(
            "invariant broken: {twice} seats sold twice, {sold_on_map} sold on the map vs {} tickets",
            tickets.len()
        );
    }
    if audit["consistent"] != true || db("seatsSold") != sold_on_map as i64 {
        bail!("invariant broken in the database: {audit} (seat map: {sold_on_map} sold)");
    }
    Ok(())
}
