//! One account cannot take a showtime for itself: seats held or bought per showtime and
//! holds open at once are capped inside the hold's transaction, so neither aliases in one
//! document nor concurrent requests get past a cap together.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";

/// Seats of the showtime held or sold to the buyer with this email, read from the database.
async fn seats_of(app: &TestApp, email: &str) -> usize {
    sql_texts(
        app,
        &format!(
            "SELECT COUNT(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id \
             JOIN users u ON u.id = b.user_id WHERE u.email = '{email}' AND bs.active \
             AND b.status IN ('held', 'payment_pending', 'confirmed')"
        ),
        [],
    )
    .await[0]
        .parse()
        .unwrap()
}

fn held(answers: &[Value]) -> usize {
    answers
        .iter()
        .filter(|a| a["data"]["holdSeats"]["id"].is_string())
        .count()
}

#[tokio::test]
async fn one_account_cannot_alias_its_way_past_the_seat_cap_of_a_showtime() {
    let app = spawn_app_with(|s| s.max_active_holds_per_buyer = 100).await;
    let (showtime, seats) = opening_night(&app).await;
    let bot = app.customer("alias-bot@example.com").await;
    // Thirty holds of one seat each, aliased in one document.
    let fields: Vec<String> = (0..30)
        .map(|i| {
            format!(
                "h{i}: holdSeats(showtimeId: $s, seatIds: [\"{}\"]) {{ id }}",
                seats[i]
            )
        })
        .collect();
    let doc = format!("mutation($s: ID!) {{ {} }}", fields.join(" "));
    let body = app.gql(&doc, json!({ "s": showtime }), Some(&bot)).await;
    let won = (0..30)
        .filter(|i| body["data"][format!("h{i}")]["id"].is_string())
        .count();
    assert_eq!(won, 10, "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 20);
    assert!(
        errors
            .iter()
            .all(|e| e["extensions"]["code"] == "LIMIT_REACHED"),
        "{body}"
    );
    assert_eq!(seats_of(&app, "alias-bot@example.com").await, 10);
    let map = seat_statuses(&app, &showtime).await;
    assert_eq!(map.values().filter(|s| *s == "HELD").count(), 10);
}

#[tokio::test]
async fn concurrent_holds_by_one_account_stop_at_the_seat_cap_together() {
    // Enough connections that more holds than the cap allows are in their transactions at
    // once: only the lock on the buyer orders them.
    let app = spawn_app_with(|s| {
        s.max_active_holds_per_buyer = 100;
        s.database_max_connections = 24;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let bot = app.customer("race-bot@example.com").await;
    let barrier = Arc::new(tokio::sync::Barrier::new(40));
    let answers = futures_util::future::join_all((0..40).map(|i| {
        let (app, bot, showtime, seats, barrier) = (&app, &bot, &showtime, &seats, barrier.clone());
        async move {
            barrier.wait().await;
            app.gql(
                HOLD,
                json!({ "s": showtime, "seats": [seats[i]] }),
                Some(bot),
            )
            .await
        }
    }))
    .await;
    assert_eq!(held(&answers), 10, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| a["data"]["holdSeats"].is_null())
            .all(|a| code(a) == "LIMIT_REACHED"),
        "{answers:?}"
    );
    assert_eq!(seats_of(&app, "race-bot@example.com").await, 10);
    // Another buyer is not held back by the bot's cap.
    let fan = app.customer("fan@example.com").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[199]] }),
        Some(&fan),
    )
    .await;
}

#[tokio::test]
async fn seats_bought_count_toward_the_cap_and_released_ones_do_not() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("collector@example.com").await;
    let first = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": &seats[..8] }),
            Some(&buyer),
        )
        .await;
    let paid = app
        .ok(
            "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }",
            json!({ "b": first["holdSeats"]["id"] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    let over = app
        .gql(
            HOLD,
            json!({ "s": showtime, "seats": &seats[8..11] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&over), "LIMIT_REACHED", "{over}");
    let two = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": &seats[8..10] }),
            Some(&buyer),
        )
        .await;
    app.ok(
        "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }",
        json!({ "b": two["holdSeats"]["id"] }),
        Some(&buyer),
    )
    .await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": &seats[10..12] }),
        Some(&buyer),
    )
    .await;
    assert_eq!(seats_of(&app, "collector@example.com").await, 10);
}

#[tokio::test]
async fn one_account_may_have_only_so_many_holds_open_at_once() {
    let app = spawn_app_with(|s| s.max_active_holds_per_buyer = 3).await;
    let (showtime, seats) = opening_night(&app).await;
    let buyer = app.customer("hoarder@example.com").await;
    let mut ids = Vec::new();
    for seat in &seats[..3] {
        let h = app
            .ok(
                HOLD,
                json!({ "s": showtime, "seats": [seat] }),
                Some(&buyer),
            )
            .await;
        ids.push(h["holdSeats"]["id"].clone());
    }
    let fourth = app
        .gql(
            HOLD,
            json!({ "s": showtime, "seats": [seats[3]] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(code(&fourth), "LIMIT_REACHED", "{fourth}");
    // A lapsed hold no longer counts.
    app.clock.advance(chrono::Duration::minutes(11));
    for seat in &seats[3..6] {
        app.ok(
            HOLD,
            json!({ "s": showtime, "seats": [seat] }),
            Some(&buyer),
        )
        .await;
    }
}
