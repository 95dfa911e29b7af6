//! The waiting room in Redis, shared by every instance: per showtime a line (sorted set
//! by arrival number), the admitted (sorted set by end of admission), an arrival counter
//! and the opening time, all under the showtime's hash tag so one script sees them all.

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use super::{
    ROOM_KEPT, RoomUnavailable, Standing, Visit, VisitOutcome, WaitingRoomSettings,
    WaitingRoomStore,
};
use crate::ids::{ShowtimeId, UserId};
use crate::redis_store::RedisStore;

/// KEYS: line, admitted, counter, opens. ARGV: visitor, now ms, action, capacity, admission
/// ms, opens ms (or, to restore, the admission's end ms), kept ms. Returns {code, value, let in…}: code 1 admitted (value: until
/// ms), 0 waiting (value: position), -1 absent, -2 no room.
const VISIT_SCRIPT: &str = r#"
local line, admitted, counter, opens = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local who, now, action = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local capacity, admission, kept = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7])
local entered = '0'
if action == 'enter' then
  redis.call('SET', opens, ARGV[6], 'PX', kept)
  if not redis.call('ZSCORE', admitted, who) and not redis.call('ZSCORE', line, who) then
    redis.call('ZADD', line, redis.call('INCR', counter), who)
    entered = '1'
  end
  redis.call('PEXPIRE', line, kept)
  redis.call('PEXPIRE', admitted, kept)
  redis.call('PEXPIRE', counter, kept)
elseif redis.call('EXISTS', opens) == 0 then
  return {'-2', '0', '0'}
end
local spent = nil
if action == 'leave' then
  redis.call('ZREM', admitted, who)
  redis.call('ZREM', line, who)
elseif action == 'spend' then
  spent = redis.call('ZSCORE', admitted, who)
  if spent and tonumber(spent) > now then
    redis.call('ZREM', admitted, who)
  else
    spent = nil
  end
elseif action == 'restore' and tonumber(ARGV[6]) > now then
  redis.call('ZREM', line, who)
  redis.call('ZADD', admitted, ARGV[6], who)
end
redis.call('ZREMRANGEBYSCORE', admitted, '-inf', now)
local result = {entered}
if now >= tonumber(redis.call('GET', opens)) then
  local free = capacity - redis.call('ZCARD', admitted)
  if free > 0 then
    local heads = redis.call('ZPOPMIN', line, free)
    for i = 1, #heads, 2 do
      redis.call('ZADD', admitted, now + admission, heads[i])
      table.insert(result, heads[i])
    end
  end
end
if spent then
  table.insert(result, 1, spent)
  table.insert(result, 1, '1')
  return result
end
local untl = redis.call('ZSCORE', admitted, who)
if untl then
  table.insert(result, 1, untl)
  table.insert(result, 1, '1')
  return result
end
local rank = redis.call('ZRANK', line, who)
if rank then
  table.insert(result, 1, tostring(rank + 1))
  table.insert(result, 1, '0')
  return result
end
table.insert(result, 1, '0')
table.insert(result, 1, '-1')
return result
"#;

/// Rooms in Redis.
pub struct RedisWaitingRoom {
    store: RedisStore,
    script: redis::Script,
}

impl RedisWaitingRoom {
    /// Uses the shared Redis handle.
    pub fn new(store: RedisStore) -> Self {
        Self {
            store,
            script: redis::Script::new(VISIT_SCRIPT),
        }
    }
}

fn parse(reply: Vec<String>) -> Result<VisitOutcome, RoomUnavailable> {
    let bad = || RoomUnavailable(format!("unexpected reply {reply:?}"));
    let code: i64 = reply.first().and_then(|c| c.parse().ok()).ok_or_else(bad)?;
    let value: f64 = reply.get(1).and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let standing = match code {
        1 => Standing::Admitted {
            until: Utc
                .timestamp_millis_opt(value as i64)
                .single()
                .ok_or_else(bad)?,
        },
        0 => Standing::Waiting {
            position: value as u64,
        },
        -1 => Standing::Absent,
        _ => Standing::NoRoom,
    };
    let entered = reply.get(2).is_some_and(|e| e == "1");
    let admitted = reply
        .iter()
        .skip(3)
        .filter_map(|u| UserId::parse(u).ok())
        .collect();
    Ok(VisitOutcome {
        standing,
        admitted,
        entered,
    })
}

#[async_trait]
impl WaitingRoomStore for RedisWaitingRoom {
    async fn visit(
        &self,
        showtime: ShowtimeId,
        visitor: UserId,
        visit: Visit,
        now: DateTime<Utc>,
        settings: WaitingRoomSettings,
    ) -> Result<VisitOutcome, RoomUnavailable> {
        let key = |part: &str| self.store.key(&format!("room:{{{showtime}}}:{part}"));
        let (action, opens_ms) = match visit {
            Visit::Enter { opens_at } => ("enter", opens_at.timestamp_millis()),
            Visit::Look => ("look", 0),
            Visit::Leave => ("leave", 0),
            Visit::Spend => ("spend", 0),
            Visit::Restore { until } => ("restore", until.timestamp_millis()),
        };
        let mut invocation = self.script.prepare_invoke();
        invocation
            .key(key("line"))
            .key(key("admitted"))
            .key(key("counter"))
            .key(key("opens"))
            .arg(visitor.to_string())
            .arg(now.timestamp_millis())
            .arg(action)
            .arg(settings.capacity)
            .arg(settings.admission.num_milliseconds().max(1))
            .arg(opens_ms)
            .arg(ROOM_KEPT.num_milliseconds());
        let mut conn = self.store.connection();
        let reply: Vec<String> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(|e| RoomUnavailable(e.to_string()))?;
        parse(reply)
    }
}
