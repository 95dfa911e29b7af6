//! The front line for general admission: per section of a showtime, who claims how many
//! places until when, and their running total, so that a sold-out floor turns its herd
//! away without a database transaction. Like the seat front line it only sheds load: a
//! lost or stale count (a Redis restart, sold places whose claim lapsed) lets requests
//! through to the database's conditional update, which decides.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::ids::{BookingId, SectionId, ShowtimeId};
use crate::redis_store::RedisStore;

/// One general-admission claim: a quantity of a section, with the section's capacity.
#[derive(Debug, Clone, Copy)]
pub struct PlaceClaim {
    /// The section.
    pub section: SectionId,
    /// Places asked for.
    pub quantity: i64,
    /// The section's capacity at the showtime.
    pub capacity: i64,
}

type Claims = HashMap<BookingId, (i64, DateTime<Utc>)>;

/// The in-process twin: claims per (showtime, section).
#[derive(Default)]
pub(super) struct InProcessPlaces {
    sections: Mutex<HashMap<(ShowtimeId, SectionId), Claims>>,
}

impl InProcessPlaces {
    /// Claims `quantity` places for `holder` (replacing its earlier claim there) if the
    /// unexpired claims of others leave room; whether it did.
    pub(super) fn claim(
        &self,
        showtime: ShowtimeId,
        c: PlaceClaim,
        holder: BookingId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Option<bool> {
        let mut sections = self.sections.lock().ok()?;
        let claims = sections.entry((showtime, c.section)).or_default();
        claims.retain(|_, (_, t)| *t > now);
        let others: i64 = claims
            .iter()
            .filter(|(who, _)| **who != holder)
            .map(|(_, (q, _))| *q)
            .sum();
        if others + c.quantity > c.capacity {
            return Some(false);
        }
        claims.insert(holder, (c.quantity, until));
        Some(true)
    }

    /// Drops `holder`'s claims on these sections.
    pub(super) fn release(&self, showtime: ShowtimeId, sections: &[SectionId], holder: BookingId) {
        if let Ok(mut all) = self.sections.lock() {
            for s in sections {
                if let Some(claims) = all.get_mut(&(showtime, *s)) {
                    claims.remove(&holder);
                }
            }
        }
    }
}

/// KEYS[1]: hash holder → quantity, plus field `#total`; KEYS[2]: sorted set of holders by
/// expiry (ms). ARGV: holder, quantity, capacity, now, until. Lapsed claims leave the total
/// first; a holder's own earlier claim is replaced. 1 when claimed, 0 when refused.
const CLAIM_SCRIPT: &str = r#"
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
local total = tonumber(redis.call('HGET', KEYS[1], '#total') or '0')
for _, who in ipairs(lapsed) do
  total = total - tonumber(redis.call('HGET', KEYS[1], who) or '0')
  redis.call('HDEL', KEYS[1], who)
  redis.call('ZREM', KEYS[2], who)
end
local own = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if total < 0 then total = 0 end
local wanted = tonumber(ARGV[2])
if total - own + wanted > tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], '#total', total)
  return 0
end
total = total - own + wanted
redis.call('HSET', KEYS[1], ARGV[1], wanted, '#total', total)
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local ttl = tonumber(last[2]) - tonumber(ARGV[4]) + 60000
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
"#;

/// Drops ARGV[1]'s claim from KEYS[1]/KEYS[2] and the total.
const RELEASE_SCRIPT: &str = r#"
local own = redis.call('HGET', KEYS[1], ARGV[1])
if own then
  redis.call('HINCRBY', KEYS[1], '#total', -tonumber(own))
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 1
"#;

/// The Redis front line for places, the showtime as hash tag as for seats.
pub(super) struct RedisPlaces {
    claim: redis::Script,
    release: redis::Script,
}

impl RedisPlaces {
    pub(super) fn new() -> Self {
        Self {
            claim: redis::Script::new(CLAIM_SCRIPT),
            release: redis::Script::new(RELEASE_SCRIPT),
        }
    }

    fn keys(store: &RedisStore, showtime: ShowtimeId, section: SectionId) -> [String; 2] {
        [
            store.key(&format!("ga:{{{showtime}}}:{section}")),
            store.key(&format!("ga:{{{showtime}}}:{section}:until")),
        ]
    }

    /// Whether the claim was taken; `None` when Redis could not answer.
    pub(super) async fn claim(
        &self,
        store: &RedisStore,
        showtime: ShowtimeId,
        c: PlaceClaim,
        holder: BookingId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Option<bool> {
        let [counts, expiries] = Self::keys(store, showtime, c.section);
        let mut invocation = self.claim.prepare_invoke();
        invocation
            .key(counts)
            .key(expiries)
            .arg(holder.to_string())
            .arg(c.quantity)
            .arg(c.capacity)
            .arg(now.timestamp_millis())
            .arg(until.timestamp_millis());
        let mut conn = store.connection();
        match invocation.invoke_async::<i64>(&mut conn).await {
            Ok(answer) => Some(answer == 1),
            Err(e) => {
                tracing::warn!(error = %e, "place front line unavailable; relying on the database");
                None
            }
        }
    }

    pub(super) async fn release(
        &self,
        store: &RedisStore,
        showtime: ShowtimeId,
        sections: &[SectionId],
        holder: BookingId,
    ) {
        for section in sections {
            let [counts, expiries] = Self::keys(store, showtime, *section);
            let mut invocation = self.release.prepare_invoke();
            invocation.key(counts).key(expiries).arg(holder.to_string());
            let mut conn = store.connection();
            if let Err(e) = invocation.invoke_async::<i64>(&mut conn).await {
                tracing::warn!(error = %e, "could not release place claims; they lapse by themselves");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_process_place_claims_stay_within_capacity_and_lapse_by_the_given_clock() {
        let places = InProcessPlaces::default();
        let show = ShowtimeId::generate();
        let floor = SectionId::generate();
        let (a, b) = (BookingId::generate(), BookingId::generate());
        let claim = |quantity| PlaceClaim {
            section: floor,
            quantity,
            capacity: 5,
        };
        let now = Utc::now();
        let until = now + chrono::Duration::minutes(10);
        assert_eq!(places.claim(show, claim(3), a, now, until), Some(true));
        assert_eq!(places.claim(show, claim(3), b, now, until), Some(false));
        assert_eq!(places.claim(show, claim(2), b, now, until), Some(true));
        // A holder's new claim replaces its own: 3 → 1 leaves room for 2 more.
        assert_eq!(places.claim(show, claim(1), a, now, until), Some(true));
        places.release(show, &[floor], b);
        assert_eq!(places.claim(show, claim(4), b, now, until), Some(true));
        // Lapsed claims count no more.
        let later = until + chrono::Duration::seconds(1);
        assert_eq!(places.claim(show, claim(5), b, later, later), Some(true));
    }
}
