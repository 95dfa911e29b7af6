//! A sale that runs in the background while a drill breaks part of the fleet: buyers in
//! flight each hold two seats of their own (so that the only contest is with the fault)
//! and pay, retrying what was refused (a hold with its idempotency key, a checkout of the
//! same booking), and keep, as the API answered it, every booking confirmed to them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{BOOKING, CHECKOUT, HOLD, Who, buyers, error_code, gql};
use crate::fleet::Fleet;

/// Bookings an account makes at most (per-account caps and rate limits stay far off).
const BOOKINGS_PER_ACCOUNT: usize = 2;

pub struct Sale {
    /// Seats whose booking the API answered CONFIRMED.
    pub sold: Arc<AtomicUsize>,
    shared: Arc<Shared>,
    workers: Vec<tokio::task::JoinHandle<()>>,
    started: Instant,
}

struct Shared {
    fleet: Fleet,
    url: String,
    showtime: String,
    pairs: Mutex<Vec<Vec<String>>>,
    /// One entry per booking an account may still make.
    accounts: Mutex<Vec<Who>>,
    confirmed: Mutex<Vec<String>>,
    pending: Mutex<Vec<String>>,
    failures: Mutex<Vec<(Instant, String)>>,
    unsold: Mutex<Vec<String>>,
    deadline: Instant,
}

/// What the buyers saw.
pub struct Outcome {
    /// Bookings the API answered CONFIRMED.
    pub confirmed: Vec<String>,
    /// Bookings still PAYMENT_PENDING when their buyer stopped waiting: the answer of
    /// their charge was lost, and only reconciliation can settle them.
    pub pending: Vec<String>,
    /// Refused writes (transport errors, 5xx, GraphQL errors), in time order.
    pub failures: Vec<(Instant, String)>,
    /// Seats no buyer managed to buy before the deadline.
    pub unsold: Vec<String>,
    pub started: Instant,
    pub finished: Instant,
}

impl Outcome {
    /// Seconds from the first refused write to the last one (0 without any).
    pub fn refused_secs(&self) -> f64 {
        match (self.failures.first(), self.failures.last()) {
            (Some(a), Some(b)) => (b.0 - a.0).as_secs_f64(),
            _ => 0.0,
        }
    }
}

impl Sale {
    /// Starts selling `seats` (an even number of them) of `showtime` through `url` with
    /// `in_flight` buyers at once, each pausing `pause` between bookings.
    pub async fn start(
        fleet: &Fleet,
        url: &str,
        showtime: &str,
        seats: &[String],
        in_flight: usize,
        pause: Duration,
        deadline: Duration,
    ) -> Sale {
        let pairs: Vec<Vec<String>> = seats.chunks(2).map(<[String]>::to_vec).collect();
        let accounts = buyers(fleet, pairs.len().div_ceil(BOOKINGS_PER_ACCOUNT)).await;
        let accounts = accounts
            .iter()
            .flat_map(|a| std::iter::repeat_n(a.clone(), BOOKINGS_PER_ACCOUNT))
            .collect();
        let shared = Arc::new(Shared {
            fleet: fleet.clone(),
            url: url.to_owned(),
            showtime: showtime.to_owned(),
            pairs: Mutex::new(pairs),
            accounts: Mutex::new(accounts),
            confirmed: Mutex::new(Vec::new()),
            pending: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
            unsold: Mutex::new(Vec::new()),
            deadline: Instant::now() + deadline,
        });
        let sold = Arc::new(AtomicUsize::new(0));
        let workers = (0..in_flight)
            .map(|_| {
                let (shared, sold) = (shared.clone(), sold.clone());
                tokio::spawn(async move { worker(shared, sold, pause).await })
            })
            .collect();
        Sale {
            sold,
            shared,
            workers,
            started: Instant::now(),
        }
    }

    /// Waits until at least `seats` seats are confirmed.
    pub async fn wait_sold(&self, seats: usize) {
        while self.sold.load(Ordering::Relaxed) < seats {
            assert!(Instant::now() < self.shared.deadline, "the sale stalled");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for every buyer to finish.
    pub async fn finish(self) -> Outcome {
        for w in self.workers {
            w.await.unwrap();
        }
        let mut failures = take(&self.shared.failures);
        failures.sort_by_key(|f| f.0);
        Outcome {
            confirmed: take(&self.shared.confirmed),
            pending: take(&self.shared.pending),
            failures,
            unsold: take(&self.shared.unsold),
            started: self.started,
            finished: Instant::now(),
        }
    }
}

fn take<T>(m: &Mutex<Vec<T>>) -> Vec<T> {
    std::mem::take(&mut *m.lock().unwrap())
}

async fn worker(shared: Arc<Shared>, sold: Arc<AtomicUsize>, pause: Duration) {
    loop {
        let Some(pair) = shared.pairs.lock().unwrap().pop() else {
            return;
        };
        let who = shared
            .accounts
            .lock()
            .unwrap()
            .pop()
            .expect("an account per two bookings");
        match book(&shared, &who, &pair).await {
            Booked::Confirmed => {
                sold.fetch_add(pair.len(), Ordering::Relaxed);
            }
            Booked::Pending => {}
            Booked::Not => shared.unsold.lock().unwrap().extend(pair),
        }
        tokio::time::sleep(pause).await;
    }
}

impl Shared {
    fn refused(&self, what: String) {
        self.failures.lock().unwrap().push((Instant::now(), what));
    }

    fn in_time(&self) -> bool {
        Instant::now() < self.deadline
    }
}

/// Retry pauses grow to a second: a long outage costs few requests (rate limits).
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100 * 2u64.pow(attempt.min(3)).min(10))
}

