//! What a public server shows of itself: introspection and GraphiQL follow their
//! settings, and are off by default with a real payment gateway.

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
