//! Promises that hold across instances of one deployment: an account deleted through one
//! instance is refused by the others within `account_recheck_seconds`, and a listing one
//! instance computed is served by the others from the shared cache.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use marquee::config::Settings;
use secrecy::SecretString;
use serde_json::json;

use crate::booking_faults::OwnRedis;
use crate::catalog::titles;
use crate::helpers::*;

/// Two instances on one database; with `redis`, on one Redis under one key prefix.
async fn two_instances(
    redis: Option<String>,
    adjust: impl Fn(&mut Settings) + Clone + Send + 'static,
) -> (TestApp, TestApp) {
    let shared: Arc<Mutex<Option<(SecretString, String)>>> = Arc::default();
    let first = {
        let (shared, redis, adjust) = (shared.clone(), redis.clone(), adjust.clone());
        spawn_app_with(move |s| {
            if redis.is_some() {
                s.redis_url = redis.map(SecretString::from);
            }
            adjust(s);
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let second = spawn_app_with(move |s| {
        s.database_url = Some(database);
        if redis.is_some() {
            s.redis_url = redis.map(SecretString::from);
        }
        s.redis_prefix = prefix;
        adjust(s);
    })
    .await;
    (first, second)
}

const ME: &str = "{ me { email } }";

#[tokio::test]
async fn an_account_deleted_on_one_instance_is_refused_by_another_within_the_recheck_time() {
    let recheck = Duration::from_secs(2);
    let (a, b) = two_instances(None, move |s| {
        s.account_recheck_seconds = recheck.as_secs() as u32
    })
    .await;
    let token = a.customer("leaving@example.com").await;
    // The other instance has read the account and trusts it for a while.
    assert_eq!(
        b.ok(ME, json!({}), Some(&token)).await["me"]["email"],
        "leaving@example.com"
    );
    a.ok(
        "mutation { deleteAccount(password: \"correct horse\") }",
        json!({}),
        Some(&token),
    )
    .await;
    let deleted = tokio::time::Instant::now();
    // At once on the instance that deleted it.
    assert_eq!(
        code(&a.gql(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );
    // Within the recheck time on the other.
    let refused_after = loop {
        let body = b.gql(ME, json!({}), Some(&token)).await;
        if body.get("errors").is_some() {
            assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
            break deleted.elapsed();
        }
        assert!(
            deleted.elapsed() < recheck + Duration::from_millis(1_500),
            "still accepted {:?} after the deletion: {body}",
            deleted.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(refused_after <= recheck + Duration::from_millis(1_500));
    // And it stays refused.
    assert_eq!(
        code(&b.gql(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn a_city_listing_computed_by_one_instance_is_served_by_another_from_the_shared_cache() {
    // The cache is shared through Redis: the run's, or a private one on an embedded run.
    let (_own, redis) = OwnRedis::or_the_runs().await;
    let (a, b) = two_instances(Some(redis), |_| {}).await;
    let f = a.fixture().await;
    a.showtime_at(&f, 30).await;
    // Both have heard of every change, so their cache keys name the same generation.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while b.services.listings.generation() != a.services.listings.generation() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the second instance never caught up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    const Q: &str =
        "{ movies(filter: { city: \"chicago\" }, first: 10) { edges { node { title } } } }";
    assert_eq!(
        titles(&a.ok(Q, json!({}), None).await),
        vec!["The Last Horizon"]
    );
    // Renamed behind both instances' backs (no change is announced): only a listing read
    // from the database would show the new title.
    sql_exec(&a, "UPDATE movies SET title = 'Renamed Quietly'").await;
    let computed = b.services.listings.computed();
    assert_eq!(
        titles(&b.ok(Q, json!({}), None).await),
        vec!["The Last Horizon"]
    );
    assert_eq!(
        b.services.listings.computed(),
        computed,
        "the second instance computed the listing itself"
    );
}
