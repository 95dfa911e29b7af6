//! Proof 6: Prometheus scrapes every instance, and the instance-down alert of
//! deploy/prometheus/marquee.rules.yml fires when one is killed.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fleet::{Fleet, kill9};

async fn api(fleet: &Fleet, path: &str) -> Value {
    let url = format!("{}/api/v1/{path}", fleet.var("PROMETHEUS_URL"));
    fleet
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Instances whose target is up.
async fn up_targets(fleet: &Fleet) -> Vec<String> {
    let targets = api(fleet, "targets?state=active").await;
    targets["data"]["activeTargets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["labels"]["job"] == "marquee" && t["health"] == "up")
        .map(|t| t["labels"]["instance"].as_str().unwrap().to_owned())
        .collect()
}

/// The state of MarqueeInstanceDown for `target`, if it is pending or firing.
async fn alert_state(fleet: &Fleet, target: &str) -> Option<String> {
    let alerts = api(fleet, "alerts").await;
    alerts["data"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["labels"]["alertname"] == "MarqueeInstanceDown" && a["labels"]["instance"] == target
        })
        .map(|a| a["state"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn every_instance_is_scraped_and_a_killed_one_fires_the_instance_down_alert() {
    let fleet = Fleet::up().await;
    let n = fleet.instances();
    let started = Instant::now();
    while up_targets(&fleet).await.len() < n {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "targets up: {:?}",
            up_targets(&fleet).await
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut up = up_targets(&fleet).await;
    up.sort();
    let mut expected: Vec<String> = (1..=n)
        .map(|i| format!("127.0.0.1:{}", fleet.var(&format!("INSTANCE_{i}_PORT"))))
        .collect();
    expected.sort();
    assert_eq!(up, expected);

    let victim = 2;
    let target = format!(
        "127.0.0.1:{}",
        fleet.var(&format!("INSTANCE_{victim}_PORT"))
    );
    // An alert of an earlier kill has resolved first.
    while alert_state(&fleet, &target).await.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "an earlier MarqueeInstanceDown never resolved"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    kill9(fleet.instance_pid(victim));
    let killed = Instant::now();
    let mut pending_after = None;
    loop {
        match alert_state(&fleet, &target).await.as_deref() {
            Some("firing") => break,
            Some("pending") if pending_after.is_none() => pending_after = Some(killed.elapsed()),
            _ => {}
        }
        assert!(
            killed.elapsed() < Duration::from_secs(60),
            "MarqueeInstanceDown never fired for {target}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "MarqueeInstanceDown for {target}: pending after {:.1} s, firing after {:.1} s",
        pending_after.unwrap_or_default().as_secs_f64(),
        killed.elapsed().as_secs_f64()
    );
    // The other instances are still scraped.
    assert_eq!(up_targets(&fleet).await.len(), n - 1);

    fleet.script(&["start-instance", &victim.to_string()]);
    fleet.wait_healthy(Duration::from_secs(30)).await;
}
