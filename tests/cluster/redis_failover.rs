//! Proof 5: the Redis primary killed in the middle of a sale: Sentinel promotes the
//! replica, the balancer's Redis port follows it, holds, the bus and the waiting room
//! resume, and the database decides every seat throughout (no double sale at any moment).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{
    HOLD, Who, admin, buyers, next_addr, next_json, ok, showtime, subscribe_seat_map, ws,
};
use crate::fleet::{Fleet, SOLD_TWICE, TWO_TICKETS, assert_no_double_sale, kill9, rows};
use crate::sale::{Sale, assert_confirmed_kept, assert_pending_kept};

async fn redis(
    fleet: &Fleet,
    port_key: &str,
    cmd: &mut redis::Cmd,
) -> redis::RedisResult<redis::Value> {
    let client = redis::Client::open(format!("redis://127.0.0.1:{}/", fleet.var(port_key)))?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    cmd.query_async(&mut conn).await
}

/// The Redis primary's port, as the first Sentinel names it.
async fn sentinel_primary(fleet: &Fleet) -> String {
    let answer = redis(
        fleet,
        "SENTINEL_1_PORT",
        redis::cmd("SENTINEL")
            .arg("get-master-addr-by-name")
            .arg("marquee"),
    )
    .await
    .unwrap();
    let redis::Value::Array(parts) = answer else {
        panic!("{answer:?}")
    };
    match &parts[1] {
        redis::Value::BulkString(p) => String::from_utf8(p.clone()).unwrap(),
        other => panic!("{other:?}"),
    }
}

/// A hold made through instance 1 reaches a subscriber of instance 2: how long it took.
async fn bus_delay(fleet: &Fleet, buyer: &Who, st: &str, seat: &str) -> Duration {
    let watcher = Who {
        token: None,
        addr: next_addr(),
    };
    let mut socket = ws(&fleet.instance(2), &watcher).await.unwrap();
    subscribe_seat_map(&mut socket, st).await.unwrap();
    let asked = Instant::now();
    ok(
        fleet,
        &fleet.instance(1),
        buyer,
        HOLD,
        json!({ "s": st, "seats": [seat], "k": null }),
    )
    .await;
    // From the hold's commit: the first request after a failover may first wait for its
    // own Redis connection, which is the front line's delay, not the bus's.
    let sent = Instant::now();
    println!(
        "the first hold after the failover answered in {} ms",
        asked.elapsed().as_millis()
    );
    loop {
        let msg = next_json(&mut socket, Duration::from_secs(10))
            .await
            .expect("the hold never reached the other instance");
        let changes = msg["payload"]["data"]["seatMapUpdates"]["changes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if changes.iter().any(|c| c["seatId"] == seat) {
            return sent.elapsed();
        }
    }
}

#[tokio::test]
async fn sentinel_promotes_the_replica_and_holds_the_bus_and_the_waiting_room_resume() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, seats) = showtime(&fleet, &admin, 100, false).await;
    let (other, other_seats) = showtime(&fleet, &admin, 20, false).await;
    let (room, _) = showtime(&fleet, &admin, 20, true).await;
    let buyer = buyers(&fleet, 2).await;

    // The database's verdict, read again and again while Redis fails.
    let done = Arc::new(AtomicBool::new(false));
    let watch = {
        let (db, done) = (fleet.db().await, done.clone());
        tokio::spawn(async move {
            let mut checks = 0;
            while !done.load(Ordering::Relaxed) {
                assert!(rows(&db, SOLD_TWICE).await.is_empty(), "a seat sold twice");
                assert!(
                    rows(&db, TWO_TICKETS).await.is_empty(),
                    "a seat with two tickets"
                );
                checks += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            checks
        })
    };

    let primary = sentinel_primary(&fleet).await;
    let node = (1..=2)
        .find(|n| fleet.var(&format!("REDIS_{n}_PORT")) == primary)
        .expect("the primary is a node of the fleet");
    let sale = Sale::start(
        &fleet,
        &fleet.balancer(),
        &st,
        &seats,
        6,
        Duration::from_millis(100),
        Duration::from_secs(120),
    )
    .await;
    sale.wait_sold(30).await;

    let pid: i32 =
        std::fs::read_to_string(format!("{}/pids/redis{node}.pid", fleet.var("CLUSTER_DIR")))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
    kill9(pid);
    let killed = Instant::now();
    while sentinel_primary(&fleet).await == primary {
        assert!(
            killed.elapsed() < Duration::from_secs(30),
            "Sentinel never promoted the replica"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let promoted = killed.elapsed();
    // The balancer's Redis port reaches the new primary.
    loop {
        let role = redis(&fleet, "REDIS_WRITE_PORT", &mut redis::cmd("ROLE")).await;
        if matches!(&role, Ok(redis::Value::Array(r)) if matches!(&r[0], redis::Value::BulkString(s) if s == b"master"))
        {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(30),
            "the balancer's Redis port never reached the new primary"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let routed = killed.elapsed();

    let out = sale.finish().await;
    // After the failover: the bus carries a hold from one instance to another, and the
    // waiting room takes buyers in line.
    let delay = bus_delay(&fleet, &buyer[0], &other, &other_seats[0]).await;
    let place = ok(
        &fleet,
        &fleet.balancer(),
        &buyer[1],
        "mutation($s: ID!) { enterWaitingRoom(showtimeId: $s) { status } }",
        json!({ "s": room }),
    )
    .await;
    done.store(true, Ordering::Relaxed);
    let checks = watch.await.unwrap();

    println!(
        "Redis primary (node {node}) killed: Sentinel promoted the replica after {:.1} s, the balancer followed after {:.1} s",
        promoted.as_secs_f64(),
        routed.as_secs_f64()
    );
    println!(
        "sale: {} bookings confirmed, {} awaiting reconciliation, in {:.1} s; {} refused requests over {:.1} s: {:?}",
        out.confirmed.len(),
        out.pending.len(),
        (out.finished - out.started).as_secs_f64(),
        out.failures.len(),
        out.refused_secs(),
        out.failures.iter().map(|f| &f.1).collect::<Vec<_>>()
    );
    println!(
        "after the failover a hold crossed instances in {} ms; waiting room: {}; {checks} database checks, no double sale",
        delay.as_millis(),
        place["enterWaitingRoom"]["status"]
    );
    assert!(
        delay < Duration::from_secs(1),
        "the bus is slow after the failover: {delay:?}"
    );
    assert!(
        out.unsold.is_empty(),
        "the sale did not finish: {} seats unsold",
        out.unsold.len()
    );
    assert_confirmed_kept(&fleet, &out.confirmed).await;
    assert_pending_kept(&fleet, &out.pending).await;
    assert_no_double_sale(&fleet.db().await).await;

    fleet.script(&["start-redis", &node.to_string()]);
    fleet.wait_healthy(Duration::from_secs(30)).await;
}
