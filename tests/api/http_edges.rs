//! Bad requests get coded errors, never a 500 or a panic, and change nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn post_raw(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn malformed_json_gets_a_coded_400() {
    let app = spawn_app().await;
    for body in ["{not json", "", "[]", "{\"query\": 42}", "null"] {
        let (status, json) = post_raw(&app, "application/json", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(code(&json), "BAD_REQUEST", "{body:?}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_coded_413() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"query\": \"{{ movies {{ edges {{ cursor }} }} }}\", \"variables\": {{\"pad\": \"{}\"}}}}",
        "x".repeat(400 * 1024)
    );
    let (status, json) = post_raw(&app, "application/json", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&json), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn a_non_json_media_type_gets_a_coded_415() {
    let app = spawn_app().await;
    let (status, json) = post_raw(&app, "text/plain", "{ movies { edges { cursor } } }").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&json), "UNSUPPORTED_MEDIA_TYPE");
}

#[tokio::test]
async fn an_over_deep_query_is_refused_before_it_runs() {
    let app = spawn_app().await;
    let mut q = String::from("id");
    for _ in 0..8 {
        q = format!("theatre {{ screens {{ {q} }} }}");
    }
    let deep = format!("{{ showtimes {{ {q} }} }}");
    let body = app.gql(&deep, json!({}), None).await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deep"),
        "{body}"
    );
}

#[tokio::test]
async fn an_over_complex_query_is_refused() {
    let app = spawn_app_with(|s| s.graphql_max_complexity = 60).await;
    let fields: String = (0..70)
        .map(|i| format!("a{i}: movies {{ pageInfo {{ hasNextPage }} }} "))
        .collect();
    let body = app.gql(&format!("{{ {fields} }}"), json!({}), None).await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn syntax_errors_unknown_fields_and_bad_argument_types_are_coded() {
    let app = spawn_app().await;
    assert_eq!(
        code(&app.gql("{ movies { ", json!({}), None).await),
        "GRAPHQL_PARSE_FAILED"
    );
    assert_eq!(
        code(&app.gql("{ nothingHere }", json!({}), None).await),
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert_eq!(
        code(
            &app.gql(
                "{ movies(first: \"ten\") { edges { cursor } } }",
                json!({}),
                None
            )
            .await
        ),
        "GRAPHQL_VALIDATION_FAILED"
    );
    let body = app
        .gql(
            "query($f: Int) { movies(first: $f) { edges { cursor } } }",
            json!({ "f": "ten" }),
            None,
        )
        .await;
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );
    assert_eq!(
        code(
            &app.gql("{ showtime(id: \"x\") { id } }", json!({}), None)
                .await
        ),
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn the_modern_media_type_gets_400_for_documents_that_never_ran() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ nothingHere }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );
}

#[tokio::test]
async fn the_modern_media_type_gets_no_data_entry_for_documents_that_never_ran() {
    let app = spawn_app().await;
    let post = |accept: &'static str, query: &'static str, variables: Value| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("accept", accept)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
    };
    let modern = "application/graphql-response+json";
    let never_ran = [
        ("{", json!({})),
        ("{ nothingHere }", json!({})),
        (
            "query($f: Int) { movies(first: $f) { edges { cursor } } }",
            json!({ "f": "ten" }),
        ),
    ];
    for (query, variables) in never_ran {
        let resp = post(modern, query, variables).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = resp.json().await.unwrap();
        assert!(body.get("data").is_none(), "{query}: {body}");
        assert!(
            body["errors"][0]["extensions"]["code"].is_string(),
            "{body}"
        );
    }
    // A request that ran keeps its data, even when a field failed.
    let resp = post(modern, "{ me { id } }", json!({})).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert!(body.get("data").is_some(), "{body}");
    // Classic clients keep `data: null`.
    let resp = post("application/json", "{ nothingHere }", json!({}))
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["data"].is_null() && body.get("data").is_some(),
        "{body}"
    );
}

#[tokio::test]
async fn get_serves_graphiql_runs_queries_and_refuses_mutations() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    let q = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ movies { edges { cursor } } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(q.status(), StatusCode::OK);
    let m = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "mutation { deleteAccount(password: \"x\") }")])
        .send()
        .await
        .unwrap();
    assert_eq!(m.status(), StatusCode::METHOD_NOT_ALLOWED);
    let json: Value = m.json().await.unwrap();
    assert_eq!(code(&json), "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn unknown_routes_get_a_coded_404_and_every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/nope", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.headers().contains_key("x-request-id"));
    let json: Value = resp.json().await.unwrap();
    assert_eq!(code(&json), "NOT_FOUND");
}

#[tokio::test]
async fn batches_run_each_operation_and_are_bounded() {
    let app = spawn_app().await;
    let batch =
        json!([{ "query": "{ movies { edges { cursor } } }" }, { "query": "{ me { id } }" }]);
    let resp = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&batch)
        .send()
        .await
        .unwrap();
    let json: Value = resp.json().await.unwrap();
    assert!(json[0]["data"]["movies"].is_object());
    assert_eq!(
        json[1]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let too_many: Vec<Value> = (0..21)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let resp = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}
