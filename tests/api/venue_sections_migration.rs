//! Venues built before sections existed: each screen becomes one reserved section holding
//! all of its seats, and row labels are then unique per section, not per screen.

use chrono::Utc;
use marquee_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, Value};
use uuid::Uuid;

use crate::helpers::fresh_database_url;

/// The migrations before venue sections.
const BEFORE_SECTIONS: u32 = 19;

async fn run(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map(|r| r.rows_affected())
}

async fn texts(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Vec<String> {
    let backend = db.get_database_backend();
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .or_else(|_| row.try_get_by_index::<i32>(0).map(|n| n.to_string()))
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn screens_built_before_sections_become_one_section_holding_their_seats() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(&fresh_database_url(dir.path()).await)
        .await
        .expect("the test database");
    Migrator::up(&db, Some(BEFORE_SECTIONS)).await.unwrap();
    let (theatre, screen) = (Uuid::now_v7(), Uuid::now_v7());
    let now = Utc::now();
    run(
        &db,
        "INSERT INTO theatres (id, name, address, city, state, zip, latitude, longitude, timezone, created_at, updated_at) \
         VALUES ($1, 'Old Palace', '1 Main St', 'Springfield', 'IL', '62701', 39.8, -89.6, 'America/Chicago', $2, $2)",
        vec![theatre.into(), now.into()],
    )
    .await
    .unwrap();
    run(
        &db,
        "INSERT INTO screens (id, theatre_id, name, layout, seat_count, schedule_version, created_at) \
         VALUES ($1, $2, 'Screen 1', $3, 3, 0, $4)",
        vec![screen.into(), theatre.into(), serde_json::json!({ "rows": [] }).into(), now.into()],
    )
    .await
    .unwrap();
    for (row, number) in [("A", 1), ("A", 2), ("B", 1)] {
        run(
            &db,
            "INSERT INTO seats (id, screen_id, row_label, number, category, x, y) VALUES ($1, $2, $3, $4, 'standard', $4, 0)",
            vec![Uuid::now_v7().into(), screen.into(), row.into(), number.into()],
        )
        .await
        .unwrap();
    }

    Migrator::up(&db, None).await.unwrap();

    let section = texts(
        &db,
        "SELECT name || ' ' || kind || ' ' || CAST(capacity AS TEXT) FROM sections WHERE screen_id = $1",
        vec![screen.into()],
    )
    .await;
    assert_eq!(section, ["Main reserved 3"]);
    // The section keeps the screen's id, and every seat is in it.
    let in_section = texts(
        &db,
        "SELECT COUNT(*) FROM seats WHERE section_id = $1",
        vec![screen.into()],
    )
    .await;
    assert_eq!(in_section, ["3"]);
    let unplaced = texts(
        &db,
        "SELECT COUNT(*) FROM seats WHERE section_id IS NULL",
        vec![],
    )
    .await;
    assert_eq!(unplaced, ["0"]);

    // Row A seat 1 exists once per section: again in this one is refused, in another one not.
    let seat = "INSERT INTO seats (id, screen_id, section_id, row_label, number, category, x, y) VALUES ($1, $2, $3, 'A', 1, 'standard', 0, 0)";
    let again = run(
        &db,
        seat,
        vec![Uuid::now_v7().into(), screen.into(), screen.into()],
    )
    .await;
    assert!(
        again.is_err(),
        "a second row A seat 1 in one section was stored"
    );
    let other = Uuid::now_v7();
    run(
        &db,
        "INSERT INTO sections (id, screen_id, name, kind, capacity, position) VALUES ($1, $2, '102', 'reserved', 1, 1)",
        vec![other.into(), screen.into()],
    )
    .await
    .unwrap();
    run(
        &db,
        seat,
        vec![Uuid::now_v7().into(), screen.into(), other.into()],
    )
    .await
    .expect("row A seat 1 of another section");
}
