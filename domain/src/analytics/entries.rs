//! Waiting-room entries for the sales figures. A room lives in Redis (or memory), not in
//! the database, so entries are counted here per showtime and written to the outbox at
//! most once a second per showtime: a herd lining up at an on-sale costs a row a second,
//! not a row a buyer. The rollup worker adds them up like booking changes. Entries counted
//! in the second before a crash are lost; nothing is counted twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use marquee_entity::outbox;
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

use crate::clock::SharedClock;
use crate::ids::ShowtimeId;

/// The outbox topic of waiting-room entries; its key is the showtime, its payload carries
/// how many buyers took a place in line.
pub const WAITING_ROOM_ENTERED: &str = "waiting_room.entered";

/// How long entries are gathered before they are written.
const GATHER: Duration = Duration::from_secs(1);

/// Entries not yet written, per showtime.
#[derive(Clone)]
pub struct EntryTally {
    db: DatabaseConnection,
    clock: SharedClock,
    pending: Arc<Mutex<HashMap<Uuid, i64>>>,
}

impl EntryTally {
    /// Wires the tally.
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self {
            db,
            clock,
            pending: Arc::default(),
        }
    }

    /// Counts `n` new places in the line of `showtime`; they are written within a second.
    pub fn record(&self, showtime: ShowtimeId, n: i64) {
        self.add(HashMap::from([(showtime.uuid(), n)]));
    }

    fn add(&self, counts: HashMap<Uuid, i64>) {
        let first = {
            let Ok(mut pending) = self.pending.lock() else {
                return;
            };
            let first = pending.is_empty();
            for (showtime, n) in counts {
                *pending.entry(showtime).or_default() += n;
            }
            first
        };
        // The first count of a gathering schedules its write.
        if first {
            let this = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(GATHER).await;
                this.flush().await;
            });
        }
    }

    /// Writes what was gathered; kept for the next write if the database refuses it.
    async fn flush(&self) {
        let taken = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return,
        };
        if taken.is_empty() {
            return;
        }
        let now = self.clock.now();
        let rows = taken.iter().map(|(showtime, n)| outbox::ActiveModel {
            topic: Set(WAITING_ROOM_ENTERED.to_owned()),
            key: Set(showtime.to_string()),
            payload: Set(serde_json::json!({ "showtimeId": showtime, "entries": n })),
            created_at: Set(now),
            published_at: Set(None),
            // Nothing in the inbox comes of it; only the rollups read it.
            derived_at: Set(Some(now)),
            exported_at: Set(None),
            rolled_up_at: Set(None),
            attempts: Set(0),
            trace_parent: Set(None),
            ..Default::default()
        });
        if let Err(e) = outbox::Entity::insert_many(rows).exec(&self.db).await {
            tracing::warn!(error = %e, "writing waiting-room entries failed; retrying");
            tokio::time::sleep(GATHER).await;
            self.add(taken);
        }
    }
}
