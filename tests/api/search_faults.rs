//! Every change reaches the index in the end, in order, whatever fails on the way: a
//! reindex that fails is tried again, and a rebuild never puts back what a newer change
//! replaced.

use std::time::{Duration, Instant};

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::events::{DomainEvent, SEAT_CHANGES};
use marquee_search::index::{Kind, SearchDoc, SearchIndex};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;

use crate::helpers::*;
use crate::search::{movie, names, search, until_first};

const RENAME: &str =
    "mutation($id: ID!, $t: String!) { updateMovie(id: $id, input: { title: $t }) { id } }";

/// Polls `done` until it holds, for at most `within`.
async fn until_true<F: Future<Output = bool>>(what: &str, within: Duration, done: impl Fn() -> F) {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < within, "{what}: not after {within:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_rename_whose_reindex_failed_reaches_search_once_the_database_answers_again() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = movie(&app, &admin, "Silent Orchard", &["drama"]).await;
    until_first(
        &app,
        json!({ "q": "silent" }),
        "Silent Orchard",
        Duration::from_secs(2),
    )
    .await;
    let failed_before = app.services.discovery.reindex_failures();

    // A title's document carries its sales: without the tickets table none can be read.
    sql_exec(&app, "ALTER TABLE tickets RENAME TO tickets_away").await;
    app.ok(
        RENAME,
        json!({ "id": id, "t": "Golden Orchard" }),
        Some(&admin),
    )
    .await;
    until_true("the reindex failed", Duration::from_secs(5), || async {
        app.services.discovery.reindex_failures() > failed_before
    })
    .await;
    assert!(names(&search(&app, json!({ "q": "golden" })).await).is_empty());

    sql_exec(&app, "ALTER TABLE tickets_away RENAME TO tickets").await;
    until_first(
        &app,
        json!({ "q": "golden" }),
        "Golden Orchard",
        Duration::from_secs(15),
    )
    .await;
    assert!(names(&search(&app, json!({ "q": "silent" })).await).is_empty());
}

/// PostgreSQL only: the test holds the start-up rebuild between its reads with a table
/// lock, which SQLite (whose readers never wait) cannot do.
#[tokio::test]
async fn a_rename_made_while_the_start_up_rebuild_reads_is_not_undone_by_it_on_postgresql() {
    if !postgresql_only(
        "a_rename_made_while_the_start_up_rebuild_reads_is_not_undone_by_it_on_postgresql",
    ) {
        return;
    }
    let mut database_url = None;
    let before = spawn_app_with(|s| {
        s.run_workers = false;
        database_url = s.database_url.clone();
    })
    .await;
    let admin = before.admin().await;
    let id = movie(&before, &admin, "Quiet Harbour", &["drama"]).await;
    // Kept in the old index under words it no longer has: gone once the rebuild is written.
    let marker = movie(&before, &admin, "Other Film", &["drama"]).await;

    // Published here: the restarted instance hears only what happens after it starts.
    while before.services.relay.try_execute_task().await.unwrap() != ExecutionOutcome::EmptyQueue {}

    // The rebuild reads movies, then events: holding the events table keeps it between.
    let hold = before.services.db.begin().await.unwrap();
    hold.execute_unprepared("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    // An instance restarting with the index it kept: it refreshes that index as it starts.
    let app = spawn_app_with(|s| {
        s.database_url = database_url;
        let kept = SearchIndex::open(&s.data_dir.join("search")).unwrap();
        kept.upsert(&[SearchDoc {
            kind: Some(Kind::Movie),
            id: marker,
            title: "Ghost Sentinel".into(),
            ..SearchDoc::default()
        }])
        .unwrap();
    })
    .await;
    let waiting_on_events = "SELECT CAST(COUNT(*) AS TEXT) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                             WHERE c.relname = 'events' AND NOT l.granted";
    until_true(
        "the rebuild waits on events",
        Duration::from_secs(10),
        || async { sql_texts(&before, waiting_on_events, []).await == ["1"] },
    )
    .await;

    let admin = app.admin().await;
    app.ok(
        RENAME,
        json!({ "id": id, "t": "Bright Harbour" }),
        Some(&admin),
    )
    .await;
    let unpublished = "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE published_at IS NULL";
    until_true(
        "the rename is published",
        Duration::from_secs(5),
        || async { sql_texts(&app, unpublished, []).await == ["0"] },
    )
    .await;
    // Time for a reindex running beside the rebuild to land before it, as it would have.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1)
        && names(&search(&app, json!({ "q": "bright" })).await).is_empty()
    {
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    hold.commit().await.unwrap();
    until_true(
        "the rebuild is written",
        Duration::from_secs(10),
        || async { names(&search(&app, json!({ "q": "sentinel" })).await).is_empty() },
    )
    .await;
    until_first(
        &app,
        json!({ "q": "bright" }),
        "Bright Harbour",
        Duration::from_secs(5),
    )
    .await;
    assert!(names(&search(&app, json!({ "q": "quiet" })).await).is_empty());
}

/// PostgreSQL only: a table lock holds the reindex up, which SQLite cannot do.
#[tokio::test]
async fn an_on_sale_burst_of_events_while_a_reindex_is_held_up_makes_no_rebuild_on_postgresql() {
    if !postgresql_only(
        "an_on_sale_burst_of_events_while_a_reindex_is_held_up_makes_no_rebuild_on_postgresql",
    ) {
        return;
    }
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = movie(&app, &admin, "Patient Tide", &["drama"]).await;
    until_first(
        &app,
        json!({ "q": "patient" }),
        "Patient Tide",
        Duration::from_secs(2),
    )
    .await;
    let rebuilds_before = app.services.discovery.rebuilds_run();

    // The rename's reindex waits on the tickets table while the bus carries an on-sale.
    let hold = app.services.db.begin().await.unwrap();
    hold.execute_unprepared("LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    app.ok(
        RENAME,
        json!({ "id": id, "t": "Restless Tide" }),
        Some(&admin),
    )
    .await;
    let waiting_on_tickets = "SELECT CAST(COUNT(*) AS TEXT) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                              WHERE c.relname = 'tickets' AND NOT l.granted";
    until_true(
        "the reindex waits on tickets",
        Duration::from_secs(5),
        || async { sql_texts(&app, waiting_on_tickets, []).await != ["0"] },
    )
    .await;
    let show = uuid::Uuid::new_v4().to_string();
    for burst in 0..10 {
        let events: Vec<DomainEvent> = (0..1_000)
            .map(|n| DomainEvent {
                id: burst * 1_000 + n,
                topic: SEAT_CHANGES.into(),
                key: show.clone(),
                payload: json!({ "showtimeId": show, "seats": [] }),
                created_at: chrono::Utc::now(),
                seats: None,
                trace_parent: None,
            })
            .collect();
        app.services.events.publish(&events).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    hold.commit().await.unwrap();

    // A later change through the same feed: once it is searchable, all before it was heard.
    app.ok(
        RENAME,
        json!({ "id": id, "t": "Restless Tide Returns" }),
        Some(&admin),
    )
    .await;
    until_first(
        &app,
        json!({ "q": "returns" }),
        "Restless Tide Returns",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        app.services.discovery.rebuilds_run(),
        rebuilds_before,
        "the burst made the index rebuild"
    );
}
