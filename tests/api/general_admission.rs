//! General admission: a standing section sold by quantity, alone or beside reserved seats
//! in one booking; checkout issues a ticket per place; cancelling and lapsed holds give the
//! places back; bad requests get coded errors.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::venue_sections::{overview, venue};

pub(crate) const HOLD_GA: &str = "mutation($s: ID!, $sec: ID!, $q: Int!) { holdGeneralAdmission(showtimeId: $s, sectionId: $sec, quantity: $q) { id status totalCents places { sectionId section label quantity priceCents } } }";
const HOLD_MIXED: &str = "mutation($s: ID!, $seats: [ID!]!, $places: [GeneralAdmissionInput!]!) { holdSeats(showtimeId: $s, seatIds: $seats, places: $places) { id status seats { label } places { section label quantity } } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status tickets { code seatId label } } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status seats { label } places { section label quantity } tickets { code label status } } }";
const CANCEL: &str = "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }";

/// A reserved section "101" of four seats and a standing "Floor" of `floor` places.
pub(crate) fn concert(floor: i64) -> Value {
    json!({ "sections": [
        { "name": "101", "rows": [ { "label": "A", "seats": "SSSS" } ] },
        { "name": "Floor", "kind": "GENERAL", "capacity": floor, "category": "STANDARD" }
    ] })
}

