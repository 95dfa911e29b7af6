//! Waitlists of sold-out showtimes: joining, the offer and its checkout, an offer that
//! lapses and passes to the next in line, and released seats kept for the line.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::live::{open, subscribe};
use crate::subscriptions::next_json;

pub const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
pub const JOIN: &str = "mutation($s: ID!, $n: Int!) { joinWaitlist(showtimeId: $s, seats: $n) { id status position seats offerBookingId offerExpiresAt } }";
const LEAVE: &str = "mutation($e: ID!) { leaveWaitlist(entryId: $e) { id status position } }";
const ENTRY: &str =
    "query($e: ID!) { waitlistEntry(id: $e) { id status position offerBookingId offerExpiresAt } }";
const MINE: &str = "{ myWaitlist { id status showtimeId } }";
const RELEASE: &str = "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { id status statusReason seats { id } } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";

/// A showtime tomorrow on a screen of one row of `n` standard seats; its seat ids.
pub async fn small_showtime(app: &TestApp, n: usize) -> (String, Vec<String>) {
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Small Room") }),
            Some(&admin),
        )
        .await;
    let screen = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "Tiny", "l": { "rows": [ { "label": "A", "seats": "S".repeat(n) } ] } }),
            Some(&admin),
        )
        .await;
    let movie = app
        .ok(MOVIE, json!({ "i": { "title": "Sold Out", "runtimeMinutes": 90, "releaseDate": "2026-01-01" } }), Some(&admin))
        .await;
    let st = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": screen["createScreen"]["id"], "movieId": movie["createMovie"]["id"], "startsAt": in_hours(24),
                            "prices": [{ "category": "STANDARD", "priceCents": 1500 }] } }),
            Some(&admin),
        )
        .await;
    let showtime = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let seats = seat_ids(app, &showtime).await;
    (showtime, seats)
}

