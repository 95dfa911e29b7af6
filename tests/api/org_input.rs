//! Bad input to organisations and their staff: each is refused with a coded error that
//! names the field, and nothing stored changes.

use serde_json::json;

use crate::helpers::*;
use crate::org_staff::{CREATE_ORG, INVITE, member, organisation};
use crate::organisations::smtp_app;

const UPDATE_MEMBER: &str = "mutation($o: ID!, $u: ID!, $r: StaffRole!, $l: Int) { updateStaffMember(organisationId: $o, userId: $u, role: $r, refundLimitCents: $l) { role refundLimitCents } }";
const MEMBERS: &str = "query($o: ID!) { organisation(id: $o) { members { userId email role refundLimitCents } invitations { email } } }";

async fn organisations_stored(app: &TestApp) -> Vec<String> {
    sql_texts(app, "SELECT slug FROM organisations ORDER BY slug", []).await
}

#[tokio::test]
async fn an_organisation_with_a_bad_name_slug_or_currency_is_refused_and_none_is_made() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let taken = app
        .ok(
            "mutation { createOrganisation(name: \"North Cinemas\", slug: \"north-cinemas\") { slug currency } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(taken["createOrganisation"]["currency"], "USD");
    let before = organisations_stored(&app).await;

    let long_slug = "a".repeat(61);
    let long_name = "N".repeat(121);
    let cases = [
        (json!({ "n": "  ", "s": "empty-name" }), "name"),
        (json!({ "n": long_name, "s": "long-name" }), "name"),
        (json!({ "n": "Spaces", "s": "has spaces" }), "slug"),
        (json!({ "n": "Accents", "s": "café" }), "slug"),
        (json!({ "n": "Slash", "s": "a/b" }), "slug"),
        (json!({ "n": "Empty", "s": "" }), "slug"),
        (json!({ "n": "Long", "s": long_slug }), "slug"),
        (
            json!({ "n": "Euros", "s": "euros", "c": "EURO" }),
            "currency",
        ),
        (
            json!({ "n": "Digits", "s": "digits", "c": "123" }),
            "currency",
        ),
        (json!({ "n": "Short", "s": "short", "c": "E" }), "currency"),
    ];
    for (vars, field) in cases {
        let body = app
            .gql(
                "mutation($n: String!, $s: String!, $c: String! = \"USD\") { createOrganisation(name: $n, slug: $s, currency: $c) { id } }",
                vars.clone(),
                Some(&admin),
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{vars}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{vars}: {body}"
        );
    }
    // A slug in use, in another case: a conflict, not a second organisation.
    let again = app
        .gql(
            CREATE_ORG,
            json!({ "n": "Copy", "s": "North-Cinemas" }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&again), "CONFLICT", "{again}");
    assert_eq!(organisations_stored(&app).await, before);
}

#[tokio::test]
async fn a_refund_limit_out_of_range_is_refused_and_the_stored_limit_stands() {
    let app = smtp_app().await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Limits").await;
    let (_, agent_email) = member(&app, &admin, &org, "SUPPORT", Some(5_000)).await;

    for bad in [-1_i64, 100_000_001] {
        let invited = app
            .gql(
                INVITE,
                json!({ "o": org, "e": "new-agent@example.com", "r": "SUPPORT", "l": bad }),
                Some(&admin),
            )
            .await;
        assert_eq!(code(&invited), "BAD_USER_INPUT", "{bad}: {invited}");
        assert_eq!(
            invited["errors"][0]["extensions"]["field"],
            "refundLimitCents"
        );
    }
    let listed = app.ok(MEMBERS, json!({ "o": org }), Some(&admin)).await;
    assert_eq!(listed["organisation"]["invitations"], json!([]), "{listed}");
    let agent = listed["organisation"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == agent_email.as_str())
        .cloned()
        .expect("the agent is a member");

    for bad in [-500_i64, 1_000_000_000] {
        let updated = app
            .gql(
                UPDATE_MEMBER,
                json!({ "o": org, "u": agent["userId"], "r": "SUPPORT", "l": bad }),
                Some(&admin),
            )
            .await;
        assert_eq!(code(&updated), "BAD_USER_INPUT", "{bad}: {updated}");
    }
    let stored = sql_texts(
        &app,
        "SELECT CAST(refund_limit_cents AS TEXT) FROM organisation_members WHERE user_id = $1",
        [uuid(agent["userId"].as_str().unwrap())],
    )
    .await;
    assert_eq!(stored, ["5000"]);
}
