//! Many buyers check out at once with one gift card: its balance is spent once, never
//! twice. Every racer waits at one barrier; the verdict is read from the database (the
//! card's balance and history, the bookings and their payments), not from the answers.

use std::sync::Arc;

use marquee_entity::showtimes;
use sea_orm::EntityTrait;
use tokio::sync::Barrier;

use crate::gift_cards_setup::*;
use crate::helpers::*;

const RACERS: usize = 16;
/// Enough for three of the 1500 tickets.
const BALANCE: i64 = 4_500;
const PRICE: i64 = 1_500;

#[tokio::test]
async fn concurrent_checkouts_never_spend_a_gift_card_twice() {
    let app = Arc::new(spawn_app_with(without_buyer_caps).await);
    let (showtime, seats) = opening_night(&app).await;
    let theatre = showtimes::Entity::find_by_id(showtime.parse::<uuid::Uuid>().unwrap())
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .theatre_id
        .to_string();
    let org = organisation(&app, "racers", "USD").await;
    own_theatre(&app, &org, &theatre).await;
    let manager = member(&app, &org, "manager@racers.test", "manager").await;
    let (gift_code, card) = issue(&app, &manager, &org, BALANCE).await;

    let mut held = Vec::new();
    for i in 0..RACERS {
        let buyer = app.customer(&format!("racer{i}@example.com")).await;
        let booking = hold(&app, &buyer, &showtime, &seats[i..i + 1]).await;
        held.push((buyer, booking));
    }
    let start = Arc::new(Barrier::new(RACERS));
    let mut racers = Vec::new();
    for (buyer, booking) in held.clone() {
        let (app, start, gift_code) = (app.clone(), start.clone(), gift_code.clone());
        racers.push(tokio::spawn(async move {
            start.wait().await;
            pay(&app, &buyer, &booking, "pm_card_visa", &gift_code).await
        }));
    }
    for racer in racers {
        let body = racer.await.unwrap();
        if body.get("errors").is_some() {
            // A loser is told the balance moved or is gone, never an internal error.
            let refusal = (
                code(&body),
                body["errors"][0]["extensions"]["reason"].as_str(),
            );
            assert!(
                matches!(
                    refusal,
                    ("CONFLICT", None) | ("BAD_USER_INPUT", Some("GIFT_CARD_EMPTY"))
                ),
                "{body}"
            );
        } else {
            assert_eq!(body["data"]["checkout"]["status"], "CONFIRMED", "{body}");
        }
    }

    // The truth: what the confirmed bookings took from the card is exactly what it lost,
    // the balance never went below zero, and each booking paid its total exactly once.
    let left = balance(&app, &card).await;
    assert!(left >= 0);
    let history = entries(&app, &card).await;
    let spent: i64 = history
        .iter()
        .filter(|(k, _, _)| k == "spend")
        .map(|(_, a, _)| -a)
        .sum();
    let restored: i64 = history
        .iter()
        .filter(|(k, _, _)| k == "restore")
        .map(|(_, a, _)| *a)
        .sum();
    assert_eq!(BALANCE - spent + restored, left, "history {history:?}");
    let mut afters: Vec<i64> = history.iter().map(|(_, _, after)| *after).collect();
    afters.sort_unstable();
    afters.dedup();
    assert_eq!(
        afters.len(),
        history.len(),
        "two spends saw one balance: {history:?}"
    );
    let mut from_gift = 0;
    let mut confirmed = 0;
    for (_, booking) in &held {
        let status = sql_texts(
            &app,
            "SELECT status FROM bookings WHERE id = $1",
            [uuid(booking)],
        )
        .await;
        let gift: i64 = -sql_texts(
            &app,
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM gift_card_entries WHERE booking_id = $1",
            [uuid(booking)],
        )
        .await[0]
            .parse::<i64>()
            .unwrap();
        if status[0] == "confirmed" {
            confirmed += 1;
            let card_part: i64 = card_amounts(&app, booking).await.iter().sum();
            assert_eq!(gift + card_part, PRICE, "booking {booking}");
            from_gift += gift;
        } else {
            assert_eq!(gift, 0, "an unconfirmed booking keeps nothing of the card");
        }
    }
    assert_eq!(from_gift, BALANCE - left);
    assert_eq!(left, 0, "three tickets' worth is spent by the winners");
    assert!(confirmed >= 3);
}
