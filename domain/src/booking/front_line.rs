//! The seat-hold front line: a cheap all-or-nothing claim on seats that turns away the
//! herd before it reaches the database. It only sheds load; the database decides. Expiry
//! is judged against the injected clock (passed in as `now`), never by key expiry, so the
//! front line and the database agree on when a hold is over.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::ids::{BookingId, SeatId, SectionId, ShowtimeId};
use crate::redis_store::RedisStore;

use super::place_claims::{InProcessPlaces, PlaceClaim, RedisPlaces};

/// What the front line says about a request for seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// All seats are now claimed for the holder.
    Acquired,
    /// These seats are claimed by someone else until later.
    Taken(Vec<SeatId>),
    /// The front line could not answer (Redis down), or there is none: the database decides.
    Unknown,
}

/// The front-line port, with an in-process and a Redis adapter.
#[async_trait]
pub trait SeatHolds: Send + Sync {
    /// Claims every seat for `holder` until `expires_at`, or none of them.
    async fn claim(
        &self,
        showtime: ShowtimeId,
        seats: &[SeatId],
        holder: BookingId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Claim;

    /// Drops `holder`'s claims on these seats (others' claims are left alone).
    async fn release(&self, showtime: ShowtimeId, seats: &[SeatId], holder: BookingId);

    /// Claims general-admission places for `holder` until `expires_at`, all or none:
    /// `Taken` (with no seats named) when a section has too few left.
    async fn claim_places(
        &self,
        _showtime: ShowtimeId,
        _claims: &[PlaceClaim],
        _holder: BookingId,
        _now: DateTime<Utc>,
        _expires_at: DateTime<Utc>,
    ) -> Claim {
        Claim::Unknown
    }

    /// Drops `holder`'s place claims on these sections.
    async fn release_places(
        &self,
        _showtime: ShowtimeId,
        _sections: &[SectionId],
        _holder: BookingId,
    ) {
    }
}

/// All of `claims` through `one`, or none: a refusal or a failure gives back what was taken.
async fn claim_each<F, Fut>(claims: &[PlaceClaim], mut one: F) -> (Claim, Vec<SectionId>)
where
    F: FnMut(PlaceClaim) -> Fut,
    Fut: std::future::Future<Output = Option<bool>>,
{
    let mut taken = Vec::new();
    for c in claims {
        match one(*c).await {
            Some(true) => taken.push(c.section),
            Some(false) => return (Claim::Taken(Vec::new()), taken),
            None => return (Claim::Unknown, taken),
        }
    }
    (Claim::Acquired, Vec::new())
}

/// Who claims a seat of a showtime, and until when.
type ClaimTable = HashMap<(ShowtimeId, SeatId), (BookingId, DateTime<Utc>)>;

/// The in-process twin for a single instance.
#[derive(Default)]
pub struct InProcessSeatHolds {
    claims: Mutex<ClaimTable>,
    places: InProcessPlaces,
}

#[async_trait]
impl SeatHolds for InProcessSeatHolds {
    async fn claim(
        &self,
        showtime: ShowtimeId,
        seats: &[SeatId],
        holder: BookingId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Claim {
        let Ok(mut claims) = self.claims.lock() else {
            return Claim::Unknown;
        };
        let taken: Vec<SeatId> = seats
            .iter()
            .copied()
            .filter(|s| {
                claims
                    .get(&(showtime, *s))
                    .is_some_and(|(who, until)| *who != holder && *until > now)
            })
            .collect();
        if !taken.is_empty() {
            return Claim::Taken(taken);
        }
        // Forget lapsed claims now and then so the map does not grow without bound.
        if claims.len() > 100_000 {
            claims.retain(|_, (_, until)| *until > now);
        }
        for s in seats {
            claims.insert((showtime, *s), (holder, expires_at));
        }
        Claim::Acquired
    }

    async fn claim_places(
        &self,
        showtime: ShowtimeId,
        claims: &[PlaceClaim],
        holder: BookingId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Claim {
        let (claim, undo) = claim_each(claims, |c| {
            std::future::ready(self.places.claim(showtime, c, holder, now, expires_at))
        })
        .await;
        self.places.release(showtime, &undo, holder);
        claim
    }

    async fn release_places(
        &self,
        showtime: ShowtimeId,
        sections: &[SectionId],
        holder: BookingId,
    ) {
        self.places.release(showtime, sections, holder);
    }

    async fn release(&self, showtime: ShowtimeId, seats: &[SeatId], holder: BookingId) {
        if let Ok(mut claims) = self.claims.lock() {
            for s in seats {
                if claims
                    .get(&(showtime, *s))
                    .is_some_and(|(who, _)| *who == holder)
                {
                    claims.remove(&(showtime, *s));
                }
            }
        }
    }
}

/// No front line: every request goes to the database, whose conditional update alone
/// decides. Slower under a herd; for drills and for proving that final guard on its own.
pub struct NoFrontLine;

#[async_trait]
impl SeatHolds for NoFrontLine {
    async fn claim(
        &self,
        _showtime: ShowtimeId,
        _seats: &[SeatId],
        _holder: BookingId,
        _now: DateTime<Utc>,
        _expires_at: DateTime<Utc>,
    ) -> Claim {
        Claim::Unknown
    }

    async fn release(&self, _showtime: ShowtimeId, _seats: &[SeatId], _holder: BookingId) {}
}

/// Claims every key or none: a key held by another holder whose expiry (ARGV[2]) is still
/// after `now` blocks the claim. Values are `holder|expires_ms`; the key TTL is only
/// garbage collection.
const CLAIM_SCRIPT: &str = r#"
local taken = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if v then
    local sep = string.find(v, '|', 1, true)
    local who = string.sub(v, 1, sep - 1)
    local untl = tonumber(string.sub(v, sep + 1))
    if who ~= ARGV[1] and untl > tonumber(ARGV[2]) then
      table.insert(taken, i)
    end
  end
end
if #taken > 0 then return taken end
local value = ARGV[1] .. '|' .. ARGV[3]
for _, key in ipairs(KEYS) do
  redis.call('SET', key, value, 'PX', ARGV[4])
end
return {}
"#;

/// Deletes the keys that still belong to ARGV[1].
const RELEASE_SCRIPT: &str = r#"
for _, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then
    redis.call('DEL', key)
  end
end
return 1
"#;

/// The Redis front line shared by every instance: one Lua script per request, with the
/// showtime as hash tag so that all seats of a showtime live in one cluster slot.
pub struct RedisSeatHolds {
    store: RedisStore,
    claim: redis::Script,
    release: redis::Script,
    places: RedisPlaces,
}

impl RedisSeatHolds {
    /// Uses the shared Redis handle.
    pub fn new(store: RedisStore) -> Self {
        Self {
            store,
            claim: redis::Script::new(CLAIM_SCRIPT),
            release: redis::Script::new(RELEASE_SCRIPT),
            places: RedisPlaces::new(),
        }
    }

    fn keys(&self, showtime: ShowtimeId, seats: &[SeatId]) -> Vec<String> {
        seats
            .iter()
            .map(|s| self.store.key(&format!("hold:{{{showtime}}}:{s}")))
            .collect()
    }
}

#[async_trait]
impl SeatHolds for RedisSeatHolds {
    async fn claim(
        &self,
        showtime: ShowtimeId,
        seats: &[SeatId],
        holder: BookingId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Claim {
        let keys = self.keys(showtime, seats);
        // Keep keys a minute past the hold so a slow database commit still finds them.
        let ttl_ms = (expires_at - now).num_milliseconds().max(1) + 60_000;
        let mut invocation = self.claim.prepare_invoke();
        for k in &keys {
            invocation.key(k);
        }
        invocation
            .arg(holder.to_string())
            .arg(now.timestamp_millis())
            .arg(expires_at.timestamp_millis())
            .arg(ttl_ms);
        let mut conn = self.store.connection();
        match invocation.invoke_async::<Vec<usize>>(&mut conn).await {
            Ok(taken) if taken.is_empty() => Claim::Acquired,
            Ok(taken) => Claim::Taken(
                taken
                    .into_iter()
                    .filter_map(|i| seats.get(i.wrapping_sub(1)).copied())
                    .collect(),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "seat-hold front line unavailable; relying on the database");
                Claim::Unknown
            }
        }
    }

    async fn claim_places(
        &self,
        showtime: ShowtimeId,
        claims: &[PlaceClaim],
        holder: BookingId,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Claim {
        let (claim, undo) = claim_each(claims, |c| {
            self.places
                .claim(&self.store, showtime, c, holder, now, expires_at)
        })
        .await;
        if !undo.is_empty() {
            self.places
                .release(&self.store, showtime, &undo, holder)
                .await;
        }
        claim
    }

    async fn release_places(
        &self,
        showtime: ShowtimeId,
        sections: &[SectionId],
        holder: BookingId,
    ) {
        self.places
            .release(&self.store, showtime, sections, holder)
            .await;
    }

    async fn release(&self, showtime: ShowtimeId, seats: &[SeatId], holder: BookingId) {
        let keys = self.keys(showtime, seats);
        let mut invocation = self.release.prepare_invoke();
        for k in &keys {
            invocation.key(k);
        }
        invocation.arg(holder.to_string());
        let mut conn = self.store.connection();
        if let Err(e) = invocation.invoke_async::<i64>(&mut conn).await {
            tracing::warn!(error = %e, "could not release front-line claims; they lapse by themselves");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_process_claims_are_all_or_nothing_and_lapse_by_the_given_clock() {
        let holds = InProcessSeatHolds::default();
        let show = ShowtimeId::generate();
        let (a, b, c) = (SeatId::generate(), SeatId::generate(), SeatId::generate());
        let (first, second) = (BookingId::generate(), BookingId::generate());
        let now = Utc::now();
        let until = now + chrono::Duration::minutes(10);
        assert_eq!(
            holds.claim(show, &[a, b], first, now, until).await,
            Claim::Acquired
        );
        assert_eq!(
            holds.claim(show, &[b, c], second, now, until).await,
            Claim::Taken(vec![b])
        );
        // Nothing of the refused claim was kept: `c` is still free.
        assert_eq!(
            holds.claim(show, &[c], second, now, until).await,
            Claim::Acquired
        );
        // The same holder may claim again (a retried request).
        assert_eq!(
            holds.claim(show, &[a], first, now, until).await,
            Claim::Acquired
        );
        // After expiry, by the clock passed in, another holder gets the seats.
        let later = until + chrono::Duration::seconds(1);
        assert_eq!(
            holds
                .claim(
                    show,
                    &[a, b],
                    second,
                    later,
                    later + chrono::Duration::minutes(10)
                )
                .await,
            Claim::Acquired
        );
        // Release only drops the releaser's own claims.
        holds.release(show, &[a, b], first).await;
        assert_eq!(
            holds.claim(show, &[a], first, later, later).await,
            Claim::Taken(vec![a])
        );
    }
}
