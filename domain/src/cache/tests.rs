//! The same rules for both stores; the Redis one runs when `TEST_REDIS_URL` is set.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::*;
use crate::redis_store::RedisStore;

fn stores() -> Vec<(&'static str, Arc<dyn CacheStore>)> {
    let mut stores: Vec<(&'static str, Arc<dyn CacheStore>)> =
        vec![("in-process", Arc::new(InProcessCache::default()))];
    if let Some(url) = crate::redis_store::test_redis_url() {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let store = RedisStore::open(&url, &prefix).unwrap();
        stores.push(("redis", Arc::new(RedisCache::new(store))));
    }
    stores
}

#[tokio::test]
async fn answers_expire_after_their_time() {
    for (name, store) in stores() {
        assert_eq!(store.get("k").await.unwrap(), None, "{name}");
        store
            .put("k", b"v", Duration::from_millis(150))
            .await
            .unwrap();
        assert_eq!(
            store.get("k").await.unwrap().as_deref(),
            Some(&b"v"[..]),
            "{name}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(store.get("k").await.unwrap(), None, "{name}");
    }
}

#[tokio::test]
async fn a_burst_of_identical_queries_computes_once() {
    for (name, store) in stores() {
        let cache = Arc::new(QueryCache::new(store, Duration::from_secs(30)));
        let runs = Arc::new(AtomicU32::new(0));
        let tasks: Vec<_> = (0..300)
            .map(|_| {
                let (cache, runs) = (cache.clone(), runs.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_compute("listing", "city=x", || async {
                            runs.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok::<_, ()>(vec![1, 2, 3])
                        })
                        .await
                        .unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(*t.await.unwrap(), vec![1, 2, 3], "{name}");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1, "{name}");
        assert_eq!(cache.computed(), 1, "{name}");
    }
}

#[tokio::test]
async fn a_change_heard_starts_a_new_generation_and_instances_share_answers() {
    for (name, store) in stores() {
        let here = QueryCache::new(store.clone(), Duration::from_secs(30));
        let there = QueryCache::new(store, Duration::from_secs(30));
        let answer = |v: u32| move || async move { Ok::<_, ()>(v) };
        assert_eq!(*here.get_or_compute("l", "q", answer(1)).await.unwrap(), 1);
        // Another instance at the same generation reads the stored answer.
        assert_eq!(
            *there.get_or_compute("l", "q", answer(2)).await.unwrap(),
            1,
            "{name}"
        );
        assert_eq!(there.computed(), 0, "{name}");
        // One that has heard of a newer change does not.
        there.heard(7);
        assert_eq!(
            *there.get_or_compute("l", "q", answer(3)).await.unwrap(),
            3,
            "{name}"
        );
        here.heard(7);
        assert_eq!(
            *here.get_or_compute("l", "q", answer(4)).await.unwrap(),
            3,
            "{name}"
        );
        // Generations only move forward.
        here.heard(3);
        assert_eq!(here.generation(), 7);
    }
}

#[tokio::test]
async fn a_failed_computation_is_not_kept() {
    for (name, store) in stores() {
        let cache = QueryCache::new(store, Duration::from_secs(30));
        let failed = cache
            .get_or_compute("l", "q", || async { Err::<u32, _>("down") })
            .await;
        assert_eq!(failed.unwrap_err(), "down", "{name}");
        let ok = cache
            .get_or_compute("l", "q", || async { Ok::<u32, &str>(5) })
            .await;
        assert_eq!(*ok.unwrap(), 5, "{name}");
    }
}
