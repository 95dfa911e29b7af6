//! Sign-up, log-in, profile, deletion and role checks.

use serde_json::json;

use crate::helpers::*;

const SIGN_UP: &str =
    "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id email name role } } }";
const LOG_IN: &str = "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token user { email } } }";
const ME: &str = "{ me { id email name role } }";

#[tokio::test]
async fn sign_up_returns_a_token_that_identifies_the_new_customer() {
    let app = spawn_app().await;
    let data = app
        .ok(SIGN_UP, json!({ "i": { "email": "Ann@Example.com", "password": "correct horse", "name": "Ann" } }), None)
        .await;
    let token = data["signUp"]["token"].as_str().unwrap();
    assert_eq!(data["signUp"]["user"]["email"], "ann@example.com");
    assert_eq!(data["signUp"]["user"]["role"], "CUSTOMER");
    let me = app.ok(ME, json!({}), Some(token)).await;
    assert_eq!(me["me"]["id"], data["signUp"]["user"]["id"]);
}

#[tokio::test]
async fn sign_up_is_refused_for_an_email_already_taken_in_any_case() {
    let app = spawn_app().await;
    app.customer("dup@example.com").await;
    let body = app
        .gql(SIGN_UP, json!({ "i": { "email": "DUP@example.com", "password": "another one", "name": "Dup" } }), None)
        .await;
    assert_eq!(code(&body), "EMAIL_TAKEN");
}

#[tokio::test]
async fn sign_up_rejects_bad_email_short_password_and_empty_name() {
    let app = spawn_app().await;
    for (email, password, name, field) in [
        ("not-an-email", "correct horse", "Ann", "email"),
        ("ann@example.com", "short", "Ann", "password"),
        ("ann@example.com", "correct horse", "   ", "name"),
    ] {
        let body = app
            .gql(
                SIGN_UP,
                json!({ "i": { "email": email, "password": password, "name": name } }),
                None,
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{field}: {body}");
    }
    // Nothing was created by the refused attempts.
    let body = app
        .gql(
            LOG_IN,
            json!({ "e": "ann@example.com", "p": "correct horse" }),
            None,
        )
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn log_in_accepts_the_right_password_and_refuses_wrong_ones_alike() {
    let app = spawn_app().await;
    app.customer("bob@example.com").await;
    let ok = app
        .ok(
            LOG_IN,
            json!({ "e": "BOB@example.com", "p": "correct horse" }),
            None,
        )
        .await;
    assert!(ok["logIn"]["token"].as_str().unwrap().len() > 20);
    let wrong_password = app
        .gql(
            LOG_IN,
            json!({ "e": "bob@example.com", "p": "wrong horse!" }),
            None,
        )
        .await;
    let unknown_user = app
        .gql(
            LOG_IN,
            json!({ "e": "nobody@example.com", "p": "correct horse" }),
            None,
        )
        .await;
    assert_eq!(code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(code(&unknown_user), "UNAUTHENTICATED");
    // The same message, so the response does not reveal which accounts exist.
    assert_eq!(
        wrong_password["errors"][0]["message"],
        unknown_user["errors"][0]["message"]
    );
}

#[tokio::test]
async fn me_needs_a_valid_unexpired_token() {
    let app = spawn_app().await;
    let token = app.customer("tok@example.com").await;
    assert_eq!(code(&app.gql(ME, json!({}), None).await), "UNAUTHENTICATED");
    assert_eq!(
        code(&app.gql(ME, json!({}), Some("garbage")).await),
        "UNAUTHENTICATED"
    );
    let tampered = format!("{}x", token);
    assert_eq!(
        code(&app.gql(ME, json!({}), Some(&tampered)).await),
        "UNAUTHENTICATED"
    );
    app.ok(ME, json!({}), Some(&token)).await;
    // Tokens live seven days by default.
    app.clock.advance(chrono::Duration::days(8));
    assert_eq!(
        code(&app.gql(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn update_profile_changes_the_name_freely_and_email_or_password_only_with_the_current_password()
 {
    let app = spawn_app().await;
    let token = app.customer("carol@example.com").await;
    const UPDATE: &str =
        "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { email name } }";
    let data = app
        .ok(UPDATE, json!({ "i": { "name": "Carol K" } }), Some(&token))
        .await;
    assert_eq!(data["updateProfile"]["name"], "Carol K");

    let refused = app
        .gql(
            UPDATE,
            json!({ "i": { "email": "c@example.com", "currentPassword": "nope nope" } }),
            Some(&token),
        )
        .await;
    assert_eq!(code(&refused), "BAD_USER_INPUT");

    let data = app
        .ok(UPDATE, json!({ "i": { "email": "c@example.com", "newPassword": "new password 1", "currentPassword": "correct horse" } }), Some(&token))
        .await;
    assert_eq!(data["updateProfile"]["email"], "c@example.com");
    // The new password ended the old token.
    let ended = app.gql("{ me { id } }", json!({}), Some(&token)).await;
    assert_eq!(code(&ended), "UNAUTHENTICATED");
    let again = app
        .ok(
            LOG_IN,
            json!({ "e": "c@example.com", "p": "new password 1" }),
            None,
        )
        .await;
    let token = again["logIn"]["token"].as_str().unwrap().to_owned();
    let old = app
        .gql(
            LOG_IN,
            json!({ "e": "carol@example.com", "p": "correct horse" }),
            None,
        )
        .await;
    assert_eq!(code(&old), "UNAUTHENTICATED");

    app.customer("taken@example.com").await;
    let taken = app
        .gql(
            UPDATE,
            json!({ "i": { "email": "taken@example.com", "currentPassword": "new password 1" } }),
            Some(&token),
        )
        .await;
    assert_eq!(code(&taken), "EMAIL_TAKEN");
}

#[tokio::test]
async fn delete_account_scrubs_personal_data_and_revokes_tokens() {
    let app = spawn_app().await;
    let token = app.customer("dave@example.com").await;
    let wrong = app
        .gql(
            "mutation { deleteAccount(password: \"wrong one!\") }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(code(&wrong), "BAD_USER_INPUT");
    app.ok(ME, json!({}), Some(&token)).await;

    let data = app
        .ok(
            "mutation { deleteAccount(password: \"correct horse\") }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(data["deleteAccount"], true);
    assert_eq!(
        code(&app.gql(ME, json!({}), Some(&token)).await),
        "UNAUTHENTICATED"
    );
    let relog = app
        .gql(
            LOG_IN,
            json!({ "e": "dave@example.com", "p": "correct horse" }),
            None,
        )
        .await;
    assert_eq!(code(&relog), "UNAUTHENTICATED");
    // The address is free again for a new account.
    app.customer("dave@example.com").await;
}

#[tokio::test]
async fn admins_are_recognised_and_customers_are_forbidden_admin_mutations() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me = app.ok(ME, json!({}), Some(&admin)).await;
    assert_eq!(me["me"]["role"], "ADMIN");
    let customer = app.customer("eve@example.com").await;
    let body = app
        .gql(
            THEATRE,
            json!({ "i": theatre_input("Nope") }),
            Some(&customer),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let body = app
        .gql(THEATRE, json!({ "i": theatre_input("Nope") }), None)
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    app.ok(THEATRE, json!({ "i": theatre_input("Yes") }), Some(&admin))
        .await;
}
