//! The same rules for both adapters; the Redis one runs when `TEST_REDIS_URL` is set.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::clock::SystemClock;
use crate::redis_store::RedisStore;

fn stores() -> Vec<(&'static str, Arc<dyn RateLimitStore>)> {
    let mut stores: Vec<(&'static str, Arc<dyn RateLimitStore>)> =
        vec![("in-process", Arc::new(InProcessRateLimits::default()))];
    if let Some(url) = crate::redis_store::test_redis_url() {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let store = RedisStore::open(&url, &prefix).unwrap();
        stores.push(("redis", Arc::new(RedisRateLimits::new(store))));
    }
    stores
}

fn charge(key: &str, cost: u32, quota: &str) -> Charge {
    Charge {
        key: key.to_owned(),
        cost,
        quota: Quota::parse(quota).unwrap().unwrap(),
    }
}

const T0: f64 = 1_800_000_000_000.0;

#[test]
fn quotas_read_as_count_per_period_or_off() {
    let q = Quota::parse("20/10m").unwrap().unwrap();
    assert_eq!((q.limit, q.period), (20, Duration::from_secs(600)));
    assert_eq!(
        Quota::parse(" 5 / h ").unwrap().unwrap().period,
        Duration::from_secs(3_600)
    );
    assert_eq!(Quota::parse("off").unwrap(), None);
    for bad in [
        "", "20", "0/1m", "20/0m", "20/10x", "x/1m", "20/m10", "-1/1m",
    ] {
        assert!(Quota::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(q.to_string(), "20/10m");
}

#[tokio::test]
async fn a_full_bucket_lets_its_limit_through_then_one_per_interval() {
    for (name, store) in stores() {
        let c = charge("a", 1, "4/4s");
        for i in 0..4 {
            assert_eq!(
                store.take(std::slice::from_ref(&c), T0).await.unwrap(),
                Verdict::Allowed,
                "{name} {i}"
            );
        }
        let Verdict::Refused {
            charge: 0,
            retry_after,
        } = store.take(std::slice::from_ref(&c), T0).await.unwrap()
        else {
            panic!("{name}: the fifth passed");
        };
        assert_eq!(retry_after, Duration::from_secs(1), "{name}");
        assert!(matches!(
            store
                .take(std::slice::from_ref(&c), T0 + 999.0)
                .await
                .unwrap(),
            Verdict::Refused { .. }
        ));
        assert_eq!(
            store
                .take(std::slice::from_ref(&c), T0 + 1_000.0)
                .await
                .unwrap(),
            Verdict::Allowed,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_request_passes_all_its_buckets_or_takes_from_none() {
    for (name, store) in stores() {
        let roomy = charge("roomy", 3, "10/1m");
        let tight = charge("tight", 3, "4/1m");
        assert_eq!(
            store
                .take(&[roomy.clone(), tight.clone()], T0)
                .await
                .unwrap(),
            Verdict::Allowed
        );
        // 3 more do not fit in `tight`: refused, and `roomy` keeps its 7.
        assert!(matches!(
            store
                .take(&[roomy.clone(), tight.clone()], T0)
                .await
                .unwrap(),
            Verdict::Refused { charge: 1, .. }
        ));
        assert_eq!(
            store
                .take(&[charge("roomy", 7, "10/1m")], T0)
                .await
                .unwrap(),
            Verdict::Allowed,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_request_larger_than_the_limit_never_passes_and_takes_nothing() {
    for (name, store) in stores() {
        let Verdict::Refused { retry_after, .. } = store
            .take(&[charge("big", 500, "10/1h")], T0)
            .await
            .unwrap()
        else {
            panic!("{name}: 500 passed a limit of 10");
        };
        assert_eq!(retry_after, Duration::from_secs(3_600));
        assert_eq!(
            store.take(&[charge("big", 10, "10/1h")], T0).await.unwrap(),
            Verdict::Allowed,
            "{name}"
        );
    }
}

struct Broken;

#[async_trait]
impl RateLimitStore for Broken {
    async fn take(&self, _: &[Charge], _: f64) -> Result<Verdict, LimiterUnavailable> {
        Err(LimiterUnavailable("down".into()))
    }
}

#[tokio::test]
async fn a_failing_shared_store_falls_back_to_the_in_process_buckets() {
    let limiter = RateLimiter::new(Some(Arc::new(Broken)), Arc::new(SystemClock));
    let c = charge("x", 1, "2/1h");
    assert_eq!(
        limiter.take(std::slice::from_ref(&c)).await,
        Verdict::Allowed
    );
    assert_eq!(
        limiter.take(std::slice::from_ref(&c)).await,
        Verdict::Allowed
    );
    assert!(matches!(limiter.take(&[c]).await, Verdict::Refused { .. }));
}
