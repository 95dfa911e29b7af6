//! "Notify me": buyers told once when a title goes on sale in their city or near their
//! point, not told for other places, told for showtimes scheduled later, not told once
//! unsubscribed; and interest counts for staff.

use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::*;

pub const NOTIFY: &str = "mutation($i: NotifyMeInput!) { notifyMe(input: $i) { id status city near { radiusKm } movieId } }";
const MY_ALERTS: &str = "{ myAlerts { id status notifiedShowtimeId notifiedAt } }";

/// Runs the alert worker until it has nothing to do.
pub async fn tell_all(app: &TestApp) {
    while app.services.alert_worker.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
}

/// A theatre in `city` at a point; its screen id.
pub async fn screen_in(app: &TestApp, admin: &str, city: &str, lat: f64, lon: f64) -> String {
    let t = app
        .ok(
            THEATRE,
            json!({ "i": { "name": format!("{city} Palace"), "address": "1 Main St", "city": city, "state": "XX", "zip": "00001",
                            "latitude": lat, "longitude": lon, "timezone": "America/Chicago" } }),
            Some(admin),
        )
        .await;
    let s = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "One", "l": small_layout() }),
            Some(admin),
        )
        .await;
    s["createScreen"]["id"].as_str().unwrap().to_owned()
}

