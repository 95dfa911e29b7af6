//! Proof 7: a backup and restore drill: `pg_dump` of the live database while a sale
//! writes to it, restored into a fresh database, holds the same bookings, tickets and
//! payments as the source at the dump's snapshot.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, IsolationLevel, TransactionTrait};

use crate::client::{admin, showtime};
use crate::fleet::{Fleet, count, rows};
use crate::sale::Sale;

/// The tables compared, each as (rows, digest of every row in id order).
const TABLES: [&str; 4] = ["bookings", "booking_seats", "tickets", "payments"];

async fn digest(db: &impl ConnectionTrait, table: &str) -> (i64, String) {
    let order = if table == "booking_seats" {
        "booking_id, seat_id"
    } else {
        "id"
    };
    let n = count(db, &format!("SELECT 1 FROM {table}")).await;
    let d = rows(
        db,
        &format!(
            "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY {order})), '') FROM {table} t"
        ),
    )
    .await;
    (n, d[0][0].clone())
}

async fn run(program: &str, args: &[&str]) {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_dump_of_the_live_database_restores_to_the_same_bookings_tickets_and_payments() {
    let fleet = Fleet::up().await;
    let admin = admin(&fleet).await;
    let (st, seats) = showtime(&fleet, &admin, 60, false).await;
    let sale = Sale::start(
        &fleet,
        &fleet.balancer(),
        &st,
        &seats,
        4,
        Duration::from_millis(100),
        Duration::from_secs(90),
    )
    .await;
    sale.wait_sold(10).await;

    // The dump reads one snapshot of the live database; the source is read in that same
    // snapshot while the sale goes on writing.
    let pg_bin = fleet.var("PG_BIN");
    let source = fleet.db().await;
    let txn = source
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(sea_orm::AccessMode::ReadOnly),
        )
        .await
        .unwrap();
    let snapshot = rows(&txn, "SELECT pg_export_snapshot()").await[0][0].clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("marquee.dump");
    let started = Instant::now();
    run(
        &format!("{pg_bin}/pg_dump"),
        &[
            "-Fc",
            "--snapshot",
            &snapshot,
            "-f",
            file.to_str().unwrap(),
            &fleet.var("DATABASE_URL"),
        ],
    )
    .await;
    let dumped = started.elapsed();
    let mut expected = Vec::new();
    for t in TABLES {
        expected.push(digest(&txn, t).await);
    }
    txn.commit().await.unwrap();
    let sold_during = sale.sold.load(std::sync::atomic::Ordering::Relaxed);
    let out = sale.finish().await;
    assert!(out.unsold.is_empty(), "the sale did not finish");

    // Restored into a fresh database on the primary.
    let name = format!("restore_{}", uuid::Uuid::new_v4().simple());
    let url = fleet.var("DATABASE_URL");
    let restored_url = format!("{}/{name}", url.rsplit_once('/').unwrap().0);
    source
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let started = Instant::now();
    run(
        &format!("{pg_bin}/pg_restore"),
        &["--no-owner", "-d", &restored_url, file.to_str().unwrap()],
    )
    .await;
    let restored_in = started.elapsed();
    let restored = Database::connect(&restored_url).await.unwrap();
    for (t, want) in TABLES.iter().zip(&expected) {
        let got = digest(&restored, t).await;
        println!("{t}: {} rows at the snapshot, {} restored", want.0, got.0);
        assert_eq!(&got, want, "{t} differs after the restore");
    }
    assert!(expected[0].0 > 0, "the dump held no bookings");
    restored.close().await.unwrap();
    source
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    println!(
        "dump of the live database ({} bytes, {sold_during} seats sold when it started) in {:.1} s, restore in {:.1} s",
        std::fs::metadata(&file).unwrap().len(),
        dumped.as_secs_f64(),
        restored_in.as_secs_f64()
    );
}