/// The id of the section called `name` in the showtime's overview.
pub(crate) async fn section_id(app: &TestApp, showtime: &str, name: &str) -> String {
    overview(app, showtime)
        .await
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Holds `quantity` places of `section` for `buyer`; the booking's id.
pub(crate) async fn hold_places(
    app: &TestApp,
    buyer: &str,
    showtime: &str,
    section: &str,
    quantity: i64,
) -> String {
    let held = app
        .ok(
            HOLD_GA,
            json!({ "s": showtime, "sec": section, "q": quantity }),
            Some(buyer),
        )
        .await;
    held["holdGeneralAdmission"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// (capacity, sold, held) of a general-admission section at a showtime, as stored.
pub(crate) async fn counters(app: &TestApp, showtime: &str, section: &str) -> (i64, i64, i64) {
    let read = |col: &'static str| {
        let sql =
            format!("SELECT {col} FROM show_sections WHERE showtime_id = $1 AND section_id = $2");
        async move {
            sql_texts(app, &sql, [uuid(showtime), uuid(section)]).await[0]
                .parse::<i64>()
                .unwrap()
        }
    };
    (
        read("capacity").await,
        read("sold").await,
        read("held").await,
    )
}

async fn available(app: &TestApp, showtime: &str, name: &str) -> i64 {
    overview(app, showtime)
        .await
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap()["available"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_general_admission_section_is_built_with_a_capacity_and_counted_in_the_overview() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(30)).await;
    let floor = overview(&app, &showtime)
        .await
        .into_iter()
        .find(|s| s["name"] == "Floor")
        .unwrap();
    assert_eq!(floor["kind"], "GENERAL");
    assert_eq!(floor["capacity"], 30);
    assert_eq!(floor["available"], 30);
    assert!(floor["priceMin"].as_i64().unwrap() > 0);
    let id = floor["id"].as_str().unwrap().to_owned();
    assert_eq!(counters(&app, &showtime, &id).await, (30, 0, 0));
    // No seats are made for a standing floor.
    let seats = sql_texts(
        &app,
        "SELECT COUNT(*) FROM seats WHERE section_id = $1",
        [uuid(&id)],
    )
    .await;
    assert_eq!(seats, ["0"]);
}

#[tokio::test]
async fn places_alone_are_paid_with_a_ticket_each() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(3)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let buyer = app.customer("standing@example.com").await;
    let booking = hold_places(&app, &buyer, &showtime, &floor, 2).await;
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    let stored = sql_texts(
        &app,
        "SELECT CAST(COUNT(*) AS TEXT) FROM tickets WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(stored, ["2"], "one ticket per place: {paid}");
    assert_eq!(counters(&app, &showtime, &floor).await, (3, 2, 0));
}

#[tokio::test]
async fn the_ledger_counts_standing_places_and_shows_a_floor_sold_past_its_capacity() {
    const AUDIT: &str = "query($s: ID!) { showtimeSeatAudit(showtimeId: $s) { places placesSold placeTickets sectionsOversold consistent } }";
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(3)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let admin = app.admin().await;
    let buyer = app.customer("ledger-floor@example.com").await;
    let booking = hold_places(&app, &buyer, &showtime, &floor, 3).await;
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    let audit = app.ok(AUDIT, json!({ "s": showtime }), Some(&admin)).await;
    assert_eq!(
        audit["showtimeSeatAudit"],
        json!({ "places": 3, "placesSold": 3, "placeTickets": 3, "sectionsOversold": 0, "consistent": true })
    );
    // The floor shrunk under its three tickets, behind the API's back: the ledger shows
    // it sold past its capacity.
    sql_exec(&app, "UPDATE show_sections SET capacity = 2").await;
    let audit = app.ok(AUDIT, json!({ "s": showtime }), Some(&admin)).await;
    assert_eq!(
        audit["showtimeSeatAudit"],
        json!({ "places": 2, "placesSold": 3, "placeTickets": 3, "sectionsOversold": 1, "consistent": false })
    );
}

#[tokio::test]
async fn a_mixed_booking_of_seats_and_places_is_paid_with_a_ticket_per_place_and_cancelling_returns_the_places()
 {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(3)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let seat = seat_ids(&app, &showtime).await[0].clone();
    let buyer = app.customer("mixed@example.com").await;
    let held = app
        .ok(
            HOLD_MIXED,
            json!({ "s": showtime, "seats": [seat], "places": [ { "sectionId": floor, "quantity": 2 } ] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        held["holdSeats"]["seats"][0]["label"],
        "Section 101, Row A, Seat 1"
    );
    assert_eq!(
        held["holdSeats"]["places"][0]["label"],
        "Floor, General admission"
    );
    assert_eq!(held["holdSeats"]["places"][0]["quantity"], 2);
    assert_eq!(counters(&app, &showtime, &floor).await, (3, 0, 2));
    assert_eq!(available(&app, &showtime, "Floor").await, 1);

    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    let tickets = paid["checkout"]["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 3, "one ticket per seat and per place");
    let floor_tickets: Vec<&Value> = tickets
        .iter()
        .filter(|t| t["label"] == "Floor, General admission")
        .collect();
    assert_eq!(floor_tickets.len(), 2);
    let mut codes: Vec<&str> = tickets
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    codes.dedup();
    assert_eq!(codes.len(), 3, "every ticket has its own code");
    assert_eq!(
        sql_texts(
            &app,
            "SELECT COUNT(*) FROM tickets WHERE booking_id = $1 AND status = 'valid'",
            [uuid(&booking)]
        )
        .await,
        ["3"]
    );
    assert_eq!(counters(&app, &showtime, &floor).await, (3, 2, 0));
    // The seat ledger still balances: the floor's tickets are not seats.
    let admin = app.admin().await;
    let audit = app
        .ok(
            "query($s: ID!) { showtimeSeatAudit(showtimeId: $s) { seatsSold liveTickets consistent } }",
            json!({ "s": showtime }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        audit["showtimeSeatAudit"],
        json!({ "seatsSold": 1, "liveTickets": 1, "consistent": true })
    );
    let read = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    assert_eq!(read["booking"]["places"][0]["section"], "Floor");
    assert_eq!(read["booking"]["tickets"].as_array().unwrap().len(), 3);

    // Two places sold, one left: a second buyer cannot have two.
    let other = app.customer("second@example.com").await;
    let body = app
        .gql(
            HOLD_GA,
            json!({ "s": showtime, "sec": floor, "q": 2 }),
            Some(&other),
        )
        .await;
    assert_eq!(code(&body), "SEAT_UNAVAILABLE");

    let done = app.ok(CANCEL, json!({ "b": booking }), Some(&buyer)).await;
    assert_ne!(done["cancelBooking"]["status"], "CONFIRMED");
    assert_eq!(counters(&app, &showtime, &floor).await, (3, 0, 0));
    assert_eq!(
        sql_texts(
            &app,
            "SELECT COUNT(*) FROM tickets WHERE booking_id = $1 AND status = 'valid'",
            [uuid(&booking)]
        )
        .await,
        ["0"]
    );
    // The places are on sale again: all three go to the second buyer.
    let again = app
        .ok(
            HOLD_GA,
            json!({ "s": showtime, "sec": floor, "q": 3 }),
            Some(&other),
        )
        .await;
    assert_eq!(again["holdGeneralAdmission"]["places"][0]["quantity"], 3);
    assert_eq!(counters(&app, &showtime, &floor).await, (3, 0, 3));
}

#[tokio::test]
async fn a_lapsed_general_admission_hold_gives_its_places_back() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(4)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let first = app.customer("first@example.com").await;
    let second = app.customer("second@example.com").await;
    let lapsing = hold_places(&app, &first, &showtime, &floor, 4).await;
    let body = app
        .gql(
            HOLD_GA,
            json!({ "s": showtime, "sec": floor, "q": 1 }),
            Some(&second),
        )
        .await;
    assert_eq!(code(&body), "SEAT_UNAVAILABLE");
    assert_eq!(available(&app, &showtime, "Floor").await, 0);

    app.clock.advance(chrono::Duration::minutes(11));
    // Lapsed but not yet swept: the overview already counts the places as free...
    assert_eq!(available(&app, &showtime, "Floor").await, 4);
    // ...and the next hold reclaims them.
    app.ok(
        HOLD_GA,
        json!({ "s": showtime, "sec": floor, "q": 3 }),
        Some(&second),
    )
    .await;
    assert_eq!(counters(&app, &showtime, &floor).await, (4, 0, 3));
    assert_eq!(
        sql_texts(
            &app,
            "SELECT status FROM booking_places WHERE booking_id = $1",
            [uuid(&lapsing)]
        )
        .await,
        ["released"]
    );
    // The lapsed booking cannot be paid.
    let body = app
        .gql(CHECKOUT, json!({ "b": lapsing }), Some(&first))
        .await;
    assert_eq!(code(&body), "HOLD_EXPIRED");
    assert_eq!(available(&app, &showtime, "Floor").await, 1);
}

#[tokio::test]
async fn bad_general_admission_requests_get_coded_errors_and_hold_nothing() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(10)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let reserved = section_id(&app, &showtime, "101").await;
    let (_, _, elsewhere) = venue(&app, concert(10)).await;
    let foreign = section_id(&app, &elsewhere, "Floor").await;
    let buyer = app.customer("bad@example.com").await;
    let cases: [(&str, i64, &str); 6] = [
        (&floor, 0, "BAD_USER_INPUT"),
        (&floor, -2, "BAD_USER_INPUT"),
        (&floor, 1_000, "BAD_USER_INPUT"),
        (&reserved, 1, "BAD_USER_INPUT"),
        (&foreign, 1, "NOT_FOUND"),
        ("not-a-section", 1, "BAD_USER_INPUT"),
    ];
    for (section, quantity, expected) in cases {
        let body = app
            .gql(
                HOLD_GA,
                json!({ "s": showtime, "sec": section, "q": quantity }),
                Some(&buyer),
            )
            .await;
        assert_eq!(code(&body), expected, "{section} × {quantity}: {body}");
    }
    let body = app
        .gql(
            HOLD_GA,
            json!({ "s": showtime, "sec": floor, "q": 11 }),
            Some(&buyer),
        )
        .await;
    assert!(
        ["SEAT_UNAVAILABLE", "BAD_USER_INPUT"].contains(&code(&body)),
        "{body}"
    );
    assert_eq!(counters(&app, &showtime, &floor).await, (10, 0, 0));
    assert_eq!(
        sql_texts(&app, "SELECT COUNT(*) FROM booking_places", []).await,
        ["0"]
    );
}

#[tokio::test]
async fn general_admission_layouts_that_make_no_sense_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let t = app
        .ok(THEATRE, json!({ "i": theatre_input("Hall") }), Some(&admin))
        .await;
    let theatre = t["createTheatre"]["id"].clone();
    let refused = [
        json!({ "name": "Floor", "kind": "GENERAL", "capacity": 10, "rows": [ { "label": "A", "seats": "SS" } ] }),
        json!({ "name": "101", "capacity": 10, "rows": [ { "label": "A", "seats": "SS" } ] }),
        json!({ "name": "Floor", "kind": "GENERAL" }),
        json!({ "name": "Floor", "kind": "GENERAL", "capacity": 0 }),
        json!({ "name": "Floor", "kind": "GENERAL", "capacity": 60_001 }),
    ];
    for section in refused {
        let body = app
            .gql(
                SCREEN,
                json!({ "t": theatre, "n": "Bowl", "l": { "sections": [section] } }),
                Some(&admin),
            )
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{section}: {body}");
    }
    // The floor counts in the venue's 60,000 places.
    let body = app
        .gql(
            SCREEN,
            json!({ "t": theatre, "n": "Bowl", "l": { "sections": [
                { "name": "Floor", "kind": "GENERAL", "capacity": 60_000 },
                { "name": "101", "rows": [ { "label": "A", "seats": "S" } ] }
            ] } }),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(
        sql_texts(&app, "SELECT COUNT(*) FROM screens", []).await,
        ["0"]
    );
}

#[tokio::test]
async fn the_live_overview_follows_standing_places_and_seats_as_they_are_held() {
    use crate::live::{open, subscribe};
    use crate::subscriptions::next_json;
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(5)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let s101 = section_id(&app, &showtime, "101").await;
    let mut socket = open(&app, None).await;
    subscribe(
        &mut socket,
        "subscription($s: ID!) { sectionUpdates(showtimeId: $s) { id name available } }",
        json!({ "s": showtime }),
    )
    .await;
    let available = |msg: &Value, name: &str| -> i64 {
        msg["payload"]["data"]["sectionUpdates"]
            .as_array()
            .unwrap_or_else(|| panic!("{msg}"))
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()["available"]
            .as_i64()
            .unwrap()
    };
    let first = next_json(&mut socket).await.expect("the overview");
    assert_eq!(
        (available(&first, "Floor"), available(&first, "101")),
        (5, 4)
    );

    // Places alone: only a standing area's count moves, and the overview says so.
    let buyer = app.customer("live-floor@marquee.test").await;
    app.ok(
        HOLD_GA,
        json!({ "s": showtime, "sec": floor, "q": 2 }),
        Some(&buyer),
    )
    .await;
    let next = next_json(&mut socket).await.expect("the floor's change");
    assert_eq!(
        (available(&next, "Floor"), available(&next, "101")),
        (3, 4),
        "{next}"
    );
    // A seat of 101 with a place of the floor, in one booking.
    let seat = crate::venue_sections::section_seats(&app, &showtime, &s101).await[0]["id"].clone();
    let other = app.customer("live-mixed@marquee.test").await;
    app.ok(
        HOLD_MIXED,
        json!({ "s": showtime, "seats": [seat], "places": [{ "sectionId": floor, "quantity": 1 }] }),
        Some(&other),
    )
    .await;
    let next = next_json(&mut socket).await.expect("both sections' change");
    assert_eq!(
        (available(&next, "Floor"), available(&next, "101")),
        (2, 3),
        "{next}"
    );
    // The stored counters say the same.
    assert_eq!(counters(&app, &showtime, &floor).await, (5, 0, 3));
}

#[tokio::test]
async fn watchers_of_one_overview_share_its_reads() {
    use crate::live::{open, subscribe};
    use crate::subscriptions::next_json;
    const WATCHERS: usize = 12;
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, concert(50)).await;
    let floor = section_id(&app, &showtime, "Floor").await;
    let mut sockets = Vec::new();
    for _ in 0..WATCHERS {
        let mut socket = open(&app, None).await;
        subscribe(
            &mut socket,
            "subscription($s: ID!) { sectionUpdates(showtimeId: $s) { name available } }",
            json!({ "s": showtime }),
        )
        .await;
        next_json(&mut socket).await.expect("the overview");
        sockets.push(socket);
    }
    assert_eq!(app.metric("marquee_overview_feeds ").await, 1.0);
    let reads_before = app.metric("marquee_overview_reads_total ").await;

    // Holds from several buyers at once: one run of changes.
    let mut buyers = Vec::new();
    for i in 0..4 {
        buyers.push(app.customer(&format!("share-{i}@marquee.test")).await);
    }
    futures_util::future::join_all(buyers.iter().map(|b| {
        app.ok(
            HOLD_GA,
            json!({ "s": showtime, "sec": floor, "q": 2 }),
            Some(b),
        )
    }))
    .await;
    // Every watcher sees the floor come down to 42, whatever the figures on the way.
    for socket in &mut sockets {
        loop {
            let msg = next_json(socket).await.expect("the floor's change");
            let left = msg["payload"]["data"]["sectionUpdates"]
                .as_array()
                .unwrap_or_else(|| panic!("{msg}"))
                .iter()
                .find(|s| s["name"] == "Floor")
                .unwrap()["available"]
                .as_i64()
                .unwrap();
            if left == 42 {
                break;
            }
        }
    }
    let reads = app.metric("marquee_overview_reads_total ").await - reads_before;
    assert!(
        (1.0..=4.0).contains(&reads),
        "{WATCHERS} watchers of four holds took {reads} reads of the overview"
    );
    // The feed ends with its last watcher.
    drop(sockets);
    let mut feeds = 1.0;
    for _ in 0..50 {
        feeds = app.metric("marquee_overview_feeds ").await;
        if feeds == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(feeds, 0.0, "the feed outlived its watchers");
}

#[tokio::test]
async fn an_overview_subscription_to_a_bad_or_unknown_showtime_gets_a_coded_error() {
    use crate::live::{open, refusal, subscribe};
    let app = spawn_app().await;
    const WATCH: &str = "subscription($s: ID!) { sectionUpdates(showtimeId: $s) { name } }";
    let mut socket = open(&app, None).await;
    subscribe(&mut socket, WATCH, json!({ "s": "not-an-id" })).await;
    assert_eq!(refusal(&mut socket).await, "BAD_USER_INPUT");
    let mut socket = open(&app, None).await;
    subscribe(
        &mut socket,
        WATCH,
        json!({ "s": "01a25009-a5d0-7269-9496-bdadf46e2f73" }),
    )
    .await;
    assert_eq!(refusal(&mut socket).await, "NOT_FOUND");
    // Nothing is left running for the refused watchers.
    assert_eq!(app.metric("marquee_overview_feeds ").await, 0.0);
}
