//! What a public server shows of itself: introspection and GraphiQL follow their
//! settings, and are off by default with a real payment gateway; readiness names failed
//! checks without their causes; metric labels stay bounded whatever clients send.

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::*;

const INTROSPECT: &str = "{ __schema { queryType { name } } }";

fn stripe(s: &mut marquee::config::Settings) {
    s.payment_gateway = "stripe".into();
    s.stripe_secret_key = Some(SecretString::from("sk_test_marquee".to_owned()));
    s.stripe_api_base = Some("http://127.0.0.1:9".into());
}

/// Whether the server answers introspection, and whether it serves GraphiQL.
async fn shows(app: &TestApp) -> (bool, bool) {
    let body = app.gql(INTROSPECT, json!({}), None).await;
    let introspects = body["data"]["__schema"]["queryType"]["name"] == "Query";
    if !introspects {
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    }
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .unwrap();
    let status = page.status();
    let text = page.text().await.unwrap();
    let graphiql = status == StatusCode::OK && text.to_lowercase().contains("graphiql");
    if !graphiql {
        assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    }
    // Plain queries work either way.
    app.ok("{ movies { edges { cursor } } }", json!({}), None)
        .await;
    (introspects, graphiql)
}

#[tokio::test]
async fn with_a_real_payment_gateway_introspection_and_graphiql_are_off_by_default() {
    let app = spawn_app_with(stripe).await;
    assert_eq!(shows(&app).await, (false, false));
}

#[tokio::test]
async fn with_a_real_payment_gateway_introspection_and_graphiql_can_be_switched_on() {
    let app = spawn_app_with(|s| {
        stripe(s);
        s.graphql_introspection = Some(true);
        s.graphiql = Some(true);
    })
    .await;
    assert_eq!(shows(&app).await, (true, true));
}

#[tokio::test]
async fn with_the_embedded_gateway_introspection_and_graphiql_are_on_unless_switched_off() {
    assert_eq!(shows(&spawn_app().await).await, (true, true));
    let app = spawn_app_with(|s| {
        s.graphql_introspection = Some(false);
        s.graphiql = Some(false);
    })
    .await;
    assert_eq!(shows(&app).await, (false, false));
}

#[tokio::test]
async fn readyz_tells_the_public_which_check_failed_but_not_the_drivers_message() {
    // A port nobody listens on: bind, note it, release.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app =
        spawn_app_with(|s| s.redis_url = Some(format!("redis://127.0.0.1:{port}/").into())).await;
    let resp = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = resp.text().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["checks"]["redis"], "error", "{body}");
    assert_eq!(body["checks"]["database"], "ok", "{body}");
    assert!(!text.contains(&port.to_string()), "{text}");
    assert!(!text.to_lowercase().contains("refused"), "{text}");
    // The API itself keeps working without Redis.
    app.ok(
        "{ movies { edges { cursor } } }",
        serde_json::json!({}),
        None,
    )
    .await;
}

#[tokio::test]
async fn odd_http_methods_are_counted_as_other_so_metric_labels_stay_bounded() {
    let app = spawn_app().await;
    for method in ["FOOBAR", "PURGE", "X1", "GET"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        app.client
            .request(m, format!("{}/graphql", app.address))
            .send()
            .await
            .unwrap();
    }
    let text = app.metrics_text().await;
    let methods: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.starts_with("marquee_http_requests_total"))
        .filter_map(|l| l.split("method=\"").nth(1)?.split('"').next())
        .collect();
    assert!(methods.contains("other"), "{methods:?}");
    assert!(methods.contains("GET"), "{methods:?}");
    for odd in ["FOOBAR", "PURGE", "X1"] {
        assert!(!methods.contains(odd), "{methods:?}");
    }
}
