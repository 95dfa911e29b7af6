//! Catalog lists are read from the synchronous standby through the balancer's read port
//! (within the staleness bound), and still show a theatre added a moment ago.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{Who, admin, next_addr, ok};
use crate::fleet::Fleet;

/// Theatre lists instance `n` has served from the standby so far.
async fn replica_reads(fleet: &Fleet, n: usize) -> f64 {
    let text = fleet
        .http
        .get(format!("{}/metrics", fleet.instance(n)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with("marquee_db_stale_reads_total{pool=\"replica\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0.0, |v| v.parse().unwrap())
}

#[tokio::test]
async fn theatre_lists_come_from_the_standby_and_show_a_new_theatre_within_a_second() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let city = format!(
        "Standbyville{}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let before: Vec<f64> =
        futures_util::future::join_all((1..=fleet.instances()).map(|n| replica_reads(&fleet, n)))
            .await;
    let added = Instant::now();
    ok(&fleet, &fleet.instance(1), &admin, "mutation($c: String!) { createTheatre(input: { name: \"Replica Hall\", address: \"2 Drill St\", city: $c, state: \"CA\", zip: \"90002\", latitude: 34.1, longitude: -118.1, timezone: \"America/Los_Angeles\" }) { id } }", json!({ "c": city })).await;
    for n in 1..=fleet.instances() {
        let who = Who {
            token: None,
            addr: next_addr(),
        };
        loop {
            let data = ok(
                &fleet,
                &fleet.instance(n),
                &who,
                "query($c: String!) { theatres(city: $c) { name } }",
                json!({ "c": city }),
            )
            .await;
            if !data["theatres"].as_array().unwrap().is_empty() {
                println!(
                    "instance {n} lists the new theatre after {} ms",
                    added.elapsed().as_millis()
                );
                break;
            }
            assert!(
                added.elapsed() < Duration::from_secs(1),
                "instance {n} did not list the theatre within a second"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let after: Vec<f64> =
        futures_util::future::join_all((1..=fleet.instances()).map(|n| replica_reads(&fleet, n)))
            .await;
    println!("theatre lists served from the standby, per instance: {before:?} -> {after:?}");
    assert!(
        after.iter().zip(&before).all(|(a, b)| a > b),
        "every instance reads the lists from the standby: {before:?} -> {after:?}"
    );
}
