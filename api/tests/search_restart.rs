//! The search index survives restarts, and a lost or corrupt index is rebuilt at start
//! without failing the server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{create_admin, log_in, ok, start};
use serde_json::{Value, json};

const SEARCH: &str = "query($q: String) { search(query: $q) { edges { node { item { ... on Movie { title } } } } } }";

async fn titles(url: &str, q: &str) -> Vec<Value> {
    ok(url, None, SEARCH, json!({ "q": q })).await["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["item"]["title"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_or_corrupt_index_is_rebuilt_at_start() {
    let dir = tempfile::tempdir().unwrap();
    create_admin(dir.path(), "ops@example.com", "an admin password");
    let mut server = start(dir.path(), "first", &[]);
    let admin = log_in(&server.url, "ops@example.com", "an admin password").await;
    ok(
        &server.url,
        Some(&admin),
        "mutation { createMovie(input: { title: \"Persistence of Vision\", runtimeMinutes: 90, releaseDate: \"2026-01-01\" }) { id } }",
        json!({}),
    )
    .await;
    let mut found = Vec::new();
    for _ in 0..40 {
        found = titles(&server.url, "persistance").await;
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(found, vec![json!("Persistence of Vision")]);
    server.kill();

    // Kept across a restart.
    let mut server = start(dir.path(), "second", &[]);
    assert_eq!(titles(&server.url, "vision").await.len(), 1);
    server.kill();

    // Deleted: rebuilt before the server answers.
    let index = dir.path().join("search");
    std::fs::remove_dir_all(&index).unwrap();
    let mut server = start(dir.path(), "third", &[]);
    assert_eq!(titles(&server.url, "vision").await.len(), 1);
    server.kill();

    // Corrupt: started anew and rebuilt.
    std::fs::write(index.join("meta.json"), b"{ not json").unwrap();
    let server = start(dir.path(), "fourth", &[]);
    assert_eq!(titles(&server.url, "vision").await.len(), 1);
    drop(server);

    // And by hand, with the server stopped.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marquee"))
        .args(["reindex", "--data-dir"])
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("MARQUEE_SEED_DEMO", "false")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("indexed 1 documents"));
}
