//! What one GraphQL document may ask for: lists cost their page size, seat maps their
//! size, and a document signs in at most once. Refusals come before anything runs.

use serde_json::{Value, json};

use crate::helpers::*;

const LOG_IN: &str =
    "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }";

/// The queries the README and the load generator show, as apps send them.
const APP_QUERIES: [&str; 9] = [
    "{ movies(first: 5, filter: {city: \"Chicago\", genre: \"sci-fi\"}) { edges { node { id title runtimeMinutes } } pageInfo { hasNextPage endCursor } } }",
    "{ theatres(near: {lat: 41.8781, lon: -87.6298, radiusKm: 5}) { name distanceKm screens { name seatCount } } }",
    "{ showtimes(city: \"Chicago\", first: 3) { id startsAt movie { title } theatre { name } prices { category priceCents } } }",
    "query($id: ID!) { showtime(id: $id) { seatMap { availableCount seats { id row number category status priceCents x y } } } }",
    "{ showtimes(first: 100) { id movie { title } event { title } theatre { name screens { name } } screen { name theatre { name } } prices { priceCents } } }",
    "{ showtimes(first: 3) { id seatMap { availableCount seats { id status } } } }",
    "query($q: String) { search(query: $q, first: 10) { edges { node { score item { __typename ... on Movie { title } ... on Theatre { name } } showtimes { id startsAt theatre { name } } } } } }",
    "{ movies(first: 20) { edges { node { title rating { average count } reviews(first: 5) { edges { node { rating body } } } } } } }",
    "{ autocomplete(prefix: \"the\", first: 20) { id title } }",
];

#[tokio::test]
async fn the_apps_queries_pass_the_default_cost_limit() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 24).await;
    for query in APP_QUERIES {
        let vars = json!({ "id": showtime, "q": "horizon" });
        app.ok(query, vars, None).await;
    }
    let buyer = app.customer("ann@example.com").await;
    app.ok(
        "{ myBookings { id status totalCents tickets { code } showtime { startsAt theatre { name } } } }",
        json!({}),
        Some(&buyer),
    )
    .await;
}

#[tokio::test]
async fn many_seat_maps_under_aliases_are_refused_before_they_run() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    app.showtime_at(&f, 24).await;
    let maps: String = (0..10)
        .map(|i| format!("a{i}: showtimes(first: 500) {{ seatMap {{ seats {{ id }} }} }} "))
        .collect();
    // The workers' own polls count too: a query that ran would add statements every time,
    // so one refusal with none added in a few tries proves it read nothing.
    let mut added = Vec::new();
    for _ in 0..5 {
        let before = app.db_statements().await;
        let body = app.gql(&format!("{{ {maps} }}"), json!({}), None).await;
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert!(body["data"].is_null(), "{body}");
        added.push(app.db_statements().await - before);
        if added.last() == Some(&0.0) {
            break;
        }
    }
    assert_eq!(
        added.last(),
        Some(&0.0),
        "the refused query read the database: {added:?} statements"
    );
}

#[tokio::test]
async fn a_page_size_costs_what_it_may_return_even_through_a_variable() {
    let app = spawn_app().await;
    let query = "query($n: Int) { showtimes(first: $n) { seatMap { seats { id } } } }";
    let body = app.gql(query, json!({ "n": 500 }), None).await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    app.ok(query, json!({ "n": 2 }), None).await;
    // Nested pages multiply: 100 movies with 100 reviews each.
    let body = app
        .gql(
            "{ movies(first: 100) { edges { node { reviews(first: 100) { edges { node { body } } } } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
}

async fn can_log_in(app: &TestApp, email: &str) -> bool {
    let body = app
        .gql(LOG_IN, json!({ "e": email, "p": "correct horse" }), None)
        .await;
    body["data"]["logIn"]["token"].is_string()
}

#[tokio::test]
async fn two_sign_ups_in_one_document_are_refused_before_either_runs() {
    let app = spawn_app().await;
    let body = app
        .gql(
            "mutation { a: signUp(input: {email: \"a@example.com\", password: \"correct horse\", name: \"A\"}) { token }
                        b: signUp(input: {email: \"b@example.com\", password: \"correct horse\", name: \"B\"}) { token } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    assert!(body["data"].is_null(), "{body}");
    assert!(!can_log_in(&app, "a@example.com").await);
    assert!(!can_log_in(&app, "b@example.com").await);
}

#[tokio::test]
async fn password_guesses_under_aliases_or_fragments_are_refused() {
    let app = spawn_app().await;
    app.customer("ann@example.com").await;
    let guesses: String = (0..50)
        .map(|i| {
            format!("g{i}: logIn(email: \"ann@example.com\", password: \"guess {i}\") {{ token }} ")
        })
        .collect();
    let documents: [(String, Value); 3] = [
        (format!("mutation {{ {guesses} }}"), json!({})),
        (
            "mutation { ...A ... on Mutation { b: logIn(email: \"ann@example.com\", password: \"correct horse\") { token } } }
             fragment A on Mutation { a: logIn(email: \"ann@example.com\", password: \"guess\") { token } }"
                .to_owned(),
            json!({}),
        ),
        (
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } logIn(email: \"ann@example.com\", password: \"correct horse\") { token } }"
                .to_owned(),
            json!({ "i": { "email": "bob@example.com", "password": "correct horse", "name": "Bob" } }),
        ),
    ];
    for (doc, vars) in documents {
        let body = app.gql(&doc, vars, None).await;
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert!(body["data"].is_null(), "{body}");
    }
    assert!(!can_log_in(&app, "bob@example.com").await);
    // One sign-in per document still works, and a repeated identical field is one sign-in.
    assert!(can_log_in(&app, "ann@example.com").await);
    app.ok(
        "mutation { logIn(email: \"ann@example.com\", password: \"correct horse\") { token } logIn(email: \"ann@example.com\", password: \"correct horse\") { user { email } } }",
        json!({}),
        None,
    )
    .await;
}
