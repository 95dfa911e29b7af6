//! Reads that may be a little stale: served by a streaming standby while it is provably
//! within its staleness bound, else by the primary.
//!
//! The bound is proved, not guessed from timestamps (an idle primary makes
//! `pg_last_xact_replay_timestamp` look old, and a clock step makes it look new): a monitor
//! samples the primary's WAL insert position now and then, and the standby's replay
//! position. Once the standby has replayed past a sample taken at `t`, everything the
//! primary committed before `t` is visible on the standby, so its staleness is at most
//! `now - t`. A standby that cannot be reached, or has not replayed a sample taken within
//! the bound, sends reads back to the primary until it catches up.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};

use crate::db::{self, DbSettings};

/// Which pool answered a stale-tolerant read, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadSource {
    /// The streaming standby.
    Replica,
    /// The primary (no standby, or it is too far behind or unreachable).
    Primary,
}

/// How to reach the standby and how stale it may be.
#[derive(Clone)]
pub struct ReplicaSettings {
    /// The standby (or a balancer port in front of standbys).
    pub database: DbSettings,
    /// Reads go to the primary while the standby may be staler than this.
    pub max_lag: Duration,
}

/// The pool for reads that tolerate bounded staleness.
#[derive(Clone)]
pub struct ReadPool {
    primary: DatabaseConnection,
    replica: Option<Arc<Replica>>,
}

struct Replica {
    db: DatabaseConnection,
    /// Whether the last check proved the standby within its bound.
    fresh: AtomicBool,
    /// The staleness bound proved by the last check, in milliseconds (`u64::MAX`: none).
    staleness_ms: AtomicU64,
    served: AtomicU64,
    passed: AtomicU64,
}

impl ReadPool {
    /// Every read on the primary.
    pub fn primary_only(primary: DatabaseConnection) -> Self {
        Self {
            primary,
            replica: None,
        }
    }

    /// Connects to the standby and starts the monitor that proves its staleness; until the
    /// first proof, reads go to the primary. PostgreSQL only.
    pub async fn with_replica(
        primary: DatabaseConnection,
        primary_settings: &DbSettings,
        settings: &ReplicaSettings,
    ) -> Result<Self, DbErr> {
        if primary.get_database_backend() != DbBackend::Postgres {
            return Err(DbErr::Custom(
                "a read replica needs PostgreSQL as the database of record".into(),
            ));
        }
        // Lazily: a standby that is down (or has not yet replayed this database's creation)
        // must not keep the instance from starting; reads then go to the primary.
        let mut opts = ConnectOptions::new(settings.database.url.clone());
        opts.max_connections(settings.database.max_connections)
            .min_connections(0)
            .connect_lazy(true)
            .acquire_timeout(settings.database.acquire_timeout)
            .sqlx_logging(false);
        let db = Database::connect(opts).await?;
        let replica = Arc::new(Replica {
            db,
            fresh: AtomicBool::new(false),
            staleness_ms: AtomicU64::new(u64::MAX),
            served: AtomicU64::new(0),
            passed: AtomicU64::new(0),
        });
        // A connection of its own: in an on-sale requests queue for the primary's pool, and
        // a probe stuck behind them would send every read to the primary.
        let probe = db::connect(&DbSettings {
            max_connections: 1,
            observer: None,
            ..primary_settings.clone()
        })
        .await?;
        tokio::spawn(monitor(probe, Arc::downgrade(&replica), settings.max_lag));
        Ok(Self {
            primary,
            replica: Some(replica),
        })
    }

    /// The connection for a read that tolerates the configured staleness.
    pub fn get(&self) -> &DatabaseConnection {
        self.pick().0
    }

    /// The connection and where it goes.
    pub fn pick(&self) -> (&DatabaseConnection, ReadSource) {
        match &self.replica {
            Some(r) if r.fresh.load(Ordering::Relaxed) => {
                r.served.fetch_add(1, Ordering::Relaxed);
                (&r.db, ReadSource::Replica)
            }
            Some(r) => {
                r.passed.fetch_add(1, Ordering::Relaxed);
                (&self.primary, ReadSource::Primary)
            }
            None => (&self.primary, ReadSource::Primary),
        }
    }

