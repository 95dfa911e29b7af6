//! The limiter the server uses: Redis when configured, its in-process twin otherwise and
//! whenever Redis fails.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use super::{Charge, InProcessRateLimits, RateLimitStore, Verdict};
use crate::clock::SharedClock;

/// Seconds between two warnings that Redis failed (a flood would otherwise flood the log).
const WARN_EVERY_MS: i64 = 10_000;

/// Charges requests' buckets in the shared store, failing open to in-process buckets.
pub struct RateLimiter {
    shared: Option<Arc<dyn RateLimitStore>>,
    local: InProcessRateLimits,
    clock: SharedClock,
    last_warning_ms: AtomicI64,
}

impl RateLimiter {
    /// A limiter over `shared` (Redis) when given, in process otherwise.
    pub fn new(shared: Option<Arc<dyn RateLimitStore>>, clock: SharedClock) -> Self {
        Self {
            shared,
            local: InProcessRateLimits::default(),
            clock,
            last_warning_ms: AtomicI64::new(i64::MIN),
        }
    }

    /// Charges every bucket of `charges`, or none.
    pub async fn take(&self, charges: &[Charge]) -> Verdict {
        if charges.is_empty() {
            return Verdict::Allowed;
        }
        let now_ms = self.clock.now().timestamp_millis() as f64;
        if let Some(shared) = &self.shared {
            match shared.take(charges, now_ms).await {
                Ok(verdict) => return verdict,
                Err(e) => {
                    let last = self.last_warning_ms.load(Ordering::Relaxed);
                    if (now_ms as i64).saturating_sub(last) >= WARN_EVERY_MS
                        && self
                            .last_warning_ms
                            .compare_exchange(
                                last,
                                now_ms as i64,
                                Ordering::Relaxed,
                                Ordering::Relaxed,
                            )
                            .is_ok()
                    {
                        tracing::warn!(error = %e, "rate limits counted in process while Redis fails");
                    }
                }
            }
        }
        self.local.take_now(charges, now_ms)
    }
}
