//! Drills of a whole fleet started by `scripts/cluster.sh up`: three instances behind
//! HAProxy, PostgreSQL under Patroni, Redis under Sentinel, Prometheus. They read
//! `MARQUEE_CLUSTER_ENV` (the fleet's `cluster.env`) and fail at once without a fleet.
//! Several stop parts of the fleet and start them again, so they run one at a time:
//!
//!     cargo test -p marquee-tests --test cluster -- --test-threads=1

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backup;
mod client;
mod cross_instance;
mod fleet;
mod instance_kill;
mod onsale;
mod pg_failover;
mod prometheus;
mod redis_failover;
mod sale;
mod standby_reads;
