//! One buyer of the on-sale: through the waiting room if there is one, then up to three
//! holds (looking at the seat map again after each refusal) and a checkout.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::json;

use crate::Rng;
use crate::onsale::{MAP, Tally, Who, gql};

const HOLD: &str =
    "mutation H($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
pub(crate) const PAY: &str = "mutation P($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status tickets { seatId } } }";

/// What every buyer of one on-sale shares.
pub(crate) struct Sale {
    pub(crate) client: reqwest::Client,
    pub(crate) url: String,
    pub(crate) showtime: String,
    pub(crate) seats: Vec<String>,
    pub(crate) tally: Arc<Tally>,
    /// When the sale opened.
    pub(crate) started: Instant,
    pub(crate) waiting_room: bool,
    /// Places of the venue (seats and standing places).
    pub(crate) places: usize,
    /// A stadium of sections (see `stadium.rs`) rather than one cinema screen.
    pub(crate) stadium: bool,
}

/// One buyer's journey; `i` seeds its choices.
pub(crate) async fn buy(sale: &Sale, who: &Who, i: usize) {
    let (client, url, showtime) = (&sale.client, sale.url.as_str(), sale.showtime.as_str());
    if sale.waiting_room {
        match crate::room::wait_for_admission(client, url, who, showtime).await {
            Ok(waited) => sale.tally.room_waits.lock().await.push(waited),
            Err(_) => return,
        }
    }
    let held = if sale.stadium {
        crate::stadium::attempt(sale, who, i).await
    } else {
        attempt(sale, who, i).await
    };
    if sale.waiting_room && !held {
        crate::room::leave(client, url, who, showtime).await;
    }
}

/// Holds and pays; whether a hold succeeded.
async fn attempt(sale: &Sale, who: &Who, i: usize) -> bool {
    let Sale {
        client,
        url,
        showtime,
        seats,
        tally,
        started,
        ..
    } = sale;
    let total_seats = seats.len() as u64;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
    let want = 1 + rng.below(4);
    let mut choice: Vec<String> = (0..want)
        .map(|_| seats[rng.below(seats.len())].clone())
        .collect();
    choice.sort();
    choice.dedup();
    for _attempt in 0..3 {
        let t = Instant::now();
        let Ok(body) = gql(
            client,
            url,
            who,
            HOLD,
            json!({ "s": showtime, "seats": choice }),
        )
        .await
        else {
            break;
        };
        tally.hold_latency.lock().await.push(t.elapsed());
        if let Some(id) = body["data"]["holdSeats"]["id"].as_str() {
            tally.holds.fetch_add(1, Ordering::Relaxed);
            let t = Instant::now();
            let Ok(paid) = gql(client, url, who, PAY, json!({ "b": id })).await else {
                return true;
            };
            tally.pay_latency.lock().await.push(t.elapsed());
            if paid["data"]["checkout"]["status"] == "CONFIRMED" {
                tally.confirmed.fetch_add(1, Ordering::Relaxed);
                let mut tickets = tally.tickets.lock().await;
                for seat in paid["data"]["checkout"]["tickets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    *tickets
                        .entry(seat["seatId"].as_str().unwrap_or_default().to_owned())
                        .or_default() += 1;
                }
                let sold = tally
                    .sold_seats
                    .fetch_add(choice.len() as u64, Ordering::Relaxed)
                    + choice.len() as u64;
                if sold >= total_seats {
                    tally
                        .sold_out_at
                        .lock()
                        .await
                        .get_or_insert(started.elapsed());
                }
            }
            return true;
        }
        tally.refused.fetch_add(1, Ordering::Relaxed);
        // Refused: look at the map again and pick among what is left.
        let Ok(map) = gql(client, url, who, MAP, json!({ "s": showtime })).await else {
            break;
        };
        let free: Vec<String> = map["data"]["showtime"]["seatMap"]["seats"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["status"] == "AVAILABLE")
            .filter_map(|s| s["id"].as_str().map(str::to_owned))
            .collect();
        if free.is_empty() {
            break;
        }
        let start = rng.below(free.len());
        choice = (0..want.min(free.len()))
            .map(|k| free[(start + k) % free.len()].clone())
            .collect();
    }
    false
}
