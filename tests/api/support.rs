//! The support lifecycle over real SMTP: a buyer opens a ticket about a booking, staff of
//! the booking's organisation reply (inbox and email, with a reply address carrying the
//! ticket's token), add notes the buyer never sees, the buyer answers by email through the
//! inbound-mail webhook, and staff resolve.

use std::time::Duration;

use marquee_domain::support::inbound::sign;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, smtp_url, wait_for};
use crate::support_setup::*;

const SECRET: &str = "inbound-signing-key";
const DOMAIN: &str = "help.marquee.test";

async fn support_app() -> TestApp {
    spawn_app_with(|s| {
        s.smtp_url = Some(SecretString::from(smtp_url()));
        s.support_inbound_secret = Some(SecretString::from(SECRET.to_owned()));
        s.support_reply_domain = DOMAIN.to_owned();
    })
    .await
}

/// Posts an inbound message the way Mailgun's route forward does, signed with `key`.
async fn inbound(
    app: &TestApp,
    key: &str,
    recipient: &str,
    sender: &str,
    text: &str,
) -> (u16, Value) {
    let timestamp = app.services.clock.now().timestamp().to_string();
    let token = uuid::Uuid::new_v4().simple().to_string();
    let signature = sign(key.as_bytes(), &timestamp, &token);
    let resp = app
        .client
        .post(format!("{}/support/inbound", app.address))
        .form(&[
            ("recipient", recipient),
            ("sender", sender),
            ("subject", "Re: Seats"),
            ("body-plain", text),
            ("timestamp", timestamp.as_str()),
            ("token", token.as_str()),
            ("signature", signature.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn bodies(messages: &Value) -> Vec<&str> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_ticket_is_answered_by_email_and_inbox_and_the_buyer_answers_by_email_reply() {
    let app = support_app().await;
    let chain = organisation(&app, "Grand Cinemas").await;
    let (agent, _) = member(
        &app,
        chain,
        &address("agent", "grand.test"),
        "support",
        None,
    )
    .await;
    let (showtime, seats) = showtime_of(&app, chain).await;
    let buyer_email = address("buyer", "example.test");
    let buyer = app.customer(&buyer_email).await;
    let (booking, _) = confirmed(&app, &buyer, &showtime, &seats[..2]).await;

    let opened = app
        .ok(
            OPEN,
            json!({ "i": { "subject": "Seats apart", "body": "We were given seats apart.", "bookingId": booking } }),
            Some(&buyer),
        )
        .await;
    assert_eq!(opened["openTicket"]["status"], "OPEN");
    assert_eq!(opened["openTicket"]["organisationId"], chain.to_string());
    let ticket = opened["openTicket"]["id"].as_str().unwrap().to_owned();

    let queue = app.ok(QUEUE, json!({ "f": null }), Some(&agent)).await;
    assert_eq!(ids(&queue), [ticket.as_str()]);

    app.ok(
        NOTE,
        json!({ "t": ticket, "b": "Buyer is a regular; be generous." }),
        Some(&agent),
    )
    .await;
    let reply = app
        .ok(
            REPLY,
            json!({ "t": ticket, "b": "Sorry about that.\n\nWe can move you to row C." }),
            Some(&agent),
        )
        .await;
    assert_eq!(reply["replyToTicket"]["internal"], false);

    // The email, through the real SMTP server, answerable at the ticket's own address.
    let got = wait_for(&buyer_email, 2, Duration::from_secs(20)).await;
    let sent: Vec<&Value> = got
        .iter()
        .filter(|m| m["subject"] == "Re: Seats apart")
        .collect();
    assert_eq!(sent.len(), 1, "{got:?}");
    let text = sent[0]["text"].as_str().unwrap();
    assert!(text.contains("We can move you to row C."), "{text}");
    assert!(
        !text.contains("regular"),
        "an internal note leaked into the email: {text}"
    );
    let reply_to = sent[0]["reply_to"].as_str().unwrap().to_owned();
    let token = sql_texts(
        &app,
        "SELECT reply_token FROM support_tickets WHERE id = $1",
        [uuid(&ticket)],
    )
    .await;
    assert_eq!(reply_to, format!("support+{}@{DOMAIN}", token[0]));

    // The inbox has the reply too.
    let inbox = app
        .ok(
            "{ notifications(first: 10) { edges { node { kind title body supportTicketId } } } }",
            json!({}),
            Some(&buyer),
        )
        .await;
    let replies: Vec<&serde_json::Value> = inbox["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["kind"] == "support.reply")
        .collect();
    assert_eq!(replies.len(), 1, "{inbox}");
    // It leads to its ticket.
    assert_eq!(replies[0]["supportTicketId"], ticket.as_str());

    // The buyer never sees the note; staff do.
    let mine = app
        .ok(MY_TICKET, json!({ "t": ticket }), Some(&buyer))
        .await;
    assert_eq!(mine["myTicket"]["status"], "WAITING_ON_CUSTOMER");
    assert_eq!(
        bodies(&mine["myTicket"]["messages"]),
        [
            "We were given seats apart.",
            "Sorry about that.\n\nWe can move you to row C."
        ]
    );
    let theirs = app
        .ok(STAFF_TICKET, json!({ "t": ticket }), Some(&agent))
        .await;
    assert_eq!(
        theirs["supportTicket"]["messages"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(theirs["supportTicket"]["booking"]["id"], booking);

    // A forged post, and one from another address, change nothing.
    let (status, _) = inbound(&app, "wrong key", &reply_to, &buyer_email, "Forged").await;
    assert_eq!(status, 401);
    let (status, body) = inbound(&app, SECRET, &reply_to, "someone@else.test", "Spoofed").await;
    assert_eq!(status, 406, "{body}");

    // The buyer's email reply is appended (without the quoted history) and reopens it.
    let answer =
        "Row C is perfect, thanks!\n\nOn Mon, 7 Dec 2026, Marquee wrote:\n> Sorry about that.";
    let (status, body) = inbound(
        &app,
        SECRET,
        &format!("Support <{reply_to}>"),
        &buyer_email,
        answer,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mine = app
        .ok(MY_TICKET, json!({ "t": ticket }), Some(&buyer))
        .await;
    assert_eq!(mine["myTicket"]["status"], "OPEN");
    let messages = mine["myTicket"]["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[2]["body"], "Row C is perfect, thanks!");
    assert_eq!(messages[2]["source"], "EMAIL");
    assert_eq!(messages[2]["fromStaff"], false);

    let resolved = app.ok(RESOLVE, json!({ "t": ticket }), Some(&agent)).await;
    assert_eq!(resolved["resolveTicket"]["status"], "RESOLVED");
    let stored = sql_texts(
        &app,
        "SELECT status FROM support_tickets WHERE id = $1",
        [uuid(&ticket)],
    )
    .await;
    assert_eq!(stored, ["resolved"]);
    // Every staff action is in the audit log.
    let actions = sql_texts(
        &app,
        "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY created_at, action",
        [uuid(&ticket)],
    )
    .await;
    let mut actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        ["support.note", "support.reply", "support.resolve"]
    );
}

#[tokio::test]
async fn a_buyer_reads_only_their_own_tickets_and_bad_input_is_refused_with_a_code() {
    let app = support_app().await;
    let buyer = app.customer(&address("buyer", "example.test")).await;
    let other = app.customer(&address("other", "example.test")).await;
    let ticket = open_ticket(&app, &buyer, "Cannot log in on my phone", None).await;
    let stranger = app
        .gql(MY_TICKET, json!({ "t": ticket }), Some(&other))
        .await;
    assert_eq!(code(&stranger), "NOT_FOUND");
    let mine = app
        .ok("{ myTickets { id } }", json!({}), Some(&buyer))
        .await;
    assert_eq!(mine["myTickets"][0]["id"], ticket);
    let empty = app
        .gql(
            OPEN,
            json!({ "i": { "subject": "  ", "body": "x" } }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&empty), "BAD_USER_INPUT");
    let bad_id = app
        .gql(MY_TICKET, json!({ "t": "not-an-id" }), Some(&buyer))
        .await;
    assert_eq!(code(&bad_id), "BAD_USER_INPUT");
    // Someone else's booking cannot be attached.
    let chain = organisation(&app, "Other Chain").await;
    let (showtime, seats) = showtime_of(&app, chain).await;
    let (booking, _) = confirmed(&app, &other, &showtime, &seats[..1]).await;
    let theirs = app
        .gql(
            OPEN,
            json!({ "i": { "subject": "x", "body": "y", "bookingId": booking } }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&theirs), "NOT_FOUND");
    // Staff tools are for staff.
    let refused = app.gql(QUEUE, json!({ "f": null }), Some(&buyer)).await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let (status, _) = {
        let resp = app
            .client
            .post(format!("{}/support/inbound", app.address))
            .form(&[("recipient", "x"), ("sender", "y")])
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), ())
    };
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_staff_reply_is_pushed_to_the_buyers_live_inbox() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;

    use crate::subscriptions::{connect, next_json};

    let app = spawn_app().await;
    let admin = app.admin().await;
    let buyer = app.customer("live-support@example.test").await;
    let ticket = open_ticket(&app, &buyer, "Account locked", None).await;
    let mut socket = connect(&app).await;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": buyer } }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let sub = json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { notificationAdded { kind title body } }" } });
    socket.send(Message::text(sub.to_string())).await.unwrap();
    // Let the subscription start listening before the reply.
    tokio::time::sleep(Duration::from_millis(200)).await;

    app.ok(
        REPLY,
        json!({ "t": ticket, "b": "Unlocked it for you." }),
        Some(&admin),
    )
    .await;
    let pushed = next_json(&mut socket).await.expect("a push");
    let n = &pushed["payload"]["data"]["notificationAdded"];
    assert_eq!(n["kind"], "support.reply", "{pushed}");
    assert_eq!(n["title"], "Reply to \"Account locked\"");
    assert_eq!(n["body"], "Unlocked it for you.");
}
