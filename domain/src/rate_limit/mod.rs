//! Rate limits: buckets of requests per client address or per account, refilled evenly
//! (GCRA, the generic cell rate algorithm: each bucket is one "theoretical arrival time").
//! A bucket of `limit` per `period` lets a burst of `limit` through at once, then one more
//! every `period / limit`. One request may charge several buckets (its address and its
//! account, each class of operation it carries): it passes all of them or none, and a
//! refused request takes nothing from any.
//!
//! Two adapters of the [`RateLimitStore`] port: in process for one instance, and a Redis
//! script shared by every instance. [`RateLimiter`] uses Redis when configured and falls
//! back to its in-process twin while Redis fails: a limit may then be counted per instance
//! for a while, but a request is never refused or failed because Redis is down.

mod in_process;
mod redis;
mod service;

use std::time::Duration;

use async_trait::async_trait;

pub use in_process::InProcessRateLimits;
pub use redis::RedisRateLimits;
pub use service::RateLimiter;

/// How many requests a bucket lets through, and over what time it refills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests let through at once from a full bucket (at least 1).
    pub limit: u32,
    /// Time in which an empty bucket fills again (at least 1 ms).
    pub period: Duration,
}

/// A quota that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a rate: write it as N/PERIOD, e.g. 20/10m (s, m, h or d), or off")]
pub struct BadQuota(pub String);

impl Quota {
    /// `N/PERIOD` where PERIOD is a number and a unit (`s`, `m`, `h`, `d`; the number may be
    /// left out: `60/m`). `None` for `off`.
    pub fn parse(text: &str) -> Result<Option<Self>, BadQuota> {
        let bad = || BadQuota(text.to_owned());
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let (limit, period) = text.split_once('/').ok_or_else(bad)?;
        let limit: u32 = limit.trim().parse().map_err(|_| bad())?;
        let period = period.trim();
        let unit_at = period.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (count, unit) = period.split_at(unit_at);
        let count: u64 = if count.is_empty() {
            1
        } else {
            count.parse().map_err(|_| bad())?
        };
        let seconds = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        if limit == 0 || count == 0 || count > 365 * 86_400 {
            return Err(bad());
        }
        Ok(Some(Self {
            limit,
            period: Duration::from_secs(count * seconds),
        }))
    }

    /// Milliseconds between two requests once the burst is spent.
    pub(crate) fn interval_ms(&self) -> f64 {
        self.period_ms() / f64::from(self.limit)
    }

    pub(crate) fn period_ms(&self) -> f64 {
        self.period.as_millis() as f64
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.period.as_secs();
        let (count, unit) = match secs {
            s if s % 86_400 == 0 => (s / 86_400, "d"),
            s if s % 3_600 == 0 => (s / 3_600, "h"),
            s if s % 60 == 0 => (s / 60, "m"),
            s => (s, "s"),
        };
        write!(f, "{}/{count}{unit}", self.limit)
    }
}

/// What one request takes from one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// The bucket, unique within a request (e.g. `login:ip:203.0.113.7`).
    pub key: String,
    /// Requests it counts for (an alias or a batch item counts once each).
    pub cost: u32,
    /// The bucket's size and refill time.
    pub quota: Quota,
}

/// The answer for a whole request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every bucket had room; each was charged.
    Allowed,
    /// A bucket had no room; nothing was charged.
    Refused {
        /// Which charge was refused (its index in the request's list).
        charge: usize,
        /// When the request would pass; for a request that alone exceeds a bucket's
        /// limit, the time to fill the bucket.
        retry_after: Duration,
    },
}

/// The store could not answer.
#[derive(Debug, thiserror::Error)]
#[error("rate limit store unavailable: {0}")]
pub struct LimiterUnavailable(pub String);

/// The rate-limit port: charges a request's buckets all or none at `now_ms` (milliseconds
/// since the epoch, from the instance's clock).
#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Charges every bucket of `charges`, or none of them.
    async fn take(&self, charges: &[Charge], now_ms: f64) -> Result<Verdict, LimiterUnavailable>;
}

/// The GCRA step for one bucket: its new arrival time, or how long to wait. `tat` is the
/// bucket's stored arrival time (none for a full bucket).
pub(crate) fn step(tat: Option<f64>, charge: &Charge, now_ms: f64) -> Result<f64, Duration> {
    let interval = charge.quota.interval_ms();
    let period = charge.quota.period_ms();
    let base = tat.unwrap_or(now_ms).max(now_ms);
    let next = base + f64::from(charge.cost) * interval;
    if next - period <= now_ms + 1e-6 {
        return Ok(next);
    }
    let wait = if charge.cost > charge.quota.limit {
        period
    } else {
        next - period - now_ms
    };
    Err(Duration::from_millis(wait.ceil().max(1.0) as u64))
}

#[cfg(test)]
mod tests;