/// A movie; its id.
pub async fn movie(app: &TestApp, admin: &str, title: &str) -> String {
    app.ok(
        MOVIE,
        json!({ "i": { "title": title, "runtimeMinutes": 100, "releaseDate": "2026-01-01" } }),
        Some(admin),
    )
    .await["createMovie"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Schedules `movie` on `screen` in `days` days, on sale at `on_sale` (now when `None`).
pub async fn schedule(
    app: &TestApp,
    admin: &str,
    screen: &str,
    movie: &str,
    days: i64,
    on_sale: Option<chrono::DateTime<Utc>>,
) -> String {
    let mut input = json!({ "screenId": screen, "movieId": movie, "startsAt": in_hours(24 * days), "prices": all_prices() });
    if let Some(at) = on_sale {
        input["onSaleAt"] = json!(at.to_rfc3339());
    }
    app.ok(SHOWTIME, json!({ "i": input }), Some(admin)).await["createShowtime"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// How many inbox entries and emails of alerts each of `tokens` has.
async fn told(app: &TestApp, token: &str) -> (usize, Vec<String>) {
    let inbox = app
        .ok(
            "{ notifications(first: 50) { edges { node { kind } } } }",
            json!({}),
            Some(token),
        )
        .await;
    let entries = inbox["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["kind"] == "title.on_sale")
        .count();
    let me = app.ok("{ me { email } }", json!({}), Some(token)).await;
    let emails = sql_texts(
        app,
        "SELECT kind FROM emails WHERE recipient = $1",
        [me["me"]["email"].as_str().unwrap().into()],
    )
    .await;
    (entries, emails)
}

#[tokio::test]
async fn buyers_are_told_once_at_on_sale_in_their_city_or_radius_and_not_elsewhere() {
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let admin = app.admin().await;
    let chicago = screen_in(&app, &admin, "Chicago", 41.8853, -87.6278).await;
    let film = movie(&app, &admin, "Northern Lights").await;
    let by_city = app.customer("city@example.com").await;
    let by_radius = app.customer("radius@example.com").await;
    let elsewhere = app.customer("boston@example.com").await;
    let far_point = app.customer("far@example.com").await;
    let a = app
        .ok(
            NOTIFY,
            json!({ "i": { "movieId": film, "city": " chicago " } }),
            Some(&by_city),
        )
        .await;
    assert_eq!(a["notifyMe"]["status"], "ACTIVE");
    // Evanston, about 19 km from the theatre.
    app.ok(NOTIFY, json!({ "i": { "movieId": film, "near": { "lat": 42.0451, "lon": -87.6877, "radiusKm": 30.0 } } }), Some(&by_radius)).await;
    app.ok(
        NOTIFY,
        json!({ "i": { "movieId": film, "city": "Boston" } }),
        Some(&elsewhere),
    )
    .await;
    app.ok(NOTIFY, json!({ "i": { "movieId": film, "near": { "lat": 40.7128, "lon": -74.006, "radiusKm": 50.0 } } }), Some(&far_point)).await;
    for bad in [
        json!({ "movieId": film }),
        json!({ "movieId": film, "city": "" }),
        json!({ "city": "Chicago" }),
        json!({ "movieId": film, "near": { "lat": 1.0, "lon": 1.0, "radiusKm": 9000.0 } }),
    ] {
        let body = app.gql(NOTIFY, json!({ "i": bad }), Some(&by_city)).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    }
    let anonymous = app
        .gql(
            NOTIFY,
            json!({ "i": { "movieId": film, "city": "Chicago" } }),
            None,
        )
        .await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");

    let opens = Utc::now() + Duration::hours(2);
    let show = schedule(&app, &admin, &chicago, &film, 3, Some(opens)).await;
    tell_all(&app).await;
    assert_eq!(
        told(&app, &by_city).await.0,
        0,
        "told before the on-sale time"
    );

    app.clock.advance(Duration::hours(2) + Duration::minutes(1));
    tell_all(&app).await;
    // A second showtime on sale there, and more passes: still once.
    schedule(&app, &admin, &chicago, &film, 4, None).await;
    tell_all(&app).await;
    tell_all(&app).await;
    for buyer in [&by_city, &by_radius] {
        assert_eq!(
            told(&app, buyer).await,
            (1, vec!["title.on_sale".to_owned()])
        );
    }
    for buyer in [&elsewhere, &far_point] {
        assert_eq!(told(&app, buyer).await, (0, vec![]));
    }
    let mine = app.ok(MY_ALERTS, json!({}), Some(&by_city)).await;
    assert_eq!(mine["myAlerts"][0]["status"], "NOTIFIED");
    assert_eq!(mine["myAlerts"][0]["notifiedShowtimeId"], show.as_str());
    let others = app.ok(MY_ALERTS, json!({}), Some(&elsewhere)).await;
    assert_eq!(others["myAlerts"][0]["status"], "ACTIVE");

    // The email is sent with a link to book and a link to unsubscribe.
    app.services.emails.send_due().await.unwrap();
    let sent = sql_texts(
        &app,
        "SELECT status FROM emails WHERE kind = 'title.on_sale'",
        [],
    )
    .await;
    assert_eq!(sent, ["sent", "sent"]);
    let mut mail = String::new();
    for f in std::fs::read_dir(app.data_dir().join("mail")).unwrap() {
        mail.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    assert!(mail.contains("Now on sale: Northern Lights"), "{mail}");
    assert!(
        mail.contains(&format!("?showtime=3D{show}"))
            || mail.contains(&format!("?showtime={show}")),
        "{mail}"
    );
    assert!(mail.contains("alerts/unsubscribe?token"), "{mail}");
}

#[tokio::test]
async fn a_showtime_scheduled_later_tells_those_waiting_and_unsubscribed_buyers_are_not_told() {
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let admin = app.admin().await;
    let chicago = screen_in(&app, &admin, "Chicago", 41.8853, -87.6278).await;
    let film = movie(&app, &admin, "Coming Soon").await;
    let waiting = app.customer("waiting@example.com").await;
    let cancelled = app.customer("cancelled@example.com").await;
    let by_link = app.customer("link@example.com").await;
    app.ok(
        NOTIFY,
        json!({ "i": { "movieId": film, "city": "Chicago" } }),
        Some(&waiting),
    )
    .await;
    let gone = app
        .ok(
            NOTIFY,
            json!({ "i": { "movieId": film, "city": "Chicago" } }),
            Some(&cancelled),
        )
        .await;
    let linked = app
        .ok(
            NOTIFY,
            json!({ "i": { "movieId": film, "city": "Chicago" } }),
            Some(&by_link),
        )
        .await;
    tell_all(&app).await;
    assert_eq!(told(&app, &waiting).await.0, 0, "nothing scheduled yet");

    let ended = app
        .ok(
            "mutation($a: ID!) { cancelAlert(id: $a) { status } }",
            json!({ "a": gone["notifyMe"]["id"] }),
            Some(&cancelled),
        )
        .await;
    assert_eq!(ended["cancelAlert"]["status"], "UNSUBSCRIBED");
    let stranger = app
        .gql(
            "mutation($a: ID!) { cancelAlert(id: $a) { status } }",
            json!({ "a": linked["notifyMe"]["id"] }),
            Some(&waiting),
        )
        .await;
    assert_eq!(code(&stranger), "NOT_FOUND");
    // The email's link: the token as stored, no sign-in.
    let token = sql_texts(
        &app,
        "SELECT unsubscribe_token FROM title_alerts WHERE id = $1",
        [uuid(linked["notifyMe"]["id"].as_str().unwrap())],
    )
    .await;
    let page = app
        .client
        .get(format!(
            "{}/alerts/unsubscribe?token={}",
            app.address, token[0]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let forged = app
        .client
        .get(format!(
            "{}/alerts/unsubscribe?token=not-a-token",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 404);
    let twice = app
        .ok(
            "mutation($t: String!) { unsubscribeAlert(token: $t) }",
            json!({ "t": token[0] }),
            None,
        )
        .await;
    assert_eq!(twice["unsubscribeAlert"], false, "already unsubscribed");

    // Scheduled now, already on sale; the waiting buyer's open app hears of it live.
    let mut socket = crate::live::open(&app, Some(&waiting)).await;
    crate::live::subscribe(
        &mut socket,
        "subscription { notificationAdded { kind title } }",
        json!({}),
    )
    .await;
    schedule(&app, &admin, &chicago, &film, 2, None).await;
    tell_all(&app).await;
    assert_eq!(told(&app, &waiting).await.0, 1);
    let pushed = crate::subscriptions::next_json(&mut socket)
        .await
        .expect("a live inbox entry within 10 s");
    assert_eq!(
        pushed["payload"]["data"]["notificationAdded"]["kind"], "title.on_sale",
        "{pushed}"
    );
    assert_eq!(told(&app, &cancelled).await, (0, vec![]));
    assert_eq!(told(&app, &by_link).await, (0, vec![]));
}