enum Booked {
    Confirmed,
    /// Paid, the answer lost: reconciliation's to settle.
    Pending,
    Not,
}

/// Holds and pays for `pair`.
async fn book(s: &Shared, who: &Who, pair: &[String]) -> Booked {
    let key = uuid::Uuid::new_v4().to_string();
    let mut attempt = 0;
    let booking = loop {
        if !s.in_time() {
            return Booked::Not;
        }
        let vars = json!({ "s": s.showtime, "seats": pair, "k": key });
        match gql(&s.fleet, &s.url, who, HOLD, vars).await {
            Ok(body) if body["data"]["holdSeats"]["id"].is_string() => {
                break body["data"]["holdSeats"]["id"].as_str().unwrap().to_owned();
            }
            Ok(body) => s.refused(format!(
                "hold: {}",
                error_code(&body).unwrap_or_else(|| body.to_string())
            )),
            Err(e) => s.refused(format!("hold: {e}")),
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    };
    attempt = 0;
    loop {
        if !s.in_time() {
            return Booked::Not;
        }
        match gql(&s.fleet, &s.url, who, CHECKOUT, json!({ "b": booking })).await {
            Ok(body) => match body["data"]["checkout"]["status"].as_str() {
                Some("CONFIRMED") => break,
                Some("PAYMENT_PENDING") => return settled(s, who, &booking).await,
                Some(other) => {
                    s.refused(format!("checkout: booking {other}"));
                    return Booked::Not;
                }
                None => s.refused(format!(
                    "checkout: {}",
                    error_code(&body).unwrap_or_else(|| body.to_string())
                )),
            },
            Err(e) => s.refused(format!("checkout: {e}")),
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    }
    s.confirmed.lock().unwrap().push(booking);
    Booked::Confirmed
}

/// How long a buyer waits for reconciliation to settle a payment whose answer was lost.
const SETTLE_WAIT: Duration = Duration::from_secs(30);

/// A payment whose answer was lost is settled by reconciliation: waits for it a while.
async fn settled(s: &Shared, who: &Who, booking: &str) -> Booked {
    let since = Instant::now();
    while s.in_time() && since.elapsed() < SETTLE_WAIT {
        if let Ok(body) = gql(&s.fleet, &s.url, who, BOOKING, json!({ "b": booking })).await {
            match body["data"]["booking"]["status"].as_str() {
                Some("CONFIRMED") => {
                    s.confirmed.lock().unwrap().push(booking.to_owned());
                    return Booked::Confirmed;
                }
                Some("PAYMENT_PENDING") | None => {}
                Some(_) => return Booked::Not,
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    s.pending.lock().unwrap().push(booking.to_owned());
    Booked::Pending
}

/// Every booking the API confirmed is confirmed in the database.
pub async fn assert_confirmed_kept(fleet: &Fleet, confirmed: &[String]) {
    let db = fleet.db().await;
    if confirmed.is_empty() {
        return;
    }
    let ids = confirmed
        .iter()
        .map(|b| format!("'{b}'"))
        .collect::<Vec<_>>()
        .join(",");
    let kept = crate::fleet::count(
        &db,
        &format!("SELECT id FROM bookings WHERE id::text IN ({ids}) AND status = 'confirmed'"),
    )
    .await;
    assert_eq!(kept as usize, confirmed.len(), "confirmed bookings lost");
}

/// Bookings whose payment answer was lost are in the database as paid-for or still
/// awaiting reconciliation, never gone.
pub async fn assert_pending_kept(fleet: &Fleet, pending: &[String]) {
    if pending.is_empty() {
        return;
    }
    let db = fleet.db().await;
    let ids = pending
        .iter()
        .map(|b| format!("'{b}'"))
        .collect::<Vec<_>>()
        .join(",");
    let kept = crate::fleet::count(
        &db,
        &format!("SELECT id FROM bookings WHERE id::text IN ({ids}) AND status IN ('payment_pending', 'confirmed')"),
    )
    .await;
    assert_eq!(
        kept as usize,
        pending.len(),
        "bookings awaiting their payment's answer lost"
    );
}
