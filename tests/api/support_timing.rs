//! Time in the help center: the first-response time of each ticket, tickets past the
//! first-response target flagged (and filtered) in the queue, age filters, and resolved
//! tickets closed by the worker after the configured wait.

use std::time::Duration;

use serde_json::json;

use crate::helpers::*;
use crate::support_setup::*;

#[tokio::test]
async fn first_response_time_is_kept_and_unanswered_tickets_past_the_target_are_flagged() {
    let app = spawn_app_with(|s| s.support_first_response_target_hours = 1).await;
    let chain = organisation(&app, "Timely").await;
    let (agent, _) = member(&app, chain, "timely@agent.test", "support", None).await;
    let (showtime, seats) = showtime_of(&app, chain).await;
    let buyer = app.customer("timely@buyer.test").await;
    let (b1, _) = confirmed(&app, &buyer, &showtime, &seats[..1]).await;
    let (b2, _) = confirmed(&app, &buyer, &showtime, &seats[1..2]).await;
    let answered = open_ticket(&app, &buyer, "First", Some(&b1)).await;
    let waiting = open_ticket(&app, &buyer, "Second", Some(&b2)).await;

    let fresh = app
        .ok(QUEUE, json!({ "f": { "overdue": true } }), Some(&agent))
        .await;
    assert!(ids(&fresh).is_empty(), "{fresh}");

    app.clock.advance(chrono::Duration::minutes(90));
    let late = app
        .ok(QUEUE, json!({ "f": { "overdue": true } }), Some(&agent))
        .await;
    assert_eq!(ids(&late), [answered.clone(), waiting.clone()]);
    assert!(
        late["supportQueue"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["overdue"] == true)
    );

    app.ok(REPLY, json!({ "t": answered, "b": "On it." }), Some(&agent))
        .await;
    let read = app
        .ok(STAFF_TICKET, json!({ "t": answered }), Some(&agent))
        .await;
    assert_eq!(read["supportTicket"]["firstResponseSeconds"], 90 * 60);
    assert_eq!(read["supportTicket"]["overdue"], false);
    // A later answer does not move the first response.
    app.clock.advance(chrono::Duration::minutes(10));
    app.ok(REPLY, json!({ "t": answered, "b": "Done." }), Some(&agent))
        .await;
    let read = app
        .ok(MY_TICKET, json!({ "t": answered }), Some(&buyer))
        .await;
    assert_eq!(read["myTicket"]["firstResponseSeconds"], 90 * 60);

    let late = app
        .ok(QUEUE, json!({ "f": { "overdue": true } }), Some(&agent))
        .await;
    assert_eq!(ids(&late), [waiting.as_str()]);
    let waiting_on_buyer = app
        .ok(
            QUEUE,
            json!({ "f": { "statuses": ["WAITING_ON_CUSTOMER"] } }),
            Some(&agent),
        )
        .await;
    assert_eq!(ids(&waiting_on_buyer), [answered.as_str()]);

    // Age: a ticket opened now is not older than an hour.
    let (b3, _) = confirmed(&app, &buyer, &showtime, &seats[2..3]).await;
    let newest = open_ticket(&app, &buyer, "Third", Some(&b3)).await;
    let old = app
        .ok(QUEUE, json!({ "f": { "olderThanHours": 1 } }), Some(&agent))
        .await;
    assert_eq!(ids(&old), [answered.clone(), waiting.clone()]);
    let all = app.ok(QUEUE, json!({ "f": null }), Some(&agent)).await;
    assert_eq!(ids(&all), [answered, waiting, newest]);
}

#[tokio::test]
async fn resolved_tickets_are_closed_by_the_worker_after_the_configured_days() {
    let app = spawn_app_with(|s| {
        s.support_close_after_days = 2;
        s.support_close_scan_seconds = 1;
    })
    .await;
    let admin = app.admin().await;
    let buyer = app.customer("closing@buyer.test").await;
    let early = open_ticket(&app, &buyer, "Refund question", None).await;
    app.ok(
        REPLY,
        json!({ "t": early, "b": "Answered in the FAQ." }),
        Some(&admin),
    )
    .await;
    app.ok(RESOLVE, json!({ "t": early }), Some(&admin)).await;

    app.clock.advance(chrono::Duration::days(1));
    let late = open_ticket(&app, &buyer, "Another question", None).await;
    app.ok(RESOLVE, json!({ "t": late }), Some(&admin)).await;

    // Two days and a bit after the first was resolved, one day and a bit after the second.
    app.clock.advance(chrono::Duration::hours(25));
    let mut status = String::new();
    for _ in 0..100 {
        status = sql_texts(
            &app,
            "SELECT status FROM support_tickets WHERE id = $1",
            [uuid(&early)],
        )
        .await
        .remove(0);
        if status == "closed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "closed");
    let closed_at = sql_texts(
        &app,
        "SELECT COUNT(*) FROM support_tickets WHERE id = $1 AND closed_at IS NOT NULL",
        [uuid(&early)],
    )
    .await;
    assert_eq!(closed_at, ["1"]);
    let other = sql_texts(
        &app,
        "SELECT status FROM support_tickets WHERE id = $1",
        [uuid(&late)],
    )
    .await;
    assert_eq!(other, ["resolved"]);

    // A closed ticket takes no more messages; a resolved one is reopened by an answer.
    let refused = app
        .gql(
            "mutation($t: ID!) { addTicketMessage(ticketId: $t, body: \"Still broken\") { id } }",
            json!({ "t": early }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&refused), "CONFLICT");
    app.ok(
        "mutation($t: ID!) { addTicketMessage(ticketId: $t, body: \"One more thing\") { id } }",
        json!({ "t": late }),
        Some(&buyer),
    )
    .await;
    let reopened = app.ok(MY_TICKET, json!({ "t": late }), Some(&buyer)).await;
    assert_eq!(reopened["myTicket"]["status"], "OPEN");
}
