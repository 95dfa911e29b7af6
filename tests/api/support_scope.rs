//! Who may work on which ticket: staff of the booking's organisation (and platform admins),
//! never another organisation's; refunds from a ticket within the agent's limit, through
//! the booking's cancellation path, recorded on the ticket and audited.

use serde_json::json;

use crate::helpers::*;
use crate::support_setup::*;

#[tokio::test]
async fn staff_of_another_organisation_can_neither_see_nor_answer_nor_refund_a_ticket() {
    let app = spawn_app().await;
    let a = organisation(&app, "Chain A").await;
    let b = organisation(&app, "Chain B").await;
    let (agent_a, _) = member(&app, a, "agent-a@a.test", "support", Some(100_000)).await;
    let (agent_b, _) = member(&app, b, "agent-b@b.test", "support", Some(100_000)).await;
    let (manager_b, _) = member(&app, b, "manager-b@b.test", "manager", None).await;
    let (showtime, seats) = showtime_of(&app, a).await;
    let buyer = app.customer("buyer@example.test").await;
    let (booking, _) = confirmed(&app, &buyer, &showtime, &seats[..1]).await;
    let ticket = open_ticket(&app, &buyer, "Wrong seats", Some(&booking)).await;
    let account = open_ticket(&app, &buyer, "Change my email", None).await;

    for outsider in [&agent_b, &manager_b] {
        let queue = app.ok(QUEUE, json!({ "f": null }), Some(outsider)).await;
        assert!(ids(&queue).is_empty(), "{queue}");
        let read = app
            .gql(STAFF_TICKET, json!({ "t": ticket }), Some(outsider))
            .await;
        assert_eq!(code(&read), "NOT_FOUND");
        let reply = app
            .gql(REPLY, json!({ "t": ticket, "b": "Hello" }), Some(outsider))
            .await;
        assert_eq!(code(&reply), "NOT_FOUND");
        let note = app
            .gql(NOTE, json!({ "t": ticket, "b": "Hmm" }), Some(outsider))
            .await;
        assert_eq!(code(&note), "NOT_FOUND");
        let refund = app
            .gql(REFUND, json!({ "t": ticket, "a": null }), Some(outsider))
            .await;
        assert_eq!(code(&refund), "NOT_FOUND");
        let filtered = app
            .gql(
                QUEUE,
                json!({ "f": { "organisationId": a.to_string() } }),
                Some(outsider),
            )
            .await;
        assert_eq!(code(&filtered), "FORBIDDEN");
    }
    // Nothing was written by them.
    let written = sql_texts(
        &app,
        "SELECT COUNT(*) FROM support_messages WHERE ticket_id = $1",
        [uuid(&ticket)],
    )
    .await;
    assert_eq!(written, ["1"]);
    let status = sql_texts(
        &app,
        "SELECT status FROM bookings WHERE id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(status, ["confirmed"]);

    // The chain's own agent sees its ticket, not the platform's account ticket.
    let queue = app.ok(QUEUE, json!({ "f": null }), Some(&agent_a)).await;
    assert_eq!(ids(&queue), [ticket.as_str()]);
    let read = app
        .gql(STAFF_TICKET, json!({ "t": account }), Some(&agent_a))
        .await;
    assert_eq!(code(&read), "NOT_FOUND");
    // A platform admin sees both.
    let admin = app.admin().await;
    let queue = app.ok(QUEUE, json!({ "f": null }), Some(&admin)).await;
    assert_eq!(ids(&queue), [ticket.clone(), account.clone()]);
    app.ok(REPLY, json!({ "t": account, "b": "Done." }), Some(&admin))
        .await;
}

#[tokio::test]
async fn an_agent_refunds_from_a_ticket_only_within_their_limit_and_the_refund_is_recorded_and_audited()
 {
    let app = spawn_app().await;
    let chain = organisation(&app, "Refund Chain").await;
    let (showtime, seats) = showtime_of(&app, chain).await;
    let buyer = app.customer("refund-buyer@example.test").await;
    let (booking, total) = confirmed(&app, &buyer, &showtime, &seats[..2]).await;
    assert!(total > 100, "a price to refund: {total}");
    let limit = total - 1;
    let (agent, agent_id) = member(&app, chain, "limited@chain.test", "support", Some(limit)).await;
    let ticket = open_ticket(&app, &buyer, "Cannot come", Some(&booking)).await;

    let looked_up = app
        .ok(STAFF_TICKET, json!({ "t": ticket }), Some(&agent))
        .await;
    assert_eq!(looked_up["supportTicket"]["booking"]["totalCents"], total);

    // The whole total is above the limit: refused, and nothing changed.
    let over = app
        .gql(REFUND, json!({ "t": ticket, "a": null }), Some(&agent))
        .await;
    assert_eq!(code(&over), "FORBIDDEN");
    assert_eq!(over["errors"][0]["extensions"]["reason"], "REFUND_LIMIT");
    let status = sql_texts(
        &app,
        "SELECT status FROM bookings WHERE id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(status, ["confirmed"]);
    let refunds = sql_texts(
        &app,
        "SELECT COUNT(*) FROM refunds WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(refunds, ["0"]);

    // Within the limit: the booking is cancelled and refunded through the usual path.
    let done = app
        .ok(REFUND, json!({ "t": ticket, "a": limit }), Some(&agent))
        .await;
    assert_eq!(done["refundFromTicket"]["booking"]["status"], "CANCELLED");
    let refunded = sql_texts(
        &app,
        "SELECT amount_cents FROM refunds WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(refunded, [limit.to_string()]);
    let sold = sql_texts(
        &app,
        "SELECT COUNT(*) FROM show_seats WHERE booking_id = $1 AND status = 'sold'",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(sold, ["0"]);
    let recorded = sql_texts(
        &app,
        "SELECT COUNT(*) FROM support_messages m JOIN refunds r ON r.id = m.refund_id WHERE m.ticket_id = $1",
        [uuid(&ticket)],
    )
    .await;
    assert_eq!(recorded, ["1"]);
    let audited = sql_texts(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'support.refund' AND subject_id = $1 AND actor_id = $2",
        [uuid(&ticket), uuid(&agent_id)],
    )
    .await;
    assert_eq!(audited, ["1"]);
    // A second refund of the same booking is refused.
    let again = app
        .gql(REFUND, json!({ "t": ticket, "a": 1 }), Some(&agent))
        .await;
    assert_eq!(code(&again), "CONFLICT");
}
