//! Gift cards for staff: a chain's managers (and platform admins) issue, adjust, disable
//! and list its cards with their history; nobody reaches another chain's cards; every
//! action is in the audit log; the code is shown once and never stored.

use serde_json::json;

use crate::gift_cards_setup::*;
use crate::helpers::*;

const LIST: &str = "query($o: ID!) { giftCards(organisationId: $o) { id codeLast4 balanceCents disabledAt history { kind amountCents balanceAfterCents note bookingId } } }";
const ADJUST: &str = "mutation($id: ID!, $a: Int!, $n: String!) { adjustGiftCard(id: $id, amountCents: $a, note: $n) { balanceCents } }";
const DISABLE: &str = "mutation($id: ID!) { disableGiftCard(id: $id) { disabledAt } }";

#[tokio::test]
async fn gift_cards_are_managed_only_by_their_organisations_managers_and_audited() {
    let app = spawn_app().await;
    let a = chain(&app, "north").await;
    let b = chain(&app, "south").await;
    let agent = member(&app, &a.org, "agent@north.test", "support").await;
    let buyer = app.customer("nobody@example.com").await;

    let (code_a, card_a) = issue(&app, &a.manager, &a.org, 2_000).await;
    let (_, card_b) = issue(&app, &b.manager, &b.org, 3_000).await;
    // The platform admin issues for any organisation.
    let (_, by_admin) = issue(&app, &b.fixture.admin, &b.org, 500).await;

    // Across organisations, and below the manager role: refused, and nothing changes.
    let refused = [
        (
            ISSUE,
            json!({ "i": { "organisationId": b.org, "amountCents": 100 } }),
            &a.manager,
        ),
        (
            ISSUE,
            json!({ "i": { "organisationId": a.org, "amountCents": 100 } }),
            &agent,
        ),
        (
            ISSUE,
            json!({ "i": { "organisationId": a.org, "amountCents": 100 } }),
            &buyer,
        ),
        (LIST, json!({ "o": b.org }), &a.manager),
        (LIST, json!({ "o": a.org }), &agent),
        (
            ADJUST,
            json!({ "id": card_b, "a": 100, "n": "goodwill" }),
            &a.manager,
        ),
        (
            ADJUST,
            json!({ "id": card_a, "a": 100, "n": "goodwill" }),
            &agent,
        ),
        (DISABLE, json!({ "id": card_b }), &a.manager),
        (DISABLE, json!({ "id": card_a }), &b.manager),
    ];
    for (query, vars, token) in refused {
        let body = app.gql(query, vars.clone(), Some(token)).await;
        assert_eq!(code(&body), "FORBIDDEN", "{query} {vars}: {body}");
    }
    assert_eq!(balance(&app, &card_b).await, 3_000);
    assert_eq!(balance(&app, &card_a).await, 2_000);
    let disabled = sql_texts(
        &app,
        "SELECT COUNT(*) FROM gift_cards WHERE disabled_at IS NOT NULL",
        [],
    )
    .await;
    assert_eq!(disabled, vec!["0"]);

    // Adjustments: with a reason, never below zero.
    let up = app
        .ok(
            ADJUST,
            json!({ "id": card_a, "a": 500, "n": "apology for a broken projector" }),
            Some(&a.manager),
        )
        .await;
    assert_eq!(up["adjustGiftCard"]["balanceCents"], 2_500);
    let body = app
        .gql(
            ADJUST,
            json!({ "id": card_a, "a": -3_000, "n": "typo" }),
            Some(&a.manager),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    let body = app
        .gql(
            ADJUST,
            json!({ "id": card_a, "a": 10, "n": "  " }),
            Some(&a.manager),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    for bad in [0, -5, 100_000_000] {
        let body = app
            .gql(
                ISSUE,
                json!({ "i": { "organisationId": a.org, "amountCents": bad } }),
                Some(&a.manager),
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{bad}: {body}");
    }

    // A spend shows in the history with its booking.
    let buyer_booking = hold(&app, &buyer, &a.showtime, &a.seats[..1]).await;
    let body = pay(&app, &buyer, &buyer_booking, "pm_card_visa", &code_a).await;
    assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
    app.ok(DISABLE, json!({ "id": card_a }), Some(&a.manager))
        .await;

    // Each manager lists their own chain's cards only, never a code.
    let listed = app.ok(LIST, json!({ "o": a.org }), Some(&a.manager)).await;
    let cards = listed["giftCards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    assert_eq!(card["id"], card_a.as_str());
    assert_eq!(card["codeLast4"], &code_a[code_a.len() - 4..]);
    assert_eq!(card["balanceCents"], 1_300);
    assert!(card["disabledAt"].is_string());
    let history: Vec<(String, i64, i64)> = card["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["amountCents"].as_i64().unwrap(),
                e["balanceAfterCents"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("ISSUE".into(), 2_000, 2_000),
            ("ADJUST".into(), 500, 2_500),
            ("SPEND".into(), -1_200, 1_300)
        ]
    );
    assert_eq!(card["history"][1]["note"], "apology for a broken projector");
    assert_eq!(card["history"][2]["bookingId"], buyer_booking.as_str());
    assert!(!listed.to_string().contains(&code_a));
    let listed = app.ok(LIST, json!({ "o": b.org }), Some(&b.manager)).await;
    let ids: Vec<&str> = listed["giftCards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![by_admin.as_str(), card_b.as_str()]);

    // The code itself is nowhere in the database.
    let stored = sql_texts(&app, "SELECT code_hash FROM gift_cards", []).await;
    let plain = code_a.replace('-', "");
    assert!(stored.iter().all(|h| !h.contains(&plain) && h.len() == 64));

    // Every staff action is in its organisation's audit log.
    let actions = sql_texts(
        &app,
        "SELECT action FROM audit_log WHERE organisation_id = $1 AND subject_type = 'gift_card' ORDER BY id",
        [uuid(&a.org)],
    )
    .await;
    assert_eq!(
        actions,
        vec!["gift_card.issue", "gift_card.adjust", "gift_card.disable"]
    );
    let actions = sql_texts(
        &app,
        "SELECT action FROM audit_log WHERE organisation_id = $1 AND subject_type = 'gift_card'",
        [uuid(&b.org)],
    )
    .await;
    assert_eq!(actions, vec!["gift_card.issue", "gift_card.issue"]);
}

#[tokio::test]
async fn an_issued_cards_code_is_emailed_to_its_recipient_and_spends_as_shown() {
    let app = crate::organisations::smtp_app().await;
    let a = chain(&app, "east").await;
    let to = crate::mail::address("gift", "example.com");
    let issued = app
        .ok(
            "mutation($i: IssueGiftCardInput!) { issueGiftCard(input: $i) { code emailSent giftCard { recipientEmail } } }",
            json!({ "i": { "organisationId": a.org, "amountCents": 2_500, "recipientEmail": to } }),
            Some(&a.manager),
        )
        .await["issueGiftCard"]
        .clone();
    assert_eq!(issued["emailSent"], true, "{issued}");
    assert_eq!(issued["giftCard"]["recipientEmail"], to.as_str());
    let code = issued["code"].as_str().unwrap();

    let got = crate::mail::wait_for(&to, 1, std::time::Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let text = got[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains(code), "the code is in the message: {text}");
    assert!(
        text.contains("25.00"),
        "the amount is in the message: {text}"
    );
    // The code in the message is the card's: its holder reads the balance with it.
    let balance = app
        .ok(
            "query($c: String!) { giftCardBalance(code: $c) { balanceCents } }",
            json!({ "c": code }),
            Some(&app.customer("holder@example.com").await),
        )
        .await;
    assert_eq!(balance["giftCardBalance"]["balanceCents"], 2_500);

    // Without a recipient nothing is sent, and the answer says so.
    let plain = app
        .ok(
            "mutation($i: IssueGiftCardInput!) { issueGiftCard(input: $i) { emailSent } }",
            json!({ "i": { "organisationId": a.org, "amountCents": 100 } }),
            Some(&a.manager),
        )
        .await;
    assert!(plain["issueGiftCard"]["emailSent"].is_null(), "{plain}");
}
