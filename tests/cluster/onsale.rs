//! Proof 1: the on-sale load generator through the balancer sells no seat twice; the same
//! on-sale against one instance alone gives the figures to compare with.

use std::time::Instant;

use crate::fleet::{Fleet, assert_no_double_sale};

/// A few hundred seats and a couple of thousand buyers: an on-sale CI can afford.
const ONSALE: [&str; 8] = [
    "--seats",
    "200",
    "--buyers",
    "2000",
    "--concurrency",
    "100",
    "--queue-lead-secs",
    "2",
];

fn loadgen() -> String {
    std::env::var("MARQUEE_LOADGEN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| format!("{}/../target", env!("CARGO_MANIFEST_DIR")));
        format!("{target}/debug/marquee-loadgen")
    })
}

/// Runs the on-sale against `url`; its report.
async fn onsale(fleet: &Fleet, url: &str) -> String {
    let started = Instant::now();
    let out = tokio::process::Command::new(loadgen())
        .args([
            "--url",
            url,
            "onsale",
            "--admin-email",
            &fleet.var("ADMIN_EMAIL"),
        ])
        .args(ONSALE)
        .env("LOADGEN_ADMIN_PASSWORD", fleet.var("ADMIN_PASSWORD"))
        .output()
        .await
        .unwrap_or_else(|e| panic!("{}: {e} (cargo build -p marquee-loadgen)", loadgen()));
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the on-sale against {url} failed:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "--- on-sale against {url} ({:.1} s)\n{report}",
        started.elapsed().as_secs_f64()
    );
    report
}

#[tokio::test]
async fn an_on_sale_through_the_balancer_sells_no_seat_twice() {
    let fleet = Fleet::up().await;
    let through_balancer = onsale(&fleet, &fleet.balancer()).await;
    let one_instance = onsale(&fleet, &fleet.instance(1)).await;
    for report in [&through_balancer, &one_instance] {
        // The generator reads the seat ledger (showtimeSeatAudit) and fails on a double
        // sale itself; its report says so too.
        assert!(report.contains("seats sold twice: 0"), "{report}");
        assert!(
            report
                .lines()
                .any(|l| l.starts_with("sold out") && l.contains("after")),
            "{report}"
        );
    }
    assert_no_double_sale(&fleet.db().await).await;
}
