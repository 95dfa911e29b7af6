//! Proof 3: an instance killed (-9) in the middle of a sale: the balancer routes around
//! it, no confirmed booking is lost, and its seat-map subscribers reconnect through the
//! balancer to another instance and start again from a fresh whole map.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::client::{Who, admin, next_addr, next_json, showtime, subscribe_seat_map, ws};
use crate::fleet::{Fleet, assert_no_double_sale, kill9, rows};
use crate::sale::{Sale, assert_confirmed_kept, assert_pending_kept};

const VICTIM: usize = 3;
const SUBSCRIBERS: usize = 5;

#[tokio::test]
async fn a_killed_instance_is_routed_around_and_its_subscribers_resume_elsewhere() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, seats) = showtime(&fleet, &admin, 100, false).await;

    // Subscribers of the instance about to die; when their connection drops, each
    // connects again through the balancer, as an app does.
    let mut subscribers = Vec::new();
    for _ in 0..SUBSCRIBERS {
        let (fleet, st) = (fleet.clone(), st.clone());
        let who = Who {
            token: None,
            addr: next_addr(),
        };
        let mut socket = ws(&fleet.instance(VICTIM), &who).await.unwrap();
        subscribe_seat_map(&mut socket, &st).await.unwrap();
        subscribers.push(tokio::spawn(async move {
            while next_json(&mut socket, Duration::from_secs(60))
                .await
                .is_some()
            {}
            let dropped = Instant::now();
            loop {
                if let Ok(mut again) = ws(&fleet.balancer(), &who).await
                    && let Ok(map) = subscribe_seat_map(&mut again, &st).await
                {
                    return (dropped.elapsed(), map);
                }
                assert!(
                    dropped.elapsed() < Duration::from_secs(15),
                    "no reconnection"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }));
    }

    let sale = Sale::start(
        &fleet,
        &fleet.balancer(),
        &st,
        &seats,
        6,
        Duration::from_millis(150),
        Duration::from_secs(120),
    )
    .await;
    sale.wait_sold(30).await;
    // Seats sold before the kill (sold stays sold) must all show as sold in the fresh maps.
    let db = fleet.db().await;
    let sold_before: HashSet<String> = rows(
        &db,
        &format!(
            "SELECT seat_id::text FROM show_seats WHERE showtime_id = '{st}' AND status = 'sold'"
        ),
    )
    .await
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    let pid = fleet.instance_pid(VICTIM);
    kill9(pid);
    let killed = Instant::now();
    println!(
        "killed instance {VICTIM} (pid {pid}) with {} seats sold",
        sold_before.len()
    );
    for s in subscribers {
        let (after, map) = s.await.unwrap();
        println!(
            "a subscriber of instance {VICTIM} had a fresh map {} ms after its connection dropped",
            after.as_millis()
        );
        assert_eq!(map.len(), seats.len(), "a whole map");
        for seat in &sold_before {
            assert_eq!(
                map[seat], "SOLD",
                "the fresh map lacks a sale made before the kill"
            );
        }
    }

    // The balancer answers without the dead instance.
    for _ in 0..20 {
        let r = fleet
            .http
            .get(format!("{}/readyz", fleet.balancer()))
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "the balancer sent a request to the dead instance"
        );
    }
    let out = sale.finish().await;
    let late: Vec<_> = out
        .failures
        .iter()
        .filter(|f| f.0 > killed + Duration::from_secs(3))
        .collect();
    println!(
        "sale: {} bookings confirmed, {} awaiting reconciliation, in {:.1} s, {} refused requests ({} more than 3 s after the kill): {:?}",
        out.confirmed.len(),
        out.pending.len(),
        (out.finished - out.started).as_secs_f64(),
        out.failures.len(),
        late.len(),
        out.failures.iter().map(|f| &f.1).collect::<Vec<_>>()
    );
    assert!(
        late.is_empty(),
        "requests still refused after the balancer should have routed around: {late:?}"
    );
    assert!(
        out.unsold.is_empty(),
        "seats left unsold: {}",
        out.unsold.len()
    );
    assert_confirmed_kept(&fleet, &out.confirmed).await;
    assert_pending_kept(&fleet, &out.pending).await;
    assert_no_double_sale(&db).await;

    fleet.script(&["start-instance", &VICTIM.to_string()]);
    fleet.wait_healthy(Duration::from_secs(30)).await;
}
