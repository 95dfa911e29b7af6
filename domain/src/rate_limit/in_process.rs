//! The in-process twin of the Redis limiter, for a single instance (and the fallback while
//! Redis fails).

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{Charge, LimiterUnavailable, RateLimitStore, Verdict, step};

/// Buckets kept before full ones are forgotten (a full bucket needs no entry).
const KEPT: usize = 256 * 1024;

/// Buckets in this process's memory.
#[derive(Default)]
pub struct InProcessRateLimits {
    /// Bucket → theoretical arrival time (ms since the epoch).
    buckets: Mutex<HashMap<String, f64>>,
}

impl InProcessRateLimits {
    /// Charges all or none; never fails.
    pub fn take_now(&self, charges: &[Charge], now_ms: f64) -> Verdict {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let mut next = Vec::with_capacity(charges.len());
        for (i, charge) in charges.iter().enumerate() {
            match step(buckets.get(&charge.key).copied(), charge, now_ms) {
                Ok(tat) => next.push(tat),
                Err(retry_after) => {
                    return Verdict::Refused {
                        charge: i,
                        retry_after,
                    };
                }
            }
        }
        if buckets.len() >= KEPT {
            buckets.retain(|_, tat| *tat > now_ms);
            if buckets.len() >= KEPT {
                // More distinct clients than a process should track: start afresh rather
                // than grow without bound (every bucket is full again, as after a restart).
                tracing::warn!(buckets = buckets.len(), "rate limit buckets reset");
                buckets.clear();
            }
        }
        for (charge, tat) in charges.iter().zip(next) {
            buckets.insert(charge.key.clone(), tat);
        }
        Verdict::Allowed
    }

    /// Buckets tracked now.
    pub fn len(&self) -> usize {
        self.buckets.lock().map(|b| b.len()).unwrap_or(0)
    }

    /// Whether no bucket is tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[async_trait]
impl RateLimitStore for InProcessRateLimits {
    async fn take(&self, charges: &[Charge], now_ms: f64) -> Result<Verdict, LimiterUnavailable> {
        Ok(self.take_now(charges, now_ms))
    }
}
