//! The limiter in Redis, shared by every instance: one string per bucket holding its
//! theoretical arrival time, expiring when the bucket is full again. One script checks
//! and charges all buckets of a request, so that it passes all or none atomically.

use async_trait::async_trait;

use super::{Charge, LimiterUnavailable, RateLimitStore, Verdict};
use crate::redis_store::RedisStore;

/// KEYS: the buckets. ARGV: now ms, then per bucket its cost, interval ms and period ms.
/// Returns {0, 0} when every bucket was charged, or {i, wait ms} for the first bucket i
/// (1-based) without room, charging none. The same arithmetic as [`super::step`].
const TAKE_SCRIPT: &str = r#"
local now = tonumber(ARGV[1])
local next = {}
for i = 1, #KEYS do
  local cost = tonumber(ARGV[3 * i - 1])
  local interval = tonumber(ARGV[3 * i])
  local period = tonumber(ARGV[3 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat < now then tat = now end
  local n = tat + cost * interval
  if n - period > now + 0.000001 then
    local wait = n - period - now
    if cost * interval > period + 0.000001 then wait = period end
    return {i, math.max(1, math.ceil(wait))}
  end
  next[i] = n
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.3f', next[i]), 'PX', math.max(1, math.ceil(next[i] - now)))
end
return {0, 0}
"#;

/// Buckets in Redis under the deployment's prefix (`<prefix>rl:<bucket>`).
pub struct RedisRateLimits {
    store: RedisStore,
    script: redis::Script,
}

impl RedisRateLimits {
    /// Uses the shared Redis handle.
    pub fn new(store: RedisStore) -> Self {
        Self {
            store,
            script: redis::Script::new(TAKE_SCRIPT),
        }
    }
}

#[async_trait]
impl RateLimitStore for RedisRateLimits {
    async fn take(&self, charges: &[Charge], now_ms: f64) -> Result<Verdict, LimiterUnavailable> {
        if charges.is_empty() {
            return Ok(Verdict::Allowed);
        }
        let mut invocation = self.script.prepare_invoke();
        invocation.arg(format!("{now_ms:.3}"));
        for charge in charges {
            invocation
                .key(self.store.key(&format!("rl:{}", charge.key)))
                .arg(charge.cost)
                .arg(format!("{:.6}", charge.quota.interval_ms()))
                .arg(format!("{:.3}", charge.quota.period_ms()));
        }
        let mut conn = self.store.connection();
        let (index, wait_ms): (i64, i64) = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(|e| LimiterUnavailable(e.to_string()))?;
        if index == 0 {
            return Ok(Verdict::Allowed);
        }
        let charge = usize::try_from(index - 1)
            .ok()
            .filter(|i| *i < charges.len())
            .ok_or_else(|| LimiterUnavailable(format!("unexpected reply {index}")))?;
        Ok(Verdict::Refused {
            charge,
            retry_after: std::time::Duration::from_millis(wait_ms.max(1) as u64),
        })
    }
}
