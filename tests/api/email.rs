//! Email: what buyers receive over real SMTP, retries, dead letters, reminders, and the
//! file transport of the embedded default.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::{address, in_flight, received, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const EMAILS: &str = "query($s: EmailStatus) { emails(status: $s, first: 100) { edges { node { id recipient kind status attempts lastError sentAt } } } }";
const RETRY: &str = "mutation($id: ID!) { retryEmail(id: $id) { id status attempts } }";

async fn smtp_app(adjust: impl FnOnce(&mut marquee::config::Settings) + Send + 'static) -> TestApp {
    spawn_app_with(move |s| {
        s.smtp_url = Some(SecretString::from(smtp_url()));
        adjust(s);
    })
    .await
}

/// Signs `to` up and confirms a booking of `seats` for it; returns (token, booking id).
async fn confirmed(app: &TestApp, showtime: &str, seats: &[String], to: &str) -> (String, String) {
    let token = app.customer(to).await;
    let held = app
        .ok(HOLD, json!({ "s": showtime, "seats": seats }), Some(&token))
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&token))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");
    (token, booking)
}

/// The queue as admins see it.
async fn queue(app: &TestApp, admin: &str, status: Option<&str>) -> Vec<Value> {
    app.ok(EMAILS, json!({ "s": status }), Some(admin)).await["emails"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Waits until every change is published and every email queued has been sent: from then
/// on nothing more goes out unless something new happens.
pub async fn drained(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = sql_texts(
            app,
            "SELECT (SELECT COUNT(*) FROM outbox WHERE published_at IS NULL) \
             + (SELECT COUNT(*) FROM emails WHERE status = 'pending')",
            [],
        )
        .await;
        if left == ["0"] {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{left:?} changes and emails still waiting"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the admin view shows `to`'s email with `status`.
async fn wait_status(app: &TestApp, admin: &str, to: &str, status: &str) -> Value {
    for _ in 0..200 {
        if let Some(e) = queue(app, admin, None)
            .await
            .into_iter()
            .find(|e| e["recipient"] == to && e["status"] == status)
        {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no {status} email for {to}: {:?}",
        queue(app, admin, None).await
    );
}

#[tokio::test]
async fn the_confirmation_reaches_the_smtp_server_with_seats_ticket_codes_and_qr_images() {
    let app = smtp_app(|_| {}).await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("ada", "example.com");
    let (token, booking) = confirmed(&app, &showtime, &seats[..2], &to).await;
    let b = app
        .ok(
            "query($b: ID!) { booking(id: $b) { tickets { code row number } showtime { startsAt } } }",
            json!({ "b": booking }),
            Some(&token),
        )
        .await;

    let mail = wait_for(&to, 1, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(m["subject"], "Your tickets for Blockbuster");
    let text = m["text"].as_str().unwrap();
    let html = m["html"].as_str().unwrap();
    for t in b["booking"]["tickets"].as_array().unwrap() {
        let code = t["code"].as_str().unwrap();
        let seat = format!("Row {} seat {}", t["row"].as_str().unwrap(), t["number"]);
        assert!(text.contains(code) && text.contains(&seat), "{text}");
        assert!(html.contains(&format!("cid:qr-{code}")), "{html}");
        let image = m["inline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["cid"] == format!("qr-{code}"))
            .unwrap_or_else(|| panic!("no inline QR image for {code}: {m}"));
        assert_eq!(image["content_type"], "image/png");
        assert_eq!(image["png"], true);
        assert!(image["disposition"].as_str().unwrap().starts_with("inline"));
    }
    // The theatre, its address, and the start in the theatre's own time zone (Chicago).
    let starts = time(&b["booking"]["showtime"]["startsAt"])
        .with_timezone(&chrono_tz::America::Chicago)
        .format("%A %-d %B %Y, %H:%M %Z")
        .to_string();
    for part in [
        "Opening Night",
        "1 State St, Chicago, IL 60601",
        starts.as_str(),
        "30.00 USD",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
        assert!(html.contains(part), "{part} missing from {html}");
    }

    let admin = app.admin().await;
    let sent = wait_status(&app, &admin, &to, "SENT").await;
    assert_eq!(sent["kind"], "booking.confirmed");
    assert_eq!(sent["attempts"], 1);
    assert!(app.metric("marquee_emails_total{outcome=\"sent\"}").await >= 1.0);
}

#[tokio::test]
async fn refusals_are_retried_with_backoff_or_dead_lettered_and_admins_can_retry_dead_ones() {
    let app = smtp_app(|s| {
        s.email_retry_base_seconds = 1;
        s.email_max_attempts = 4;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let flaky = address("flaky", "example.com");
    let refused = address("reject", "example.com");
    confirmed(&app, &showtime, &seats[..1], &flaky).await;
    confirmed(&app, &showtime, &seats[1..2], &refused).await;
    let admin = app.admin().await;

    // Refused twice with 451, then accepted: one message, three attempts.
    let sent = wait_status(&app, &admin, &flaky, "SENT").await;
    assert_eq!(sent["attempts"], 3);
    assert_eq!(wait_for(&flaky, 1, Duration::from_secs(5)).await.len(), 1);

    // Refused with 550: dead at once, listed as a dead letter with the server's words.
    let dead = wait_status(&app, &admin, &refused, "DEAD").await;
    assert_eq!(dead["attempts"], 1);
    assert!(
        dead["lastError"].as_str().unwrap().contains("550"),
        "{dead}"
    );
    let letters = queue(&app, &admin, Some("DEAD")).await;
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["recipient"], refused.as_str());
    assert!(received(&refused).await.is_empty());

    // A retry starts over, and the server refuses again.
    let retried = app
        .ok(RETRY, json!({ "id": dead["id"] }), Some(&admin))
        .await;
    assert_eq!(retried["retryEmail"]["status"], "PENDING");
    assert_eq!(retried["retryEmail"]["attempts"], 0);
    let again = wait_status(&app, &admin, &refused, "DEAD").await;
    assert_eq!(again["attempts"], 1);

    // Only dead letters can be retried, only by admins, only by a real id.
    let body = app
        .gql(RETRY, json!({ "id": sent["id"] }), Some(&admin))
        .await;
    assert_eq!(code(&body), "CONFLICT");
    let body = app.gql(RETRY, json!({ "id": "nope" }), Some(&admin)).await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(RETRY, json!({ "id": uuid::Uuid::new_v4() }), Some(&admin))
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let customer = app.customer(&address("nosy", "example.com")).await;
    let body = app
        .gql(RETRY, json!({ "id": dead["id"] }), Some(&customer))
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let body = app
        .gql(EMAILS, json!({ "s": "DEAD" }), Some(&customer))
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let body = app.gql(EMAILS, json!({ "s": "DEAD" }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_unreachable_server_is_retried_until_the_attempts_run_out() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(move |s| {
        s.smtp_url = Some(SecretString::from(format!("smtp://127.0.0.1:{port}")));
        s.email_retry_base_seconds = 1;
        s.email_max_attempts = 3;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("lost", "example.com");
    confirmed(&app, &showtime, &seats[..1], &to).await;
    let admin = app.admin().await;
    let dead = wait_status(&app, &admin, &to, "DEAD").await;
    assert_eq!(dead["attempts"], 3);
    assert!(app.metric("marquee_emails_total{outcome=\"retry\"}").await >= 2.0);
    assert!(app.metric("marquee_emails_total{outcome=\"dead\"}").await >= 1.0);
}

#[tokio::test]
async fn two_instances_sending_from_one_queue_send_each_email_once() {
    let shared: Arc<Mutex<Option<SecretString>>> = Arc::default();
    let first = {
        let shared = shared.clone();
        smtp_app(move |s| *shared.lock().unwrap() = s.database_url.clone()).await
    };
    let database = shared.lock().unwrap().clone().unwrap();
    let second = smtp_app(move |s| s.database_url = Some(database)).await;
    let (showtime, seats) = opening_night(&first).await;
    // The server answers DATA for these after two seconds, so each worker is busy with one
    // email while the other claims the next: both instances send.
    let buyers: Vec<String> = (0..6)
        .map(|i| address(&format!("pair{i}"), "slow.test"))
        .collect();
    // Bookings confirmed through both instances, so that both workers are woken to send.
    for (i, to) in buyers.iter().enumerate() {
        let through = if i % 2 == 0 { &first } else { &second };
        confirmed(through, &showtime, &seats[i..=i], to).await;
    }
    for to in &buyers {
        assert_eq!(
            wait_for(to, 1, Duration::from_secs(30)).await.len(),
            1,
            "{to}"
        );
    }
    // Once the queue has nothing left to send, nothing more can arrive.
    drained(&first).await;
    for to in &buyers {
        assert_eq!(received(to).await.len(), 1, "{to}");
    }
    let (one, two) = (
        first.metric("marquee_emails_total{outcome=\"sent\"}").await,
        second
            .metric("marquee_emails_total{outcome=\"sent\"}")
            .await,
    );
    assert_eq!(
        one + two,
        buyers.len() as f64,
        "sent by the first {one}, by the second {two}"
    );
    assert!(
        one > 0.0 && two > 0.0,
        "sent by the first {one}, by the second {two}"
    );
    // Admins page through the queue, newest first, each email once.
    let admin = first.admin().await;
    let (mut seen, mut after) = (Vec::new(), Value::Null);
    loop {
        let page = first
            .ok(
                "query($a: String) { emails(first: 5, after: $a) { edges { cursor node { id createdAt } } pageInfo { hasNextPage } } }",
                json!({ "a": after }),
                Some(&admin),
            )
            .await;
        let edges = page["emails"]["edges"].as_array().unwrap().clone();
        seen.extend(edges.iter().map(|e| e["node"].clone()));
        if page["emails"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = edges.last().unwrap()["cursor"].clone();
    }
    assert_eq!(seen.len(), buyers.len());
    let ids: std::collections::HashSet<_> = seen.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(ids.len(), buyers.len());
    assert!(
        seen.windows(2)
            .all(|w| time(&w[0]["createdAt"]) >= time(&w[1]["createdAt"]))
    );
    let body = first
        .gql(
            "{ emails(after: \"garbage\") { edges { cursor } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_server_stalling_past_the_lease_still_gets_the_email_once_from_two_instances() {
    // A 2 s lease: a send gives up after 1 s. The server holds back its answer to the first
    // message's data for 4 s, past the lease, when the other instance may take the email.
    let shared: Arc<Mutex<Option<SecretString>>> = Arc::default();
    let short_lease = |s: &mut marquee::config::Settings| {
        s.email_lease_seconds = 2;
        s.email_retry_base_seconds = 1;
    };
    let first = {
        let shared = shared.clone();
        smtp_app(move |s| {
            short_lease(s);
            *shared.lock().unwrap() = s.database_url.clone();
        })
        .await
    };
    let database = shared.lock().unwrap().clone().unwrap();
    let _second = smtp_app(move |s| {
        short_lease(s);
        s.database_url = Some(database);
    })
    .await;
    let (showtime, seats) = opening_night(&first).await;
    let to = address("stall4", "example.com");
    confirmed(&first, &showtime, &seats[..1], &to).await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !in_flight(&to).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server never stalled on {to}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The end: the email recorded as sent, and no answer of the server still pending.
    let row = || async {
        sql_texts(
            &first,
            "SELECT status || ':' || CAST(attempts AS TEXT) FROM emails WHERE recipient = $1",
            [to.clone().into()],
        )
        .await
    };
    loop {
        let rows = row().await;
        if rows.first().is_some_and(|r| r.starts_with("sent:")) && !in_flight(&to).await {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never sent with nothing in flight: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let kept: Vec<(Value, Value)> = received(&to)
        .await
        .into_iter()
        .map(|m| (m["message_id"].clone(), m["received_at"].clone()))
        .collect();
    assert_eq!(kept.len(), 1, "the server kept copies (id, time): {kept:?}");
    // The stalled attempt was given up on and retried once.
    assert_eq!(row().await, vec!["sent:2".to_owned()]);
}

#[tokio::test]
async fn a_reminder_goes_out_once_a_set_time_before_the_show_to_buyers_who_booked_earlier() {
    let app = smtp_app(|s| s.reminder_lead_minutes = 180).await;
    let (showtime, seats) = opening_night(&app).await;
    let early = address("early", "example.com");
    let (token, _) = confirmed(&app, &showtime, &seats[..1], &early).await;
    wait_for(&early, 1, Duration::from_secs(20)).await;

    // Not yet: the show is a day away.
    assert_eq!(app.services.emails.request_reminders().await.unwrap(), 0);
    // Two hours and a half before the show.
    app.clock
        .advance(chrono::Duration::hours(21) + chrono::Duration::minutes(30));
    let late = address("late", "example.com");
    confirmed(&app, &showtime, &seats[1..2], &late).await;
    assert_eq!(app.services.emails.request_reminders().await.unwrap(), 1);

    let mail = wait_for(&early, 2, Duration::from_secs(20)).await;
    assert_eq!(mail.len(), 2, "{mail:?}");
    let reminder = mail
        .iter()
        .find(|m| m["subject"] == "Reminder: Blockbuster starts soon")
        .unwrap_or_else(|| panic!("{mail:?}"));
    assert!(!reminder["inline"].as_array().unwrap().is_empty());
    let entries = app
        .ok(
            "{ notifications(first: 10) { edges { node { kind } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let kinds: Vec<&Value> = entries["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["kind"])
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "booking.reminder").count(),
        1,
        "{kinds:?}"
    );

    // Asked again (another pass, another instance): nothing new.
    for _ in 0..3 {
        app.services.emails.request_reminders().await.unwrap();
    }
    // Once the queue is drained, nothing more can arrive.
    drained(&app).await;
    assert_eq!(received(&early).await.len(), 2);
    // The buyer who booked inside the window already has the details: no reminder.
    assert_eq!(received(&late).await.len(), 1);
}

#[tokio::test]
async fn a_reminder_is_asked_for_once_however_many_passes_and_instances_ask_before_it_is_sent() {
    // No workers: nothing turns the request into an entry meanwhile (a deriver behind, or
    // stopped), which is when every pass used to ask again.
    let app = smtp_app(|s| {
        s.reminder_lead_minutes = 180;
        s.run_workers = false;
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let (_, booking) = confirmed(
        &app,
        &showtime,
        &seats[..1],
        &address("asked", "example.com"),
    )
    .await;
    app.clock
        .advance(chrono::Duration::hours(21) + chrono::Duration::minutes(30));
    // Four instances' passes at once, then more passes.
    let asked =
        futures_util::future::join_all((0..4).map(|_| app.services.emails.request_reminders()))
            .await;
    let asked: usize = asked.into_iter().map(Result::unwrap).sum();
    assert_eq!(asked, 1);
    for _ in 0..3 {
        assert_eq!(app.services.emails.request_reminders().await.unwrap(), 0);
    }
    let rows = sql_texts(
        &app,
        "SELECT \"key\" FROM outbox WHERE topic = 'booking.reminder'",
        [],
    )
    .await;
    assert_eq!(rows, vec![booking.clone()]);
    // Once derived: one entry, one email queued.
    while app.services.deriver.try_execute_task().await.unwrap()
        == marquee_domain::booking::ExecutionOutcome::TaskCompleted
    {}
    let queued = sql_texts(
        &app,
        "SELECT kind FROM emails WHERE booking_id = $1 ORDER BY kind",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(queued, vec!["booking.confirmed", "booking.reminder"]);
    assert_eq!(app.services.emails.request_reminders().await.unwrap(), 0);
}

#[tokio::test]
async fn the_embedded_default_writes_each_email_as_a_file() {
    let app = spawn_app().await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("files", "example.com");
    let (token, booking) = confirmed(&app, &showtime, &seats[..1], &to).await;
    let code = app
        .ok(
            "query($b: ID!) { booking(id: $b) { tickets { code } } }",
            json!({ "b": booking }),
            Some(&token),
        )
        .await["booking"]["tickets"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let folder = app.data_dir().join("mail");
    let mut found = Vec::new();
    for _ in 0..200 {
        found = std::fs::read_dir(&folder)
            .map(|d| {
                d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .filter(|m| m.contains(&to))
                    .collect()
            })
            .unwrap_or_default();
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        found.len(),
        1,
        "no email file for {to} in {}",
        folder.display()
    );
    assert!(found[0].contains(&format!("Content-ID: <qr-{code}>")));
    assert!(found[0].contains("Subject: Your tickets for Blockbuster"));
}

#[tokio::test]
async fn holds_and_releases_cannot_flood_an_address_past_its_hourly_cap() {
    let app = smtp_app(|s| s.email_max_per_recipient_hour = 3).await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("flooded", "example.com");
    let buyer = app.customer(&to).await;
    for seat in &seats[..5] {
        let held = app
            .ok(
                HOLD,
                json!({ "s": showtime, "seats": [seat] }),
                Some(&buyer),
            )
            .await;
        app.ok(
            "mutation($b: ID!) { releaseHold(bookingId: $b) { status } }",
            json!({ "b": held["holdSeats"]["id"] }),
            Some(&buyer),
        )
        .await;
    }
    // A purchase after the flood is still confirmed by email.
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[9]] }),
            Some(&buyer),
        )
        .await;
    app.ok(
        CHECKOUT,
        json!({ "b": held["holdSeats"]["id"] }),
        Some(&buyer),
    )
    .await;
    let queued = || async {
        sql_texts(
            &app,
            "SELECT kind || ':' || status FROM emails WHERE recipient = $1 ORDER BY created_at, kind",
            [to.clone().into()],
        )
        .await
    };
    // Every entry is in the inbox (the confirmation last, after the five releases)...
    let entries = || async {
        let inbox = app
            .ok(
                "{ notifications(first: 20) { edges { node { kind } } } }",
                json!({}),
                Some(&buyer),
            )
            .await;
        inbox["notifications"]["edges"].as_array().unwrap().len()
    };
    for _ in 0..200 {
        if entries().await == 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(entries().await, 6);
    // ...but only three releases were emailed, and the confirmation.
    let rows = queued().await;
    assert_eq!(rows.len(), 4, "{rows:?}");
    let released = rows.iter().filter(|r| r.starts_with("booking.cancelled:"));
    assert_eq!(released.count(), 3, "{rows:?}");
    assert!(
        rows.iter().any(|r| r.starts_with("booking.confirmed:")),
        "{rows:?}"
    );
    let mail = wait_for(&to, 4, Duration::from_secs(30)).await;
    drained(&app).await;
    assert_eq!(received(&to).await.len(), 4, "{mail:?}");
}
