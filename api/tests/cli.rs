//! The `marquee` binary as an operator uses it: settings errors, maintenance commands, and
//! a server that starts on the given address and stops cleanly on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

fn marquee(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marquee"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("MARQUEE_SEED_DEMO", "false");
    cmd
}

#[test]
fn export_schema_writes_the_same_sdl_as_the_committed_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schema.graphql");
    let status = marquee(dir.path())
        .arg("export-schema")
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).unwrap();
    assert_eq!(std::fs::read_to_string(out).unwrap(), committed);
}

#[test]
fn seed_adds_back_catalogue_films_that_reindex_then_finds() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = marquee(dir.path())
        .args(["seed", "--archive-titles", "500"])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    let said = String::from_utf8_lossy(&seeded.stdout);
    assert!(said.contains("added 500 back-catalogue films"), "{said}");
    let indexed = marquee(dir.path()).arg("reindex").output().unwrap();
    assert!(indexed.status.success(), "{indexed:?}");
    // The demo catalogue's 200 movies, 60 events and 74 theatres (72 cinemas, an arena and
    // a stadium), the help center's 4 articles, and the 500 films.
    let said = String::from_utf8_lossy(&indexed.stdout);
    assert!(said.contains("indexed 838 documents"), "{said}");
}

#[test]
fn bad_settings_stop_the_start_and_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value, expected) in [
        ("MARQUEE_BIND", "nowhere", "bind"),
        ("MARQUEE_TOKEN_TTL_MINUTES", "0", "token_ttl_minutes"),
        ("MARQUEE_SEATS_PER_ROW", "3", "seats_per_row"),
        ("DATABASE_URL", "mysql://x", "database_url"),
        (
            "MARQUEE_WAITING_ROOM_CAPACITY",
            "0",
            "waiting_room_capacity",
        ),
        (
            "MARQUEE_WAITING_ROOM_ADMISSION_SECONDS",
            "5",
            "waiting_room_admission_seconds",
        ),
    ] {
        let output = marquee(dir.path())
            .arg("migrate")
            .env(key, value)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{key}={value} was accepted");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.to_lowercase().contains(expected), "{key}: {stderr}");
    }
}

#[test]
fn create_admin_then_serve_then_stop_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = marquee(dir.path())
        .args([
            "create-admin",
            "--email",
            "Ops@Example.com",
            "--name",
            "Ops",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(b"an admin password\n")
        .unwrap();
    let out = admin.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("created admin ops@example.com"));

    let mut server = marquee(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let role = runtime.block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .post(format!("{url}/graphql"))
            .json(&serde_json::json!({ "query": "mutation { logIn(email: \"ops@example.com\", password: \"an admin password\") { user { role } } }" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["data"]["logIn"]["user"]["role"].clone()
    });
    assert_eq!(role, "ADMIN");

    let pid = server.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn seed_loads_the_demo_catalog_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = marquee(dir.path()).arg("seed").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("seeded in") && stdout.contains("theatres: 74"),
        "{stdout}"
    );
    let second = marquee(dir.path()).arg("seed").output().unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("nothing seeded"));
}
