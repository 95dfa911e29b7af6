//! The stadium on-sale (`onsale --venue stadium`): a venue of ten reserved sections of 2,500
//! seats and two standing areas of 20,000 and 5,000 places, 50,000 places in all. A buyer,
//! once admitted, reads the venue overview (each section's availability), picks a section
//! with room for its party, and either holds that many standing places, or reads that
//! section's seats and holds some of them; it pays, or reads the overview again after a
//! refusal. Every buyer comes, even after the last place is sold: a sold-out show is still
//! asked for.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Rng;
use crate::buyer::{PAY, Sale};
use crate::onsale::{Who, gql};

/// Reserved sections, and each one's rows of seats.
const RESERVED_SECTIONS: usize = 10;
const ROWS: usize = 50;
const ROW_SEATS: usize = 50;
/// The standing areas: name and capacity.
const STANDING: [(&str, i64); 2] = [("Field", 20_000), ("Pit", 5_000)];

/// Places in the whole venue.
pub(crate) fn places() -> usize {
    RESERVED_SECTIONS * ROWS * ROW_SEATS + STANDING.iter().map(|(_, c)| *c as usize).sum::<usize>()
}

/// The venue's layout (`ScreenLayoutInput`), placed on the overview as a bowl around the
/// field.
pub(crate) fn layout() -> Value {
    let rows: Vec<Value> = (0..ROWS)
        .map(|r| json!({ "label": format!("R{r}"), "seats": "S".repeat(ROW_SEATS) }))
        .collect();
    let mut sections: Vec<Value> = (0..RESERVED_SECTIONS)
        .map(|s| {
            json!({
                "name": format!("{}", 101 + s),
                "rows": rows,
                "map": { "x": (s % 5) * 4, "y": if s < 5 { 0 } else { 12 }, "width": 4, "height": 3 }
            })
        })
        .collect();
    for (i, (name, capacity)) in STANDING.iter().enumerate() {
        sections.push(json!({
            "name": name, "kind": "GENERAL", "capacity": capacity, "category": "STANDARD",
            "map": { "x": 2 + i * 10, "y": 4, "width": 8, "height": 7 }
        }));
    }
    json!({ "sections": sections })
}

const OVERVIEW: &str = "query O($s: ID!) { showtime(id: $s) { sections { id kind available } } }";
const SECTION_MAP: &str = "query S($s: ID!, $sec: ID!) { showtime(id: $s) { seatMap(sectionId: $sec) { seats { id status } } } }";
const HOLD_SEATS: &str =
    "mutation H($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const HOLD_PLACES: &str = "mutation G($s: ID!, $sec: ID!, $q: Int!) { holdGeneralAdmission(showtimeId: $s, sectionId: $sec, quantity: $q) { id } }";

/// A stadium buyer's tries at a hold after admission; whether one succeeded.
pub(crate) async fn attempt(sale: &Sale, who: &Who, i: usize) -> bool {
    let (client, url, showtime, tally) = (&sale.client, &sale.url, &sale.showtime, &sale.tally);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
    let want = 1 + rng.below(4);
    for _attempt in 0..3 {
        let t = Instant::now();
        let Ok(overview) = gql(client, url, who, OVERVIEW, json!({ "s": showtime })).await else {
            return false;
        };
        tally.overview_latency.lock().await.push(t.elapsed());
        let open: Vec<&Value> = overview["data"]["showtime"]["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["available"].as_u64().unwrap_or(0) >= want as u64)
            .collect();
        // A section in proportion to what it has left, as buyers go where the places are.
        let room: u64 = open
            .iter()
            .map(|s| s["available"].as_u64().unwrap_or(0))
            .sum();
        if room == 0 {
            return false;
        }
        let mut pick = rng.below(room as usize) as u64;
        let Some(section) = open.iter().find(|s| {
            let n = s["available"].as_u64().unwrap_or(0);
            if pick < n {
                return true;
            }
            pick -= n;
            false
        }) else {
            return false;
        };
        let section_id = section["id"].as_str().unwrap_or_default();
        let held = if section["kind"] == "GENERAL" {
            let t = Instant::now();
            let body = gql(
                client,
                url,
                who,
                HOLD_PLACES,
                json!({ "s": showtime, "sec": section_id, "q": want }),
            )
            .await;
            tally.place_hold_latency.lock().await.push(t.elapsed());
            body.ok().and_then(|b| {
                b["data"]["holdGeneralAdmission"]["id"]
                    .as_str()
                    .map(str::to_owned)
            })
        } else {
            let t = Instant::now();
            let Ok(map) = gql(
                client,
                url,
                who,
                SECTION_MAP,
                json!({ "s": showtime, "sec": section_id }),
            )
            .await
            else {
                return false;
            };
            tally.section_map_latency.lock().await.push(t.elapsed());
            let free: Vec<&str> = map["data"]["showtime"]["seatMap"]["seats"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| s["status"] == "AVAILABLE")
                .filter_map(|s| s["id"].as_str())
                .collect();
            if free.len() < want {
                tally.refused.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let start = rng.below(free.len() - want + 1);
            let choice = &free[start..start + want];
            let t = Instant::now();
            let body = gql(
                client,
                url,
                who,
                HOLD_SEATS,
                json!({ "s": showtime, "seats": choice }),
            )
            .await;
            tally.hold_latency.lock().await.push(t.elapsed());
            body.ok()
                .and_then(|b| b["data"]["holdSeats"]["id"].as_str().map(str::to_owned))
        };
        let Some(booking) = held else {
            tally.refused.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        tally.holds.fetch_add(1, Ordering::Relaxed);
        pay(sale, who, &booking, want).await;
        return true;
    }
    false
}

/// Pays a hold of `places` places and counts the sale.
async fn pay(sale: &Sale, who: &Who, booking: &str, places: usize) {
    let tally = &sale.tally;
    let t = Instant::now();
    let Ok(paid) = gql(&sale.client, &sale.url, who, PAY, json!({ "b": booking })).await else {
        return;
    };
    tally.pay_latency.lock().await.push(t.elapsed());
    if paid["data"]["checkout"]["status"] != "CONFIRMED" {
        return;
    }
    tally.confirmed.fetch_add(1, Ordering::Relaxed);
    let sold = tally.sold_seats.fetch_add(places as u64, Ordering::Relaxed) + places as u64;
    if sold >= sale.places as u64 {
        tally
            .sold_out_at
            .lock()
            .await
            .get_or_insert(sale.started.elapsed());
    }
}

/// p50 and p99 of a list of latencies, in ms, sorting it.
pub(crate) fn p50_p99(latencies: &mut [Duration]) -> (f64, f64) {
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(crate::percentile(latencies, 50.0)),
        ms(crate::percentile(latencies, 99.0)),
    )
}
