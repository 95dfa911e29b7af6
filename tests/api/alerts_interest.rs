//! Interest in titles not yet on sale, per title and city, for staff.

use chrono::Utc;
use serde_json::{Value, json};

use crate::alerts::{NOTIFY, movie};
use crate::helpers::*;

#[tokio::test]
async fn interest_per_title_and_city_is_read_by_platform_admins_and_managers_only() {
    use marquee_entity::{organisation_members, organisations, users};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

    let app = spawn_app_with(|s| s.run_workers = false).await;
    let admin = app.admin().await;
    let wanted = movie(&app, &admin, "Much Wanted").await;
    let quiet = movie(&app, &admin, "Quiet One").await;
    let mut n = 0;
    for (film, city, count) in [
        (&wanted, "Chicago", 3),
        (&wanted, "chicago", 1),
        (&wanted, "Denver", 2),
        (&quiet, "Denver", 1),
    ] {
        for _ in 0..count {
            n += 1;
            let token = app.customer(&format!("fan{n}@example.com")).await;
            app.ok(
                NOTIFY,
                json!({ "i": { "movieId": film, "city": city } }),
                Some(&token),
            )
            .await;
        }
    }
    let token = app.customer("near@example.com").await;
    app.ok(NOTIFY, json!({ "i": { "movieId": quiet, "near": { "lat": 39.7, "lon": -105.0, "radiusKm": 20.0 } } }), Some(&token)).await;

    const INTEREST: &str =
        "query($m: ID) { titleInterest(movieId: $m) { movieId title city count } }";
    let all = app.ok(INTEREST, json!({}), Some(&admin)).await;
    let rows: Vec<(String, Option<String>, i64)> = all["titleInterest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_owned(),
                r["city"].as_str().map(str::to_owned),
                r["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Much Wanted".to_owned(), Some("chicago".to_owned()), 4),
            ("Much Wanted".to_owned(), Some("denver".to_owned()), 2),
            ("Quiet One".to_owned(), None, 1),
            ("Quiet One".to_owned(), Some("denver".to_owned()), 1),
        ]
    );
    // The same as a direct count.
    let direct = sql_texts(&app, "SELECT COUNT(*) FROM title_alerts WHERE status = 'active' AND movie_id = $1 AND LOWER(city) = 'chicago'", [uuid(&wanted)]).await;
    assert_eq!(direct, ["4"]);

    // A manager of a chain reads it too (demand before scheduling); a buyer and a support
    // agent do not.
    let manager = app.customer("manager@example.com").await;
    let agent = app.customer("agent@example.com").await;
    let db = &app.services.db;
    let now = Utc::now();
    let org = organisations::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        name: Set("Chain".into()),
        slug: Set("chain".into()),
        currency: Set("USD".into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
    for (email, role) in [
        ("manager@example.com", "manager"),
        ("agent@example.com", "support"),
    ] {
        let user = users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        organisation_members::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            organisation_id: Set(org.id),
            user_id: Set(user.id),
            role: Set(role.into()),
            refund_limit_cents: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
    }
    let one: Value = app
        .ok(INTEREST, json!({ "m": quiet }), Some(&manager))
        .await;
    let counts: i64 = one["titleInterest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counts, 2);
    for refused in [&agent, &token] {
        let body = app.gql(INTEREST, json!({}), Some(refused)).await;
        assert_eq!(code(&body), "FORBIDDEN", "{body}");
    }
}
