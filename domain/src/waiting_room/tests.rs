//! The same rules for both adapters; the Redis one runs when `TEST_REDIS_URL` is set.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, Utc};

use super::*;
use crate::redis_store::RedisStore;

const SETTINGS: WaitingRoomSettings = WaitingRoomSettings {
    capacity: 2,
    admission: Duration::seconds(60),
};

/// Now, to the millisecond that Redis keeps.
fn now_ms() -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap()
}

fn stores() -> Vec<(&'static str, Arc<dyn WaitingRoomStore>)> {
    let mut stores: Vec<(&'static str, Arc<dyn WaitingRoomStore>)> =
        vec![("in-process", Arc::new(InProcessWaitingRoom::default()))];
    if let Some(url) = crate::redis_store::test_redis_url() {
        let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
        let store = RedisStore::open(&url, &prefix).unwrap();
        stores.push(("redis", Arc::new(RedisWaitingRoom::new(store))));
    }
    stores
}

#[tokio::test]
async fn buyers_are_admitted_in_arrival_order_as_slots_free_up() {
    for (name, store) in stores() {
        let show = ShowtimeId::generate();
        let now = now_ms();
        let enter = Visit::Enter { opens_at: now };
        let buyers: Vec<UserId> = (0..4).map(|_| UserId::generate()).collect();
        let look = async |who: UserId, visit: Visit, at| {
            store
                .visit(show, who, visit, at, SETTINGS)
                .await
                .unwrap()
                .standing
        };
        assert_eq!(
            look(buyers[0], Visit::Look, now).await,
            Standing::NoRoom,
            "{name}"
        );
        for b in &buyers {
            store.visit(show, *b, enter, now, SETTINGS).await.unwrap();
        }
        let until = now + SETTINGS.admission;
        // Entering again keeps the place.
        assert_eq!(
            look(buyers[0], enter, now).await,
            Standing::Admitted { until },
            "{name}"
        );
        assert_eq!(
            look(buyers[1], Visit::Look, now).await,
            Standing::Admitted { until }
        );
        assert_eq!(
            look(buyers[2], Visit::Look, now).await,
            Standing::Waiting { position: 1 }
        );
        assert_eq!(
            look(buyers[3], Visit::Look, now).await,
            Standing::Waiting { position: 2 }
        );
        // A used admission passes to the head of the line, and the visit says whom it let in.
        let used = store
            .visit(show, buyers[0], Visit::Spend, now, SETTINGS)
            .await
            .unwrap();
        assert_eq!(
            (used.standing, used.admitted),
            (Standing::Admitted { until }, vec![buyers[2]]),
            "{name}"
        );
        // Spent once: a second hold on the same admission finds none.
        assert_eq!(
            look(buyers[0], Visit::Spend, now).await,
            Standing::Absent,
            "{name}"
        );
        assert_eq!(
            look(buyers[3], Visit::Look, now).await,
            Standing::Waiting { position: 1 }
        );
        // Leaving does the same; an unused admission lapses by the clock given.
        look(buyers[1], Visit::Leave, now).await;
        assert_eq!(
            look(buyers[3], Visit::Look, now).await,
            Standing::Admitted { until }
        );
        let later = until + Duration::seconds(1);
        assert_eq!(
            look(buyers[3], Visit::Look, later).await,
            Standing::Absent,
            "{name}"
        );
    }
}

#[tokio::test]
async fn nobody_is_admitted_before_the_room_opens() {
    for (name, store) in stores() {
        let show = ShowtimeId::generate();
        let now = now_ms();
        let opens_at = now + Duration::minutes(5);
        let who = UserId::generate();
        let enter = Visit::Enter { opens_at };
        let first = store.visit(show, who, enter, now, SETTINGS).await.unwrap();
        assert_eq!(first.standing, Standing::Waiting { position: 1 }, "{name}");
        let at_opening = store
            .visit(show, who, Visit::Look, opens_at, SETTINGS)
            .await
            .unwrap();
        assert_eq!(
            at_opening.standing,
            Standing::Admitted {
                until: opens_at + SETTINGS.admission
            },
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_crowd_entering_at_once_gets_exactly_capacity_admissions_and_distinct_places() {
    for (name, store) in stores() {
        let show = ShowtimeId::generate();
        let now = now_ms();
        let settings = WaitingRoomSettings {
            capacity: 25,
            admission: Duration::seconds(60),
        };
        let tasks: Vec<_> = (0..300)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    let who = UserId::generate();
                    let enter = Visit::Enter { opens_at: now };
                    store.visit(show, who, enter, now, settings).await.unwrap();
                    store
                        .visit(show, who, Visit::Look, now, settings)
                        .await
                        .unwrap()
                        .standing
                })
            })
            .collect();
        let mut admitted = 0;
        let mut places = HashSet::new();
        for t in tasks {
            match t.await.unwrap() {
                Standing::Admitted { .. } => admitted += 1,
                Standing::Waiting { position } => {
                    places.insert(position);
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(admitted, 25, "{name}");
        // Looks happen while others still enter, so places are distinct, not contiguous.
        assert_eq!(places.len(), 275, "{name}");
    }
}
