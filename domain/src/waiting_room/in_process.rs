//! The in-process twin of the Redis waiting room, for a single instance.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    ROOM_KEPT, RoomUnavailable, Standing, Visit, VisitOutcome, WaitingRoomSettings,
    WaitingRoomStore,
};
use crate::ids::{ShowtimeId, UserId};

#[derive(Debug)]
struct Room {
    opens_at: DateTime<Utc>,
    last_entry: DateTime<Utc>,
    next_seq: u64,
    /// Arrival number → visitor, so the head of the line is the first key.
    line: BTreeMap<u64, UserId>,
    arrival: HashMap<UserId, u64>,
    admitted: HashMap<UserId, DateTime<Utc>>,
}

impl Room {
    fn new(opens_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        Self {
            opens_at,
            last_entry: now,
            next_seq: 0,
            line: BTreeMap::new(),
            arrival: HashMap::new(),
            admitted: HashMap::new(),
        }
    }

    fn drop_from_line(&mut self, who: UserId) {
        if let Some(seq) = self.arrival.remove(&who) {
            self.line.remove(&seq);
        }
    }

    /// Lets lapsed admissions go and fills free slots from the head of the line.
    fn advance(&mut self, now: DateTime<Utc>, settings: WaitingRoomSettings) -> Vec<UserId> {
        self.admitted.retain(|_, until| *until > now);
        let mut let_in = Vec::new();
        if now < self.opens_at {
            return let_in;
        }
        let until = now + settings.admission;
        while self.admitted.len() < settings.capacity as usize {
            let Some((_, who)) = self.line.pop_first() else {
                break;
            };
            self.arrival.remove(&who);
            self.admitted.insert(who, until);
            let_in.push(who);
        }
        let_in
    }

    fn standing(&self, who: UserId) -> Standing {
        if let Some(until) = self.admitted.get(&who) {
            return Standing::Admitted { until: *until };
        }
        match self.arrival.get(&who) {
            Some(seq) => Standing::Waiting {
                position: self.line.range(..=*seq).count() as u64,
            },
            None => Standing::Absent,
        }
    }
}

/// Rooms kept in this process.
#[derive(Debug, Default)]
pub struct InProcessWaitingRoom {
    rooms: Mutex<HashMap<ShowtimeId, Room>>,
}

#[async_trait]
impl WaitingRoomStore for InProcessWaitingRoom {
    async fn visit(
        &self,
        showtime: ShowtimeId,
        visitor: UserId,
        visit: Visit,
        now: DateTime<Utc>,
        settings: WaitingRoomSettings,
    ) -> Result<VisitOutcome, RoomUnavailable> {
        let mut rooms = self
            .rooms
            .lock()
            .map_err(|_| RoomUnavailable("the room table is poisoned".into()))?;
        rooms.retain(|_, r| r.last_entry + ROOM_KEPT > now);
        let mut entered = false;
        let room = match visit {
            Visit::Enter { opens_at } => {
                let room = rooms
                    .entry(showtime)
                    .or_insert_with(|| Room::new(opens_at, now));
                room.opens_at = opens_at;
                room.last_entry = now;
                if !room.admitted.contains_key(&visitor) && !room.arrival.contains_key(&visitor) {
                    room.next_seq += 1;
                    room.line.insert(room.next_seq, visitor);
                    room.arrival.insert(visitor, room.next_seq);
                    entered = true;
                }
                room
            }
            _ => match rooms.get_mut(&showtime) {
                Some(room) => room,
                None => {
                    return Ok(VisitOutcome {
                        standing: Standing::NoRoom,
                        admitted: Vec::new(),
                        entered: false,
                    });
                }
            },
        };
        let mut spent = None;
        match visit {
            Visit::Leave => {
                room.admitted.remove(&visitor);
                room.drop_from_line(visitor);
            }
            Visit::Spend => {
                spent = room.admitted.remove(&visitor).filter(|until| *until > now);
            }
            Visit::Restore { until } if until > now => {
                room.drop_from_line(visitor);
                room.admitted.insert(visitor, until);
            }
            _ => {}
        }
        let admitted = room.advance(now, settings);
        Ok(VisitOutcome {
            standing: match spent {
                Some(until) => Standing::Admitted { until },
                None => room.standing(visitor),
            },
            admitted,
            entered,
        })
    }
}
