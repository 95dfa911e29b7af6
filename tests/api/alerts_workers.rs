//! Alert workers on two instances of one deployment tell each buyer exactly once.

use serde_json::json;

use crate::alerts::{NOTIFY, movie, schedule, screen_in};
use crate::helpers::*;

/// Two instances on one database.
async fn two_instances() -> (TestApp, TestApp) {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(None));
    let first = {
        let shared = shared.clone();
        spawn_app_with(move |s| {
            s.run_workers = false;
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.run_workers = false;
        s.database_url = Some(database);
        s.redis_prefix = prefix;
    })
    .await;
    (first, second)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_on_two_instances_tell_each_buyer_exactly_once() {
    let (a, b) = two_instances().await;
    let admin = a.admin().await;
    let chicago = screen_in(&a, &admin, "Chicago", 41.8853, -87.6278).await;
    let film = movie(&a, &admin, "Opening Weekend").await;
    const BUYERS: usize = 30;
    for i in 0..BUYERS {
        let token = a.customer(&format!("fan{i}@example.com")).await;
        a.ok(
            NOTIFY,
            json!({ "i": { "movieId": film, "city": "Chicago" } }),
            Some(&token),
        )
        .await;
    }
    schedule(&a, &admin, &chicago, &film, 2, None).await;
    let mut passes = Vec::new();
    for app in [
        a.services.clone(),
        b.services.clone(),
        a.services.clone(),
        b.services.clone(),
    ] {
        passes.push(tokio::spawn(async move {
            for _ in 0..5 {
                app.alert_worker.try_execute_task().await.unwrap();
            }
        }));
    }
    for p in passes {
        p.await.unwrap();
    }
    let entries = sql_texts(&a, "SELECT CAST(COUNT(*) AS TEXT) || ' ' || CAST(COUNT(DISTINCT user_id) AS TEXT) FROM notifications WHERE kind = 'title.on_sale'", []).await;
    assert_eq!(entries, [format!("{BUYERS} {BUYERS}")]);
    let emails = sql_texts(&a, "SELECT CAST(COUNT(*) AS TEXT) || ' ' || CAST(COUNT(DISTINCT recipient) AS TEXT) FROM emails WHERE kind = 'title.on_sale'", []).await;
    assert_eq!(emails, [format!("{BUYERS} {BUYERS}")]);
    let left = sql_texts(
        &a,
        "SELECT COUNT(*) FROM title_alerts WHERE status = 'active'",
        [],
    )
    .await;
    assert_eq!(left, ["0"]);
}
