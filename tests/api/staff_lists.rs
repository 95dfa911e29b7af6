//! What the staff panel lists: promotion codes and reviews to moderate, admins only.

use serde_json::{Value, json};

use crate::helpers::*;

const ADD_REVIEW: &str =
    "mutation($m: ID!, $r: Int!) { addReview(movieId: $m, rating: $r, body: \"Seen it.\") { id } }";
const HIDE: &str =
    "mutation($id: ID!, $h: Boolean!) { hideReview(id: $id, hidden: $h) { id hidden } }";
const REVIEWS: &str = "query($h: Boolean, $first: Int, $after: String) { reviews(hidden: $h, first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id hidden rating authorName movie { id title } } } }";
const CREATE_PROMO: &str =
    "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id code } }";
const PROMOS: &str = "query($first: Int, $after: String) { promotions(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id code kind value currency maxUses maxUsesPerUser } } }";

fn ids(conn: &Value) -> Vec<String> {
    conn["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn reviews_to_moderate_include_hidden_ones_page_by_page_for_admins_only() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let mut written = Vec::new();
    for (i, stars) in [5, 3, 1].into_iter().enumerate() {
        let viewer = app.customer(&format!("viewer{i}@example.com")).await;
        let r = app
            .ok(
                ADD_REVIEW,
                json!({ "m": f.movie_id, "r": stars }),
                Some(&viewer),
            )
            .await;
        written.push(r["addReview"]["id"].as_str().unwrap().to_owned());
    }
    let hidden = written[1].clone();
    app.ok(HIDE, json!({ "id": hidden, "h": true }), Some(&f.admin))
        .await;

    // Newest first, the hidden one included, with the movie's title.
    let all = app.ok(REVIEWS, json!({}), Some(&f.admin)).await["reviews"].clone();
    let newest_first: Vec<String> = written.iter().rev().cloned().collect();
    assert_eq!(ids(&all), newest_first);
    assert_eq!(all["nodes"][1]["hidden"], true);
    assert_eq!(all["nodes"][0]["movie"]["title"], "The Last Horizon");

    // Filtered by hidden.
    let only_hidden =
        app.ok(REVIEWS, json!({ "h": true }), Some(&f.admin)).await["reviews"].clone();
    assert_eq!(ids(&only_hidden), vec![hidden.clone()]);
    let only_visible =
        app.ok(REVIEWS, json!({ "h": false }), Some(&f.admin)).await["reviews"].clone();
    assert_eq!(
        ids(&only_visible),
        vec![written[2].clone(), written[0].clone()]
    );

    // Page by page.
    let first = app.ok(REVIEWS, json!({ "first": 2 }), Some(&f.admin)).await["reviews"].clone();
    assert_eq!(ids(&first), newest_first[..2].to_vec());
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(
            REVIEWS,
            json!({ "first": 2, "after": first["pageInfo"]["endCursor"] }),
            Some(&f.admin),
        )
        .await["reviews"]
        .clone();
    assert_eq!(ids(&rest), newest_first[2..].to_vec());
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);

    // Not for buyers, nor for anonymous callers.
    let buyer = app.customer("nosy@example.com").await;
    assert_eq!(
        code(&app.gql(REVIEWS, json!({}), Some(&buyer)).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&app.gql(REVIEWS, json!({}), None).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn promotions_are_listed_newest_first_page_by_page_for_admins_only() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut created = Vec::new();
    for (code, kind, value, currency) in [
        ("SPRING10", "PERCENT", 10, None),
        ("FIVEOFF", "FIXED", 500, Some("USD")),
        ("LATE-SHOW", "PERCENT", 25, None),
    ] {
        let p = app
            .ok(
                CREATE_PROMO,
                json!({ "i": { "code": code, "kind": kind, "value": value, "currency": currency,
                               "startsAt": in_hours(-1), "endsAt": in_hours(24 * 30), "maxUses": 100, "maxUsesPerUser": 1 } }),
                Some(&admin),
            )
            .await;
        created.push(p["createPromotion"]["id"].as_str().unwrap().to_owned());
    }
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();

    let all = app.ok(PROMOS, json!({}), Some(&admin)).await["promotions"].clone();
    assert_eq!(ids(&all), newest_first);
    assert_eq!(all["nodes"][1]["code"], "FIVEOFF");
    assert_eq!(all["nodes"][1]["kind"], "fixed");
    assert_eq!(all["nodes"][1]["value"], 500);
    assert_eq!(all["nodes"][1]["currency"], "USD");
    assert_eq!(all["nodes"][1]["maxUsesPerUser"], 1);

    let first = app.ok(PROMOS, json!({ "first": 2 }), Some(&admin)).await["promotions"].clone();
    assert_eq!(ids(&first), newest_first[..2].to_vec());
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(
            PROMOS,
            json!({ "first": 2, "after": first["pageInfo"]["endCursor"] }),
            Some(&admin),
        )
        .await["promotions"]
        .clone();
    assert_eq!(ids(&rest), newest_first[2..].to_vec());

    let buyer = app.customer("bargain@example.com").await;
    assert_eq!(
        code(&app.gql(PROMOS, json!({}), Some(&buyer)).await),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&app.gql(PROMOS, json!({}), None).await),
        "UNAUTHENTICATED"
    );
}
