//! Help articles: written by platform admins (the platform's) and managers (their
//! organisation's), searched by buyers through the search index with typos forgiven, and
//! gone from search once withdrawn.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::support_setup::*;

const CREATE: &str = "mutation($o: ID, $i: HelpArticleInput!) { createHelpArticle(organisationId: $o, input: $i) { id published organisationId } }";
const UPDATE: &str = "mutation($id: ID!, $i: HelpArticleInput!) { updateHelpArticle(id: $id, input: $i) { id published } }";
const SEARCH: &str = "query($q: String!) { searchHelp(query: $q) { id title } }";

fn article(category: &str, title: &str, body: &str, published: bool) -> Value {
    json!({ "category": category, "title": title, "body": body, "published": published })
}

/// Waits until searching `query` finds exactly `want` (the index follows the change feed).
async fn search_until(app: &TestApp, query: &str, want: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for _ in 0..100 {
        let data = app.ok(SEARCH, json!({ "q": query }), None).await;
        found = data["searchHelp"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        if found == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    found
}

#[tokio::test]
async fn buyers_find_published_help_articles_by_search_and_only_the_right_staff_write_them() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let a = organisation(&app, "Article Chain A").await;
    let b = organisation(&app, "Article Chain B").await;
    let (manager_a, _) = member(&app, a, "manager@a-articles.test", "manager", None).await;
    let (agent_a, _) = member(&app, a, "agent@a-articles.test", "support", None).await;
    let (manager_b, _) = member(&app, b, "manager@b-articles.test", "manager", None).await;
    let buyer = app.customer("reader@example.test").await;

    let platform = app
        .ok(
            CREATE,
            json!({ "o": null, "i": article("accessibility", "Wheelchair seating", "Accessible seats are marked on the seat map.", true) }),
            Some(&admin),
        )
        .await;
    let platform_id = platform["createHelpArticle"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let chain = app
        .ok(
            CREATE,
            json!({ "o": a.to_string(), "i": article("refunds", "Refunds at Chain A", "Refund requests go through support.", true) }),
            Some(&manager_a),
        )
        .await;
    let chain_id = chain["createHelpArticle"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = app
        .ok(
            CREATE,
            json!({ "o": a.to_string(), "i": article("payments", "Wheelchair payments draft", "Not ready.", false) }),
            Some(&manager_a),
        )
        .await;
    assert_eq!(draft["createHelpArticle"]["published"], false);

    // Typos forgiven; drafts never found.
    assert_eq!(
        search_until(&app, "wheelchiar", &[&platform_id]).await,
        [platform_id.as_str()]
    );
    assert_eq!(
        search_until(&app, "refund requests", &[&chain_id]).await,
        [chain_id.as_str()]
    );
    // Title searches never list articles.
    let titles = app
        .ok(
            "{ search(query: \"wheelchair\") { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(titles["search"]["edges"], json!([]), "{titles}");

    let read = app
        .ok(
            "query($id: ID!) { helpArticle(id: $id) { title body } }",
            json!({ "id": platform_id }),
            Some(&buyer),
        )
        .await;
    assert_eq!(read["helpArticle"]["title"], "Wheelchair seating");

    // Who may write what.
    for (token, org, why) in [
        (&buyer, Value::Null, "a buyer"),
        (
            &manager_a,
            Value::Null,
            "a manager writing for the platform",
        ),
        (&agent_a, json!(a.to_string()), "an agent"),
        (&manager_b, json!(a.to_string()), "another chain's manager"),
    ] {
        let refused = app
            .gql(
                CREATE,
                json!({ "o": org, "i": article("other", "Nope", "Nope.", true) }),
                Some(token),
            )
            .await;
        assert_eq!(code(&refused), "FORBIDDEN", "{why}: {refused}");
    }
    let across = app
        .gql(
            UPDATE,
            json!({ "id": chain_id, "i": article("refunds", "Taken over", "x", true) }),
            Some(&manager_b),
        )
        .await;
    assert_eq!(code(&across), "NOT_FOUND");
    let bad = app
        .gql(
            CREATE,
            json!({ "o": null, "i": article("gossip", "x", "y", true) }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");

    // Withdrawn: gone from search and from buyers.
    app.ok(
        UPDATE,
        json!({ "id": chain_id, "i": article("refunds", "Refunds at Chain A", "Refund requests go through support.", false) }),
        Some(&manager_a),
    )
    .await;
    assert!(search_until(&app, "refund requests", &[]).await.is_empty());
    let gone = app
        .gql(
            "query($id: ID!) { helpArticle(id: $id) { title } }",
            json!({ "id": chain_id }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&gone), "NOT_FOUND");
    let audited = sql_texts(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'help_article'",
        [],
    )
    .await;
    assert_eq!(audited, ["4"]);
}
