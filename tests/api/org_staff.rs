//! Organisations and their staff, made the way a platform admin and managers make them:
//! over GraphQL, with the invitation read from the real SMTP server.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, wait_for};

pub const CREATE_ORG: &str = "mutation($n: String!, $s: String!) { createOrganisation(name: $n, slug: $s) { id name slug currency } }";
pub const INVITE: &str = "mutation($o: ID!, $e: String!, $r: StaffRole!, $l: Int) { inviteStaff(organisationId: $o, email: $e, role: $r, refundLimitCents: $l) { emailSent invitation { id email role refundLimitCents } } }";
pub const ACCEPT: &str = "mutation($t: String!) { acceptStaffInvitation(token: $t) { id name } }";

/// Opens an organisation as the platform admin; returns its id.
pub async fn organisation(app: &TestApp, admin: &str, name: &str) -> String {
    let slug = format!(
        "{}-{}",
        name.to_lowercase().replace(' ', "-"),
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let data = app
        .ok(CREATE_ORG, json!({ "n": name, "s": slug }), Some(admin))
        .await;
    data["createOrganisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The invitation token in the latest email to `to`.
pub async fn invitation_token(to: &str, n: usize) -> String {
    let got = wait_for(to, n, Duration::from_secs(10)).await;
    let text = got
        .last()
        .and_then(|m| m["text"].as_str())
        .unwrap_or_else(|| panic!("no invitation email for {to}: {got:?}"))
        .to_owned();
    let at = text.find("token=").expect("a link with a token") + "token=".len();
    text[at..at + 64].to_owned()
}

/// A new member of `org` with `role` (`MANAGER`/`SUPPORT`), invited by `inviter` and
/// signed up with the invited address; returns (token, email).
pub async fn member(
    app: &TestApp,
    inviter: &str,
    org: &str,
    role: &str,
    refund_limit: Option<i64>,
) -> (String, String) {
    let email = address(&role.to_lowercase(), "staff.test");
    let sent = app
        .ok(
            INVITE,
            json!({ "o": org, "e": email, "r": role, "l": refund_limit }),
            Some(inviter),
        )
        .await;
    assert_eq!(sent["inviteStaff"]["emailSent"], true, "{sent}");
    let token = invitation_token(&email, 1).await;
    let user = app.customer(&email).await;
    app.ok(ACCEPT, json!({ "t": token }), Some(&user)).await;
    (user, email)
}

/// The first error's code, or `OK` when there is none.
pub fn outcome(body: &Value) -> String {
    match body.get("errors") {
        Some(_) => code(body).to_owned(),
        None => "OK".to_owned(),
    }
}
