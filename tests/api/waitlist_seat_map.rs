//! What buyers are shown of seats kept for a waitlist: taken while anyone waits, in the
//! seat map and live, and free again once the line has ended.

use std::collections::HashMap;

use serde_json::json;

use crate::helpers::*;
use crate::live::{SEAT_UPDATES, apply, open, subscribe};
use crate::subscriptions::{Socket, next_json};
use crate::waitlist::{HOLD, hold, join, offer_all, small_showtime};

const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }";
const LEAVE: &str = "mutation($e: ID!) { leaveWaitlist(entryId: $e) { status } }";

/// Delivers what the outbox holds to the live subscribers.
async fn relay(app: &TestApp) {
    use marquee_domain::booking::ExecutionOutcome::TaskCompleted;
    while app.services.relay.try_execute_task().await.unwrap() == TaskCompleted {}
}

/// Reads live seat-map messages into `map` until `seat` reads `status` (10 s at most).
async fn live_until(
    socket: &mut Socket,
    map: &mut HashMap<String, String>,
    seat: &str,
    status: &str,
) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while map.get(seat).map(String::as_str) != Some(status) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "seat {seat} never became {status} live: {map:?}"
        );
        let msg = next_json(socket).await.expect("a message within 10 s");
        assert_eq!(msg["type"], "next", "{msg}");
        apply(map, &msg["payload"]["data"]["seatMapUpdates"]);
    }
}

#[tokio::test]
async fn seats_kept_for_the_line_show_taken_until_the_line_ends_in_the_map_and_live() {
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let (showtime, seats) = small_showtime(&app, 3).await;
    let seller = app.customer("seller@example.com").await;
    let waiter = app.customer("waiter@example.com").await;
    let party = app.customer("party@example.com").await;
    let passer = app.customer("passer@example.com").await;
    let sold = hold(&app, &seller, &showtime, &seats).await;
    let two = join(&app, &waiter, &showtime, 2).await;

    let mut socket = open(&app, None).await;
    subscribe(&mut socket, SEAT_UPDATES, json!({ "s": showtime })).await;
    let mut live = HashMap::new();
    let first = next_json(&mut socket).await.expect("the whole map first");
    apply(&mut live, &first["payload"]["data"]["seatMapUpdates"]);
    assert!(live.values().all(|s| s == "HELD"), "{live:?}");

    // Released while someone waits: kept for the line, and shown so.
    app.ok(RELEASE, json!({ "b": sold }), Some(&seller)).await;
    relay(&app).await;
    let shown = seat_statuses(&app, &showtime).await;
    assert!(shown.values().all(|s| s == "HELD"), "{shown:?}");
    let stored = db_seat_statuses(&app, &showtime).await;
    assert!(stored.values().all(|s| s == "AVAILABLE"), "{stored:?}");
    // A party of three joins behind; two seats go to the first in line.
    let three = join(&app, &party, &showtime, 3).await;
    offer_all(&app).await;
    relay(&app).await;
    let shown = seat_statuses(&app, &showtime).await;
    assert!(
        shown.values().all(|s| s == "HELD"),
        "the party still waits: {shown:?}"
    );
    let sniped = app
        .gql(
            HOLD,
            json!({ "s": showtime, "seats": [seats[2]] }),
            Some(&passer),
        )
        .await;
    assert_eq!(
        sniped["errors"][0]["extensions"]["reason"], "RESERVED_FOR_WAITLIST",
        "{sniped}"
    );

    // The party gives up: nobody waits, and the last seat is anyone's again.
    app.ok(LEAVE, json!({ "e": three["id"] }), Some(&party))
        .await;
    relay(&app).await;
    let shown = seat_statuses(&app, &showtime).await;
    let free: Vec<&String> = shown
        .iter()
        .filter(|(_, s)| s.as_str() == "AVAILABLE")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(free.len(), 1, "{shown:?}");
    let free = free[0].clone();
    live_until(&mut socket, &mut live, &free, "AVAILABLE").await;
    assert_eq!(live, shown, "the live map ends equal to the read one");
    let offer = app
        .ok(
            "query($e: ID!) { waitlistEntry(id: $e) { status } }",
            json!({ "e": two["id"] }),
            Some(&waiter),
        )
        .await;
    assert_eq!(offer["waitlistEntry"]["status"], "OFFERED");
    hold(&app, &passer, &showtime, &[free]).await;
}
