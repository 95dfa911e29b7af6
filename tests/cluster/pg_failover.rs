//! Proof 4: the PostgreSQL primary stopped in the middle of a sale: Patroni promotes the
//! synchronous standby, the instances reconnect through the balancer's write port by
//! themselves, every booking confirmed before the failover is still there, and the sale
//! finishes. The old primary then rejoins as the standby.

use std::time::{Duration, Instant};

use crate::client::{admin, showtime};
use crate::fleet::{Fleet, assert_no_double_sale};
use crate::sale::{Sale, assert_confirmed_kept, assert_pending_kept};

async fn is_primary(fleet: &Fleet, node: usize) -> bool {
    let url = format!("{}/primary", fleet.var(&format!("PATRONI_{node}_URL")));
    matches!(fleet.http.get(url).timeout(Duration::from_secs(1)).send().await, Ok(r) if r.status().is_success())
}

/// Writes straight to the balancer's write port every 100 ms: (first, last) refused.
async fn probe_writes(
    fleet: Fleet,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<(Instant, Instant)> {
    let psql = format!("{}/psql", fleet.var("PG_BIN"));
    let url = format!("{}?connect_timeout=1", fleet.var("DATABASE_URL"));
    let mut refused: Option<(Instant, Instant)> = None;
    while !*stop.borrow() {
        let at = Instant::now();
        let ok = tokio::process::Command::new(&psql)
            .args([&url, "-XAtqc", "SELECT txid_current()"])
            .output()
            .await
            .is_ok_and(|o| o.status.success());
        if !ok {
            refused = Some((refused.map_or(at, |r| r.0), at));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    refused
}

#[tokio::test]
async fn the_standby_takes_over_and_the_sale_finishes_with_every_confirmed_booking() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, seats) = showtime(&fleet, &admin, 100, false).await;
    let nodes: usize = fleet.var("PG_NODES").parse().unwrap();
    let mut leader = None;
    for n in 1..=nodes {
        if is_primary(&fleet, n).await {
            leader = Some(n);
        }
    }
    let leader = leader.expect("a Patroni leader");
    let standby = leader % nodes + 1;

    let (stop_probe, probe_stopped) = tokio::sync::watch::channel(false);
    let probe = tokio::spawn(probe_writes(fleet.clone(), probe_stopped));
    let sale = Sale::start(
        &fleet,
        &fleet.balancer(),
        &st,
        &seats,
        6,
        Duration::from_millis(100),
        Duration::from_secs(150),
    )
    .await;
    sale.wait_sold(30).await;

    let stopped = Instant::now();
    let f = fleet.clone();
    let stopping = tokio::task::spawn_blocking(move || f.script(&["stop-pg", &leader.to_string()]));
    while !is_primary(&fleet, standby).await {
        assert!(
            stopped.elapsed() < Duration::from_secs(60),
            "the standby was never promoted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let promoted = stopped.elapsed();
    stopping.await.unwrap();

    let out = sale.finish().await;
    stop_probe.send(true).unwrap();
    let probe = probe.await.unwrap();
    let db = fleet.db().await;
    println!(
        "PostgreSQL node {leader} stopped; node {standby} promoted after {:.1} s",
        promoted.as_secs_f64()
    );
    match probe {
        Some((a, b)) => println!(
            "writes to the write port refused for {:.1} s (first to last refused probe)",
            (b - a).as_secs_f64()
        ),
        None => println!("no write to the write port was refused"),
    }
    println!(
        "sale: {} bookings confirmed, {} awaiting reconciliation, in {:.1} s; {} refused requests over {:.1} s (first to last): {:?}",
        out.confirmed.len(),
        out.pending.len(),
        (out.finished - out.started).as_secs_f64(),
        out.failures.len(),
        out.refused_secs(),
        out.failures.iter().map(|f| &f.1).collect::<Vec<_>>()
    );
    assert!(
        out.unsold.is_empty(),
        "the sale did not finish: {} seats unsold",
        out.unsold.len()
    );
    assert_confirmed_kept(&fleet, &out.confirmed).await;
    assert_pending_kept(&fleet, &out.pending).await;
    assert_no_double_sale(&db).await;

    // The old primary rejoins as the synchronous standby (pg_rewind as needed).
    fleet.script(&["start-pg", &leader.to_string()]);
    let rejoin = Instant::now();
    loop {
        let sync = crate::fleet::count(
            &db,
            "SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming'",
        )
        .await;
        if sync == 1 {
            break;
        }
        assert!(
            rejoin.elapsed() < Duration::from_secs(60),
            "the old primary never became the synchronous standby"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    fleet.wait_healthy(Duration::from_secs(30)).await;
}
