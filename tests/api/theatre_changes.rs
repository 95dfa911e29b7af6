//! A theatre's changes reach its buyers: a cancelled showtime refunds every booking and
//! tells each buyer once; a moved showtime tells every ticket holder.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, received, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status totalCents } }";
const BOOKING: &str = "query($b: ID!) { booking(id: $b) { status statusReason } }";
const INBOX: &str = "{ notifications(first: 10) { edges { node { kind title body } } } }";
const MAP: &str = "query($s: ID!) { showtime(id: $s) { seatMap { seats { status } } } }";

/// `n` buyers, each with one confirmed seat: (token, booking id, amount paid), and their
/// addresses (of this test only).
async fn sold(
    app: &TestApp,
    showtime: &str,
    seats: &[String],
    n: usize,
) -> (Vec<(String, String, i64)>, Vec<String>) {
    let addresses: Vec<String> = (0..n)
        .map(|i| address(&format!("buyer{i}"), "example.com"))
        .collect();
    let buyers = futures_util::future::join_all(addresses.iter().map(|to| app.customer(to))).await;
    let mut sold = Vec::with_capacity(n);
    for (i, token) in buyers.into_iter().enumerate() {
        let held = app
            .ok(
                HOLD,
                json!({ "s": showtime, "seats": [seats[i]] }),
                Some(&token),
            )
            .await;
        let id = held["holdSeats"]["id"].as_str().unwrap().to_owned();
        let paid = app.ok(CHECKOUT, json!({ "b": id }), Some(&token)).await;
        assert_eq!(paid["checkout"]["status"], "CONFIRMED");
        sold.push((token, id, paid["checkout"]["totalCents"].as_i64().unwrap()));
    }
    (sold, addresses)
}

/// The buyer's inbox once it holds an entry of `kind` (or after five seconds).
async fn inbox_once_told(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    let mut entries = inbox(app, token).await;
    for _ in 0..100 {
        if entries.iter().any(|e| e["kind"] == kind) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        entries = inbox(app, token).await;
    }
    entries
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    app.ok(INBOX, json!({}), Some(token)).await["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn cancelling_a_showtime_refunds_all_fifty_bookings_and_tells_each_buyer_once() {
    let app = spawn_app_with(|s| s.smtp_url = Some(secrecy::SecretString::from(smtp_url()))).await;
    let (showtime, seats) = opening_night(&app).await;
    let (bookings, addresses) = sold(&app, &showtime, &seats, 50).await;
    let admin = app.admin().await;
    app.ok(
        "mutation($s: ID!) { cancelShowtime(id: $s) { status } }",
        json!({ "s": showtime }),
        Some(&admin),
    )
    .await;
    // The workers refund one booking after another; wait for the last.
    for (token, id, _) in &bookings {
        let mut status = Value::Null;
        for _ in 0..300 {
            status =
                app.ok(BOOKING, json!({ "b": id }), Some(token)).await["booking"]["status"].clone();
            if status == "REFUNDED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, "REFUNDED", "booking {id}");
    }
    // Each refund is sent just after its booking's end is committed.
    let paid: i64 = bookings.iter().map(|(_, _, total)| total).sum();
    for _ in 0..100 {
        if app.fake().refunded_cents() == paid {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.fake().refunded_cents(), paid);
    let map = app.ok(MAP, json!({ "s": showtime }), None).await;
    assert!(
        map["showtime"]["seatMap"]["seats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "AVAILABLE")
    );
    for (token, _, _) in &bookings {
        let mut entries = inbox(&app, token).await;
        for _ in 0..100 {
            if entries
                .iter()
                .any(|e| e["kind"] == "booking.showtime_cancelled")
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            entries = inbox(&app, token).await;
        }
        let cancelled: Vec<_> = entries
            .iter()
            .filter(|e| e["kind"] == "booking.showtime_cancelled")
            .collect();
        assert_eq!(cancelled.len(), 1, "{entries:?}");
        assert!(
            cancelled[0]["body"]
                .as_str()
                .unwrap()
                .contains("Blockbuster")
        );
    }
    // And one email each, next to the confirmation, naming the refund.
    for (to, (_, _, total)) in addresses.iter().zip(&bookings) {
        let mail = wait_for(to, 2, Duration::from_secs(30)).await;
        let cancelled: Vec<_> = mail
            .iter()
            .filter(|m| m["subject"] == "Cancelled by the theatre: Blockbuster")
            .collect();
        assert_eq!(cancelled.len(), 1, "{to}: {mail:?}");
        let refund = format!("{}.{:02} USD", total / 100, total % 100);
        assert!(
            cancelled[0]["text"].as_str().unwrap().contains(&refund),
            "{refund}"
        );
    }
    // Once the queue is drained, nothing more can arrive.
    crate::email::drained(&app).await;
    for to in &addresses {
        assert_eq!(received(to).await.len(), 2, "{to}");
    }
}

#[tokio::test]
async fn moving_a_showtime_tells_every_ticket_holder() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let (bookings, _) = sold(&app, &showtime, &seats, 3).await;
    let waiting = app.customer("holding@example.com").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [seats[10]] }),
        Some(&waiting),
    )
    .await;
    let admin = app.admin().await;
    app.ok(
        "mutation($s: ID!, $t: DateTime!) { updateShowtime(id: $s, input: { startsAt: $t }) { startsAt } }",
        json!({ "s": showtime, "t": in_hours(30) }),
        Some(&admin),
    )
    .await;
    for (token, _, _) in &bookings {
        let entries = inbox_once_told(&app, token, "showtime.changed").await;
        let moved = entries.iter().filter(|e| e["kind"] == "showtime.changed");
        assert_eq!(moved.count(), 1, "{entries:?}");
    }
    assert!(
        inbox(&app, &waiting)
            .await
            .iter()
            .all(|e| e["kind"] != "showtime.changed")
    );
}

