//! Hold expiry is judged by the clock of the instance that takes the seats. An instance
//! whose clock ran ahead would see another buyer's hold as lapsed early and take it, so an
//! instance compares its clock with the database's now and then, and while the two differ
//! by more than the bound it refuses to hold or sell seats. Holds are therefore never taken
//! more than that bound early.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use crate::clock::SharedClock;

/// How long a measurement is trusted before the next one.
const MEASURE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Compares this instance's clock with the database's.
pub struct SkewGuard {
    db: DatabaseConnection,
    clock: SharedClock,
    /// The largest difference tolerated; `None` turns the check off.
    bound: Option<Duration>,
    last: Mutex<Option<(Instant, Duration)>>,
}

/// This instance's clock is too far from the database's.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error(
    "this server's clock differs from the database's by {skew_ms} ms (at most {bound_ms} ms allowed)"
)]
pub struct ClockSkewed {
    /// The difference measured (positive: this clock is ahead).
    pub skew_ms: i64,
    /// The bound.
    pub bound_ms: i64,
}

impl SkewGuard {
    /// A guard with the given bound (`None`: no check).
    pub fn new(db: DatabaseConnection, clock: SharedClock, bound: Option<Duration>) -> Self {
        Self {
            db,
            clock,
            bound,
            last: Mutex::new(None),
        }
    }

    /// Refuses while the last measurement (at most ten seconds old) is out of bounds. A
    /// database that cannot be asked lets the caller through: its own statements fail then.
    pub async fn check(&self) -> Result<(), ClockSkewed> {
        let Some(bound) = self.bound else {
            return Ok(());
        };
        let cached = self
            .last
            .lock()
            .ok()
            .and_then(|l| *l)
            .filter(|(at, _)| at.elapsed() < MEASURE_EVERY)
            .map(|(_, skew)| skew);
        let skew = match cached {
            Some(skew) => skew,
            None => match self.measure().await {
                Ok(skew) => {
                    if let Ok(mut last) = self.last.lock() {
                        *last = Some((Instant::now(), skew));
                    }
                    skew
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not compare the clock with the database's");
                    return Ok(());
                }
            },
        };
        if skew.abs() > bound {
            tracing::error!(
                skew_ms = skew.num_milliseconds(),
                "clock skew beyond the bound; refusing holds"
            );
            return Err(ClockSkewed {
                skew_ms: skew.num_milliseconds(),
                bound_ms: bound.num_milliseconds(),
            });
        }
        Ok(())
    }

    /// This clock minus the database's, the round trip halved away.
    pub async fn measure(&self) -> Result<Duration, DbErr> {
        let backend = self.db.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => {
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS t"
            }
            _ => "SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now') AS t",
        };
        let before = self.clock.now();
        let row = self
            .db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
            .ok_or_else(|| DbErr::Custom("the database did not tell its time".into()))?;
        let after = self.clock.now();
        let text: String = row.try_get("", "t")?;
        let theirs: DateTime<Utc> = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|e| DbErr::Custom(format!("the database's time `{text}`: {e}")))?
            .and_utc();
        let ours = before + (after - before) / 2;
        Ok(ours - theirs)
    }
}
