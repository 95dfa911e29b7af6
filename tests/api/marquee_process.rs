//! The real `marquee` binary as a child process, for what one process can hold only once
//! (its global tracing subscriber): built by cargo, configured by `MARQUEE_*` variables
//! alone, on its own data folder and database, and stopped by SIGTERM as a supervisor would.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{Backend, backend, fresh_database_url};

const ADMIN_EMAIL: &str = "boss@marquee.test";
const ADMIN_PASSWORD: &str = "admin password";

/// A running `marquee serve`.
pub struct MarqueeProcess {
    pub address: String,
    pub client: reqwest::Client,
    /// The database it runs on, to read the truth behind the API.
    pub database_url: String,
    child: Child,
    dir: tempfile::TempDir,
}

/// The `CARGO_…` variables that configure cargo itself (the others describe this test's
/// package).
const CARGO_SETTINGS: [&str; 11] = [
    "CARGO_HOME",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_",
    "CARGO_PROFILE_",
    "CARGO_NET_",
    "CARGO_HTTP_",
    "CARGO_REGISTRIES_",
    "CARGO_REGISTRY_",
    "CARGO_TERM_",
    "CARGO_INCREMENTAL",
    "CARGO_UNSTABLE_",
];

/// The `marquee` binary next to this test binary, brought up to date by cargo once per run
/// (a dev-dependency builds the library only, not the binary).
async fn binary() -> PathBuf {
    static BUILT: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
    BUILT
        .get_or_init(|| async {
            let exe = std::env::current_exe().unwrap();
            // target/<profile>/deps/api-…
            let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
            let target_dir = profile_dir.parent().unwrap();
            let mut build = Command::new(env!("CARGO"));
            // Without what cargo told this test about its own package: build scripts that
            // watch those variables (ring's, for one) would otherwise be rerun, and the
            // binary rebuilt, every time a test or a shell builds it in turn.
            for (name, _) in std::env::vars_os() {
                let name = name.to_string_lossy();
                if (name.starts_with("CARGO_")
                    && !CARGO_SETTINGS.iter().any(|s| name.starts_with(s)))
                    || name == "OUT_DIR"
                {
                    build.env_remove(name.as_ref());
                }
            }
            build
                .args(["build", "--quiet", "-p", "marquee", "--bin", "marquee"])
                .arg("--target-dir")
                .arg(target_dir)
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
            if profile_dir.file_name().is_some_and(|n| n == "release") {
                build.arg("--release");
            }
            let status = build.status().await.expect("run cargo build");
            assert!(status.success(), "cargo build -p marquee failed");
            profile_dir.join("marquee")
        })
        .await
        .clone()
}

impl MarqueeProcess {
    /// Starts a server with an admin account, its settings plus `extra` (`MARQUEE_*` names).
    pub async fn start(extra: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        let mut env: Vec<(String, String)> = vec![
            ("MARQUEE_BIND".into(), "127.0.0.1:0".into()),
            ("MARQUEE_DATA_DIR".into(), dir.path().display().to_string()),
            ("MARQUEE_DATABASE_URL".into(), database_url.clone()),
            ("MARQUEE_DATABASE_MAX_CONNECTIONS".into(), "5".into()),
            (
                "MARQUEE_JWT_SECRET".into(),
                "test-secret-test-secret-test-secret!".into(),
            ),
            ("MARQUEE_SEED_DEMO".into(), "false".into()),
            ("MARQUEE_MAX_CLOCK_SKEW_MS".into(), "0".into()),
            ("MARQUEE_RATE_LIMITS".into(), "false".into()),
            (
                "MARQUEE_LOG_FILTER".into(),
                "info,sqlx=warn,sea_orm=warn".into(),
            ),
        ];
        if let Backend::Postgres { redis, .. } = backend() {
            env.push(("MARQUEE_REDIS_URL".into(), redis));
            env.push((
                "MARQUEE_REDIS_PREFIX".into(),
                format!("test:{}:", uuid::Uuid::new_v4().simple()),
            ));
        }
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let bin = binary().await;
        let command = |args: &[&str]| {
            let mut c = Command::new(&bin);
            c.args(args)
                .env_clear()
                .envs(env.iter().cloned())
                .kill_on_drop(true);
            c
        };
        // The admin the way an operator makes one (this also migrates the database).
        let mut admin = command(&["create-admin", "--email", ADMIN_EMAIL])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start marquee create-admin");
        let mut stdin = admin.stdin.take().unwrap();
        stdin
            .write_all(format!("{ADMIN_PASSWORD}\n").as_bytes())
            .await
            .unwrap();
        drop(stdin);
        assert!(admin.wait().await.unwrap().success(), "create-admin failed");
        let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
        let mut child = command(&["serve"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start marquee serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(addr) = line.strip_prefix("Marquee is listening on ") {
                    return addr.trim().to_owned();
                }
            }
            panic!("marquee exited before listening");
        })
        .await
        .expect("marquee listening within a minute");
        // The rest of its standard output is a few lines of addresses: read and dropped.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            address,
            client: reqwest::Client::new(),
            database_url,
            child,
            dir,
        }
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The emails it wrote (no SMTP server is set: `.eml` files under `data_dir/mail`).
    pub fn mails(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path().join("mail"))
            .map(|entries| {
                entries
                    .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Stops it with SIGTERM and waits for it to end (it finishes its requests and
    /// flushes what it still holds first); fails if it ends badly or not within 30 s.
    pub async fn stop(mut self) {
        let pid = self.child.id().expect("still running").to_string();
        let signalled = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(signalled.success());
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("marquee stops within 30 s of SIGTERM")
            .unwrap();
        assert!(
            status.success(),
            "marquee ended with {status}: {}",
            self.log()
        );
    }

    /// POSTs a GraphQL operation with extra headers; returns the response's `traceparent`
    /// header (if any) and its JSON.
    pub async fn post(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> (Option<String>, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_success(), "HTTP {}", resp.status());
        let traceparent = resp
            .headers()
            .get("traceparent")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = resp.json().await.unwrap();
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        (traceparent, body["data"].clone())
    }

    /// [`Self::post`] without headers; returns `data`.
    pub async fn ok(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.post(query, variables, token, &[]).await.1
    }

    /// The admin's token.
    pub async fn admin(&self) -> String {
        let data = self
            .ok(
                "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }",
                json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
                None,
            )
            .await;
        data["logIn"]["token"].as_str().unwrap().to_owned()
    }
}
