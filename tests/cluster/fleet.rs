//! The fleet under test: its `cluster.env`, its processes, and its database (the truth).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

/// A fleet that is up, as `scripts/cluster.sh up` described it.
#[derive(Clone)]
pub struct Fleet {
    env: HashMap<String, String>,
    pub http: reqwest::Client,
}

impl Fleet {
    /// Reads `MARQUEE_CLUSTER_ENV` and checks that the balancer answers; panics otherwise
    /// (a drill without a fleet fails, it never passes by skipping).
    pub async fn up() -> Fleet {
        let path = std::env::var("MARQUEE_CLUSTER_ENV").expect(
            "MARQUEE_CLUSTER_ENV must name the cluster.env of a fleet (scripts/cluster.sh up)",
        );
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (is the fleet up? scripts/cluster.sh up)"));
        let env = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let fleet = Fleet {
            env,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
        };
        let ready = fleet
            .http
            .get(format!("{}/readyz", fleet.balancer()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("the fleet's balancer does not answer: {e}"));
        assert!(ready.status().is_success(), "the fleet is not ready");
        fleet.restart_dead_instances();
        fleet
    }

    /// Starts again an instance a failed drill left dead, so that one failure does not
    /// fail every drill after it.
    fn restart_dead_instances(&self) {
        for n in 1..=self.instances() {
            let alive = std::process::Command::new("kill")
                .args(["-0", &self.instance_pid(n).to_string()])
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap()
                .success();
            if !alive {
                eprintln!("instance {n} was dead: starting it again");
                self.script(&["start-instance", &n.to_string()]);
            }
        }
    }

    pub fn var(&self, key: &str) -> String {
        self.env
            .get(key)
            .unwrap_or_else(|| panic!("{key} is missing from cluster.env"))
            .clone()
    }

    pub fn balancer(&self) -> String {
        self.var("BALANCER_URL")
    }

    pub fn instances(&self) -> usize {
        self.var("INSTANCES").parse().unwrap()
    }

    pub fn instance(&self, n: usize) -> String {
        self.var(&format!("INSTANCE_{n}_URL"))
    }

    /// The pid of instance `n` now (it changes when a drill starts it again).
    pub fn instance_pid(&self, n: usize) -> i32 {
        let file = self.var(&format!("INSTANCE_{n}_PIDFILE"));
        std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .trim()
            .parse()
            .unwrap()
    }

    /// Runs `scripts/cluster.sh ARGS` on this fleet; panics when it fails.
    pub fn script(&self, args: &[&str]) {
        let out = std::process::Command::new(self.var("CLUSTER_SCRIPT"))
            .args(args)
            .env("CLUSTER_DIR", self.var("CLUSTER_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cluster.sh {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The database through the balancer's write port (the Patroni leader).
    pub async fn db(&self) -> DatabaseConnection {
        Database::connect(self.var("DATABASE_URL")).await.unwrap()
    }

    /// Instance `n` answers `/readyz`.
    pub async fn ready(&self, url: &str) -> bool {
        matches!(
            self.http.get(format!("{url}/readyz")).timeout(Duration::from_secs(2)).send().await,
            Ok(r) if r.status().is_success()
        )
    }

    /// Waits until every instance and the balancer are ready again.
    pub async fn wait_healthy(&self, within: Duration) {
        let start = Instant::now();
        loop {
            let mut all = self.ready(&self.balancer()).await;
            for n in 1..=self.instances() {
                all &= self.ready(&self.instance(n)).await;
            }
            if all {
                return;
            }
            assert!(start.elapsed() < within, "the fleet is not healthy again");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

pub fn kill9(pid: i32) {
    let ok = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -9 {pid} failed");
    // Gone only once the kernel has torn it down (a process in the middle of disk I/O
    // outlives its SIGKILL for a moment): what follows must not meet it still there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "pid {pid} still there 20 s after kill -9"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Rows of `sql` as text columns.
pub async fn rows(db: &impl ConnectionTrait, sql: &str) -> Vec<Vec<String>> {
    let backend = db.get_database_backend();
    let found = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    found
        .iter()
        .map(|r| {
            (0..r.column_names().len())
                .map(|i| {
                    r.try_get_by_index::<Option<String>>(i)
                        .unwrap()
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

pub async fn count(db: &impl ConnectionTrait, sql: &str) -> i64 {
    rows(db, &format!("SELECT count(*)::text FROM ({sql}) x")).await[0][0]
        .parse()
        .unwrap()
}

/// Seats of confirmed bookings that another confirmed booking also holds, across every
/// showtime: must always be none.
pub const SOLD_TWICE: &str = "SELECT bs.showtime_id::text, bs.seat_id::text, count(*)::text \
     FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id \
     WHERE b.status = 'confirmed' GROUP BY bs.showtime_id, bs.seat_id HAVING count(*) > 1";

/// Seats with more than one valid ticket, across every showtime: must always be none.
pub const TWO_TICKETS: &str = "SELECT showtime_id::text, seat_id::text FROM tickets \
     WHERE status = 'valid' GROUP BY showtime_id, seat_id HAVING count(*) > 1";

pub async fn assert_no_double_sale(db: &DatabaseConnection) {
    let twice = rows(db, SOLD_TWICE).await;
    assert!(twice.is_empty(), "seats sold twice: {twice:?}");
    let tickets = rows(db, TWO_TICKETS).await;
    assert!(
        tickets.is_empty(),
        "seats with two valid tickets: {tickets:?}"
    );
}
