//! Gauges of the queues and of the read replica, set when metrics are scraped: an alert on
//! relay lag, dead letters or overdue reconciliation needs the database's view, the same
//! from every instance, not a count one process kept.

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use marquee_domain::backlog::Backlog;
use marquee_domain::replica::ReadPool;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

type FloatGauge = Gauge<f64, AtomicU64>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

/// The gauges, registered with the server's other families.
pub struct QueueGauges {
    relay_lag: FloatGauge,
    unpublished: FloatGauge,
    dead_letters: FloatGauge,
    payments_due: FloatGauge,
    replica_staleness: FloatGauge,
    replica_reads: Family<PoolLabels, Counter>,
    /// Read counts already added to `replica_reads`, to add only what is new.
    counted: Mutex<(u64, u64)>,
}

impl QueueGauges {
    /// Registers the families.
    pub fn register(registry: &mut Registry) -> Self {
        let g = Self {
            relay_lag: FloatGauge::default(),
            unpublished: FloatGauge::default(),
            dead_letters: FloatGauge::default(),
            payments_due: FloatGauge::default(),
            replica_staleness: FloatGauge::default(),
            replica_reads: Family::default(),
            counted: Mutex::new((0, 0)),
        };
        registry.register(
            "outbox_relay_lag_seconds",
            "Age of the oldest domain event not yet published to the bus (0 when none waits)",
            g.relay_lag.clone(),
        );
        registry.register(
            "outbox_unpublished",
            "Domain events not yet published to the bus",
            g.unpublished.clone(),
        );
        registry.register(
            "email_dead_letters",
            "Emails given up on after their last attempt",
            g.dead_letters.clone(),
        );
        registry.register(
            "payments_awaiting_reconciliation",
            "Unsettled payments whose check with the gateway is due",
            g.payments_due.clone(),
        );
        registry.register(
            "db_replica_staleness_seconds",
            "The read replica's proved staleness (NaN when unproved or none is configured)",
            g.replica_staleness.clone(),
        );
        registry.register(
            "db_stale_reads",
            "Reads that tolerate staleness, by the pool that served them (replica or primary)",
            g.replica_reads.clone(),
        );
        g
    }

    /// Sets the gauges from one reading; `None` (the database did not answer) shows NaN,
    /// so that an alert comparing a value neither fires nor clears on a stale one.
    pub fn record(&self, backlog: Option<Backlog>, reads: &ReadPool) {
        let secs = |d: chrono::Duration| d.num_milliseconds() as f64 / 1000.0;
        match backlog {
            Some(b) => {
                self.relay_lag.set(secs(b.relay_lag));
                self.unpublished.set(b.unpublished as f64);
                self.dead_letters.set(b.dead_letters as f64);
                self.payments_due.set(b.payments_due as f64);
            }
            None => {
                for g in [
                    &self.relay_lag,
                    &self.unpublished,
                    &self.dead_letters,
                    &self.payments_due,
                ] {
                    g.set(f64::NAN);
                }
            }
        }
        self.replica_staleness
            .set(reads.staleness().map_or(f64::NAN, |s| s.as_secs_f64()));
        let (replica, primary) = reads.counts();
        if let Ok(mut counted) = self.counted.lock() {
            self.replica_reads
                .get_or_create(&PoolLabels { pool: "replica" })
                .inc_by(replica.saturating_sub(counted.0));
            self.replica_reads
                .get_or_create(&PoolLabels { pool: "primary" })
                .inc_by(primary.saturating_sub(counted.1));
            *counted = (replica.max(counted.0), primary.max(counted.1));
        }
    }
}