#[tokio::test]
async fn turning_on_the_waiting_room_or_moving_the_on_sale_time_tells_no_ticket_holder() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let (bookings, _) = sold(&app, &showtime, &seats, 2).await;
    let admin = app.admin().await;
    let update =
        "mutation($s: ID!, $i: UpdateShowtimeInput!) { updateShowtime(id: $s, input: $i) { id } }";
    app.ok(
        update,
        json!({ "s": showtime, "i": { "waitingRoom": true } }),
        Some(&admin),
    )
    .await;
    app.ok(
        update,
        json!({ "s": showtime, "i": { "onSaleAt": in_hours(-3) } }),
        Some(&admin),
    )
    .await;
    // A real move after them: its notice comes after theirs, had they made any.
    app.ok(
        update,
        json!({ "s": showtime, "i": { "startsAt": in_hours(30) } }),
        Some(&admin),
    )
    .await;
    for (token, _, _) in &bookings {
        let entries = inbox_once_told(&app, token, "showtime.changed").await;
        let told = entries.iter().filter(|e| e["kind"] == "showtime.changed");
        assert_eq!(told.count(), 1, "{entries:?}");
    }
}

#[tokio::test]
async fn moving_a_showtime_with_thousands_of_ticket_holders_tells_each_and_the_feed_goes_on() {
    use marquee_entity::bookings;
    use sea_orm::{EntityTrait, Set};
    // Thousands of emails to one address in one pass: no hourly cap in the way.
    let app = spawn_app_with(|s| s.email_max_per_recipient_hour = 100_000).await;
    let (showtime, seats) = opening_night(&app).await;
    let holder = app.customer("season-holder@example.com").await;
    let user = app.ok("{ me { id } }", json!({}), Some(&holder)).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .unwrap();
    // 4,800 confirmed bookings, written directly: one relay pass then owes 4,800 inbox
    // entries and 4,800 emails, past both databases' bind-parameter limits in one statement.
    const HOLDERS: usize = 4_800;
    let now = chrono::Utc::now();
    let show = showtime.parse::<uuid::Uuid>().unwrap();
    let rows: Vec<bookings::ActiveModel> = (0..HOLDERS)
        .map(|i| bookings::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            user_id: Set(user),
            showtime_id: Set(show),
            status: Set("confirmed".into()),
            subtotal_cents: Set(1500),
            discount_cents: Set(0),
            fee_cents: Set(0),
            total_cents: Set(1500),
            currency: Set("USD".into()),
            promotion_id: Set(None),
            expires_at: Set(now),
            fencing_token: Set(i64::try_from(i).unwrap()),
            idempotency_key: Set(None),
            status_reason: Set(None),
            places: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(400) {
        bookings::Entity::insert_many(chunk.to_vec())
            .exec(&app.services.db)
            .await
            .unwrap();
    }
    let admin = app.admin().await;
    app.ok(
        "mutation($s: ID!, $t: DateTime!) { updateShowtime(id: $s, input: { startsAt: $t }) { id } }",
        json!({ "s": showtime, "t": in_hours(30) }),
        Some(&admin),
    )
    .await;
    let count = |sql: &'static str| {
        let app = &app;
        async move { sql_texts(app, sql, []).await[0].parse::<usize>().unwrap() }
    };
    let moved = "SELECT COUNT(*) FROM notifications WHERE kind = 'showtime.changed'";
    for _ in 0..600 {
        if count(moved).await == HOLDERS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(moved).await, HOLDERS);
    let emailed = "SELECT COUNT(*) FROM emails WHERE kind = 'showtime.changed'";
    assert_eq!(count(emailed).await, HOLDERS);
    // The feed goes on: a purchase after it is confirmed in the inbox.
    let buyer = app.customer("after-the-move@example.com").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    app.ok(
        CHECKOUT,
        json!({ "b": held["holdSeats"]["id"] }),
        Some(&buyer),
    )
    .await;
    let entries = inbox_once_told(&app, &buyer, "booking.confirmed").await;
    assert!(
        entries.iter().any(|e| e["kind"] == "booking.confirmed"),
        "{entries:?}"
    );
}