    /// The standby's proved staleness (`None`: no standby, or none proved lately).
    pub fn staleness(&self) -> Option<Duration> {
        let r = self.replica.as_ref()?;
        match r.staleness_ms.load(Ordering::Relaxed) {
            u64::MAX => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    /// Whether a standby is configured.
    pub fn has_replica(&self) -> bool {
        self.replica.is_some()
    }

    /// Reads served by the standby and reads sent back to the primary since start.
    pub fn counts(&self) -> (u64, u64) {
        self.replica.as_ref().map_or((0, 0), |r| {
            (
                r.served.load(Ordering::Relaxed),
                r.passed.load(Ordering::Relaxed),
            )
        })
    }
}

/// Parses a `pg_lsn` text (`16/B374D848`) into its 64-bit position.
fn parse_lsn(text: &str) -> Option<u64> {
    let (hi, lo) = text.split_once('/')?;
    Some((u64::from_str_radix(hi, 16).ok()? << 32) | u64::from_str_radix(lo, 16).ok()?)
}

async fn primary_position(db: &DatabaseConnection) -> Result<Option<u64>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_current_wal_lsn()::text AS lsn",
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<String>("", "lsn").ok())
        .and_then(|t| parse_lsn(&t)))
}

/// `None` when the node is not in recovery (a promoted standby, or a balancer that fell
/// back to the primary): then it holds every commit.
async fn replay_position(db: &DatabaseConnection) -> Result<Option<u64>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no row".into()))?;
    let standby: bool = row.try_get("", "standby")?;
    if !standby {
        return Ok(None);
    }
    let lsn: Option<String> = row.try_get("", "lsn")?;
    Ok(Some(lsn.as_deref().and_then(parse_lsn).unwrap_or(0)))
}

/// Samples positions until the pool is dropped.
async fn monitor(
    primary: DatabaseConnection,
    replica: std::sync::Weak<Replica>,
    max_lag: Duration,
) {
    let tick = (max_lag / 4).clamp(Duration::from_millis(25), Duration::from_millis(500));
    let mut samples: VecDeque<(Instant, u64)> = VecDeque::new();
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let Some(r) = replica.upgrade() else { return };
        let staleness = check(&primary, &r.db, &mut samples, max_lag).await;
        let fresh = staleness.is_some_and(|s| s <= max_lag);
        let ms = staleness.map_or(u64::MAX, |s| {
            u64::try_from(s.as_millis()).unwrap_or(u64::MAX - 1)
        });
        r.staleness_ms.store(ms, Ordering::Relaxed);
        if r.fresh.swap(fresh, Ordering::Relaxed) != fresh {
            tracing::info!(fresh, staleness_ms = ms, "read replica switched");
        }
    }
}

/// One round: the staleness bound now proved, if any.
async fn check(
    primary: &DatabaseConnection,
    replica: &DatabaseConnection,
    samples: &mut VecDeque<(Instant, u64)>,
    max_lag: Duration,
) -> Option<Duration> {
    let taken = Instant::now();
    if let Ok(Some(lsn)) = primary_position(primary).await {
        samples.push_back((taken, lsn));
    }
    let replayed = match replay_position(replica).await {
        Ok(None) => {
            samples.clear();
            return Some(Duration::ZERO);
        }
        Ok(Some(lsn)) => lsn,
        Err(e) => {
            tracing::debug!(error = %e, "read replica unreachable");
            return None;
        }
    };
    let now = Instant::now();
    // The newest sample the standby has replayed past bounds its staleness; older samples
    // can never bound it better again.
    let reached = samples.iter().rposition(|(_, lsn)| *lsn <= replayed);
    let bound = reached.map(|i| {
        let at = samples[i].0;
        samples.drain(..i);
        now.duration_since(at)
    });
    // Samples older than a few bounds only matter to a standby that is far behind anyway.
    let horizon = max_lag.saturating_mul(8).max(Duration::from_secs(10));
    while samples.len() > 1
        && samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > horizon)
    {
        samples.pop_front();
    }
    bound
}

#[cfg(test)]
mod tests {
    use super::parse_lsn;

    #[test]
    fn lsn_text_is_read_as_one_position() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
        assert_eq!(parse_lsn("nonsense"), None);
        assert!(parse_lsn("1/0") > parse_lsn("0/FFFFFFFF"));
    }
}