/// Holds `seats` for `token`; the booking id.
pub async fn hold(app: &TestApp, token: &str, showtime: &str, seats: &[String]) -> String {
    app.ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(token))
        .await["holdSeats"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Joins the waitlist; the entry.
pub async fn join(app: &TestApp, token: &str, showtime: &str, n: i32) -> Value {
    app.ok(JOIN, json!({ "s": showtime, "n": n }), Some(token))
        .await["joinWaitlist"]
        .clone()
}

async fn entry(app: &TestApp, token: &str, id: &Value) -> Value {
    app.ok(ENTRY, json!({ "e": id }), Some(token)).await["waitlistEntry"].clone()
}

/// Runs the waitlist worker until it has nothing to do.
pub async fn offer_all(app: &TestApp) {
    while app
        .services
        .waitlist_offers
        .try_execute_task()
        .await
        .unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
}

async fn drain_feed(app: &TestApp) {
    use marquee_domain::booking::ExecutionOutcome::TaskCompleted;
    while app.services.relay.try_execute_task().await.unwrap() == TaskCompleted {}
    while app.services.deriver.try_execute_task().await.unwrap() == TaskCompleted {}
}

#[tokio::test]
async fn a_waiter_is_offered_released_seats_told_live_in_the_inbox_and_by_email_and_buys_them() {
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let (showtime, seats) = small_showtime(&app, 4).await;
    let seller = app.customer("first@example.com").await;
    let waiter = app.customer("waiter@example.com").await;
    let big_party = app.customer("party@example.com").await;

    // Seats are free: hold them rather than wait.
    let early = app
        .gql(JOIN, json!({ "s": showtime, "n": 2 }), Some(&waiter))
        .await;
    assert_eq!(code(&early), "CONFLICT", "{early}");
    assert_eq!(
        early["errors"][0]["extensions"]["reason"],
        "SEATS_AVAILABLE"
    );
    let first = hold(&app, &seller, &showtime, &seats[..2]).await;
    hold(&app, &seller, &showtime, &seats[2..]).await;

    let bad = app
        .gql(JOIN, json!({ "s": showtime, "n": 0 }), Some(&waiter))
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT", "{bad}");
    // A party of three is first in line; two seats will not fit it.
    let party = join(&app, &big_party, &showtime, 3).await;
    assert_eq!(party["status"], "WAITING");
    assert_eq!(party["position"], 1);
    let mine = join(&app, &waiter, &showtime, 2).await;
    assert_eq!(mine["position"], 2);
    let twice = app
        .gql(JOIN, json!({ "s": showtime, "n": 1 }), Some(&waiter))
        .await;
    assert_eq!(code(&twice), "CONFLICT", "{twice}");

    // The waiter watches the booking the offer will be.
    let offer_booking = mine["offerBookingId"].as_str().unwrap().to_owned();
    let mut socket = open(&app, Some(&waiter)).await;
    subscribe(
        &mut socket,
        "subscription($b: ID!) { bookingStatus(bookingId: $b) { bookingId status expiresAt } }",
        json!({ "b": offer_booking }),
    )
    .await;

    app.ok(RELEASE, json!({ "b": first }), Some(&seller)).await;
    // Released while people wait: not for a passer-by.
    let passer = app.customer("passer@example.com").await;
    let sniped = app
        .gql(
            HOLD,
            json!({ "s": showtime, "seats": seats[..2] }),
            Some(&passer),
        )
        .await;
    assert_eq!(code(&sniped), "SEAT_UNAVAILABLE", "{sniped}");
    assert_eq!(
        sniped["errors"][0]["extensions"]["reason"],
        "RESERVED_FOR_WAITLIST"
    );

    offer_all(&app).await;
    let offered = entry(&app, &waiter, &mine["id"]).await;
    assert_eq!(offered["status"], "OFFERED", "{offered}");
    assert!(offered["offerExpiresAt"].is_string());
    let still = entry(&app, &big_party, &party["id"]).await;
    assert_eq!(still["status"], "WAITING");
    assert_eq!(still["position"], 1);
    let booking = app
        .ok(BOOKING, json!({ "b": offer_booking }), Some(&waiter))
        .await["booking"]
        .clone();
    assert_eq!(booking["status"], "HELD");
    let got: Vec<&str> = booking["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [seats[0].as_str(), seats[1].as_str()]);
    let stored = db_seat_statuses(&app, &showtime).await;
    assert_eq!(stored[&seats[0]], "HELD");
    let holders = sql_texts(
        &app,
        "SELECT COUNT(*) FROM show_seats WHERE booking_id = $1",
        [uuid(&offer_booking)],
    )
    .await;
    assert_eq!(holders, ["2"]);

    drain_feed(&app).await;
    let live = next_json(&mut socket).await.expect("the offer, live");
    assert_eq!(
        live["payload"]["data"]["bookingStatus"]["status"], "HELD",
        "{live}"
    );
    let inbox = app
        .ok(
            "{ notifications(first: 10) { edges { node { kind bookingId } } } }",
            json!({}),
            Some(&waiter),
        )
        .await;
    let kinds: Vec<&Value> = inbox["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["kind"])
        .collect();
    assert!(kinds.contains(&&json!("waitlist.offered")), "{inbox}");
    let emails = sql_texts(
        &app,
        "SELECT kind FROM emails WHERE booking_id = $1",
        [uuid(&offer_booking)],
    )
    .await;
    assert_eq!(emails, ["waitlist.offered"]);

    let paid = app
        .ok(CHECKOUT, json!({ "b": offer_booking }), Some(&waiter))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    offer_all(&app).await;
    assert_eq!(entry(&app, &waiter, &mine["id"]).await["status"], "CLAIMED");
    let listed = app.ok(MINE, json!({}), Some(&waiter)).await;
    assert_eq!(listed["myWaitlist"][0]["status"], "CLAIMED");

    // The party leaves the line; then anyone may hold what comes back.
    let left = app
        .ok(LEAVE, json!({ "e": party["id"] }), Some(&big_party))
        .await;
    assert_eq!(left["leaveWaitlist"]["status"], "LEFT");
    let stranger = app.customer("stranger@example.com").await;
    let foreign = app
        .gql(LEAVE, json!({ "e": mine["id"] }), Some(&stranger))
        .await;
    assert_eq!(code(&foreign), "NOT_FOUND");
}

#[tokio::test]
async fn an_unclaimed_offer_lapses_and_passes_to_the_next_in_line() {
    let app = spawn_app_with(|s| {
        s.run_workers = false;
        s.waitlist_offer_seconds = 60;
    })
    .await;
    let (showtime, seats) = small_showtime(&app, 2).await;
    let seller = app.customer("seller@example.com").await;
    let first = app.customer("slow@example.com").await;
    let second = app.customer("next@example.com").await;
    let sold = hold(&app, &seller, &showtime, &seats).await;
    let slow = join(&app, &first, &showtime, 2).await;
    let next = join(&app, &second, &showtime, 2).await;
    assert_eq!(next["position"], 2);

    app.ok(RELEASE, json!({ "b": sold }), Some(&seller)).await;
    offer_all(&app).await;
    assert_eq!(entry(&app, &first, &slow["id"]).await["status"], "OFFERED");
    assert_eq!(entry(&app, &second, &next["id"]).await["position"], 1);

    // The offer runs out unclaimed.
    app.clock.advance(Duration::seconds(61));
    while app.services.expiry.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    offer_all(&app).await;
    assert_eq!(entry(&app, &first, &slow["id"]).await["status"], "LAPSED");
    let passed = entry(&app, &second, &next["id"]).await;
    assert_eq!(passed["status"], "OFFERED", "{passed}");
    let booking = app
        .ok(
            BOOKING,
            json!({ "b": passed["offerBookingId"] }),
            Some(&second),
        )
        .await;
    assert_eq!(booking["booking"]["status"], "HELD");
    assert_eq!(booking["booking"]["seats"].as_array().unwrap().len(), 2);
    let expired = app
        .ok(
            BOOKING,
            json!({ "b": slow["offerBookingId"] }),
            Some(&first),
        )
        .await;
    assert_eq!(expired["booking"]["status"], "EXPIRED");
    let too_late = app
        .gql(
            CHECKOUT,
            json!({ "b": slow["offerBookingId"] }),
            Some(&first),
        )
        .await;
    assert!(too_late.get("errors").is_some(), "{too_late}");
}

#[tokio::test]
async fn seats_of_a_declined_payment_and_of_a_cancelled_booking_go_to_the_line() {
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let (showtime, seats) = small_showtime(&app, 4).await;
    let seller = app.customer("seller@example.com").await;
    let first = app.customer("first-in-line@example.com").await;
    let second = app.customer("second-in-line@example.com").await;
    let declined = hold(&app, &seller, &showtime, &seats[..2]).await;
    let bought = hold(&app, &seller, &showtime, &seats[2..]).await;
    let paid = app
        .ok(CHECKOUT, json!({ "b": bought }), Some(&seller))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    let one = join(&app, &first, &showtime, 2).await;
    let two = join(&app, &second, &showtime, 2).await;

    let failed = app
        .gql(
            "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_chargeDeclined\" }) { status } }",
            json!({ "b": declined }),
            Some(&seller),
        )
        .await;
    assert_eq!(
        failed["data"]["checkout"]["status"], "PAYMENT_FAILED",
        "{failed}"
    );
    offer_all(&app).await;
    let offered = entry(&app, &first, &one["id"]).await;
    assert_eq!(offered["status"], "OFFERED");

    // The show is a day away: the buyer may cancel, and the seats come back.
    let cancelled = app
        .gql(
            "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }",
            json!({ "b": bought }),
            Some(&seller),
        )
        .await;
    assert!(cancelled.get("errors").is_none(), "{cancelled}");
    offer_all(&app).await;
    let next = entry(&app, &second, &two["id"]).await;
    assert_eq!(next["status"], "OFFERED", "{next}");
    let got = app
        .ok(
            BOOKING,
            json!({ "b": next["offerBookingId"] }),
            Some(&second),
        )
        .await;
    let ids: Vec<&str> = got["booking"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [seats[2].as_str(), seats[3].as_str()]);
}
