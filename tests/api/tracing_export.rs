//! Traces over OTLP: the real binary (its tracing subscriber is global to its process)
//! exports to a receiver in the test, continues a caller's `traceparent`, and carries a
//! reservation's trace through the outbox to the relay, the inbox deriver and the email.

use std::time::Duration;

use futures_util::SinkExt;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{MOVIE, SCREEN, SHOWTIME, THEATRE, all_prices, in_hours, small_layout};
use crate::helpers::{theatre_input, uuid};
use crate::live::SEAT_UPDATES;
use crate::marquee_process::MarqueeProcess;
use crate::otlp_receiver::{Exported, Receiver};
use crate::subscriptions::next_json;

mod settled_later;

const CALLER_TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";
const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { id status } }";

/// The trace id of a `traceparent` (`00-<trace>-<span>-<flags>`).
fn trace_of(traceparent: &str) -> String {
    traceparent.split('-').nth(1).unwrap().to_owned()
}

/// Waits until the receiver holds spans `wanted` accepts (spans leave in batches).
async fn until(receiver: &Receiver, what: &str, wanted: impl Fn(&[Exported]) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !wanted(&receiver.spans()) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not exported within 30 s; got {:#?}",
            receiver.spans()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The spans named `name` in trace `trace`.
fn named<'a>(spans: &'a [Exported], trace: &str, name: &str) -> Vec<&'a Exported> {
    spans
        .iter()
        .filter(|s| s.trace_id == trace && s.name == name)
        .collect()
}

/// A fresh showtime of a small screen, made by the admin; its id and seat ids.
async fn showtime(app: &MarqueeProcess) -> (String, Vec<String>) {
    let admin = app.admin().await;
    let t = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Traced") }),
            Some(&admin),
        )
        .await;
    let screen = app
        .ok(
            SCREEN,
            json!({ "t": t["createTheatre"]["id"], "n": "One", "l": small_layout() }),
            Some(&admin),
        )
        .await;
    let movie = app
        .ok(
            MOVIE,
            json!({ "i": { "title": "Followed", "runtimeMinutes": 90, "releaseDate": "2026-01-01" } }),
            Some(&admin),
        )
        .await;
    let st = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": screen["createScreen"]["id"], "movieId": movie["createMovie"]["id"],
                           "startsAt": in_hours(30), "prices": all_prices() } }),
            Some(&admin),
        )
        .await;
    let id = st["createShowtime"]["id"].as_str().unwrap().to_owned();
    let map = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { id } } } }",
            json!({ "s": id }),
            None,
        )
        .await;
    let seats = map["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    (id, seats)
}

async fn buyer(app: &MarqueeProcess, email: &str) -> String {
    let data = app
        .ok(
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            json!({ "i": { "email": email, "password": "correct horse", "name": "Traced Buyer" } }),
            None,
        )
        .await;
    data["signUp"]["token"].as_str().unwrap().to_owned()
}

/// Text values of one column of a query against the server's database.
async fn column(app: &MarqueeProcess, sql: &str, values: Vec<sea_orm::Value>) -> Vec<String> {
    let db = Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap();
    db.close().await.ok();
    rows.iter()
        .map(|r| {
            r.try_get_by_index::<Option<String>>(0)
                .unwrap()
                .unwrap_or_else(|| "NULL".to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_request_with_a_traceparent_is_exported_in_the_callers_trace_and_flushed_at_shutdown() {
    let receiver = Receiver::start().await;
    let app = MarqueeProcess::start(&[
        ("MARQUEE_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("MARQUEE_OTLP_SERVICE_NAME", "marquee-under-test"),
    ])
    .await;
    let caller = format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01");
    let (answered, data) = app
        .post(
            "query Listing { movies(first: 1) { edges { node { id } } } }",
            json!({}),
            None,
            &[("traceparent", caller.as_str())],
        )
        .await;
    assert!(data["movies"]["edges"].is_array(), "{data}");
    let answered = answered.expect("a traceparent in the answer");
    assert_eq!(trace_of(&answered), CALLER_TRACE, "{answered}");
    // Stopped at once: the batch's 5 s delay has not passed, so only the flush at
    // shutdown can have sent the spans.
    app.stop().await;
    let spans = receiver.spans();
    let request = named(&spans, CALLER_TRACE, "POST /graphql");
    assert_eq!(request.len(), 1, "{spans:#?}");
    assert_eq!(request[0].parent_span_id, CALLER_SPAN);
    assert_eq!(request[0].service, "marquee-under-test");
    assert_eq!(request[0].attr("path"), Some("/graphql"));
    assert_eq!(
        answered.split('-').nth(2),
        Some(request[0].span_id.as_str())
    );
    let operation = named(&spans, CALLER_TRACE, "graphql");
    assert_eq!(operation.len(), 1, "{spans:#?}");
    assert_eq!(operation[0].parent_span_id, request[0].span_id);
    assert_eq!(operation[0].attr("operation"), Some("Listing"));
}

#[tokio::test]
async fn one_reservation_is_followed_from_its_requests_through_the_relay_to_the_email() {
    let receiver = Receiver::start().await;
    let app = MarqueeProcess::start(&[("MARQUEE_OTLP_ENDPOINT", receiver.endpoint.as_str())]).await;
    let (show, seats) = showtime(&app).await;
    let token = buyer(&app, "followed@example.com").await;
    let (hold_tp, held) = app
        .post(
            HOLD,
            json!({ "s": show, "seats": [seats[4], seats[5]] }),
            Some(&token),
            &[],
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let (checkout_tp, paid) = app
        .post(CHECKOUT, json!({ "b": booking }), Some(&token), &[])
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED", "{paid}");
    let (hold_trace, checkout_trace) =
        (trace_of(&hold_tp.unwrap()), trace_of(&checkout_tp.unwrap()));
    assert_ne!(hold_trace, checkout_trace);
    // The outbox rows carry the trace of the request that wrote them: held, then payment
    // pending and confirmed.
    let stored = column(
        &app,
        "SELECT trace_parent FROM outbox WHERE key = $1 AND topic = 'booking.status' ORDER BY id",
        vec![booking.clone().into()],
    )
    .await;
    let traces: Vec<Option<&str>> = stored.iter().map(|t| t.split('-').nth(1)).collect();
    assert_eq!(
        traces,
        [
            Some(hold_trace.as_str()),
            Some(checkout_trace.as_str()),
            Some(checkout_trace.as_str())
        ],
        "the outbox rows' trace_parent: {stored:?}"
    );
    until(&receiver, "the confirmation email's send", |spans| {
        named(spans, &checkout_trace, "email.send")
            .iter()
            .any(|s| s.attr("booking_id") == Some(booking.as_str()))
    })
    .await;
    let sent = column(
        &app,
        "SELECT status FROM emails WHERE booking_id = $1 AND kind = 'booking.confirmed'",
        vec![uuid(&booking)],
    )
    .await;
    assert_eq!(sent, ["sent"]);
    assert_eq!(app.mails().len(), 1);
    until(&receiver, "the hold's and the checkout's spans", |spans| {
        !named(spans, &hold_trace, "outbox.publish").is_empty()
            && !named(spans, &checkout_trace, "outbox.publish").is_empty()
    })
    .await;
    app.stop().await;
    let spans = receiver.spans();
    let one = |trace: &str, name: &str| -> Exported {
        let found = named(&spans, trace, name);
        assert!(!found.is_empty(), "no {name} in trace {trace}: {spans:#?}");
        found[0].clone()
    };
    for name in ["hold_seats", "hold.front_line", "hold.transaction"] {
        let span = one(&hold_trace, name);
        assert_eq!(span.attr("booking_id"), Some(booking.as_str()), "{span:?}");
        assert_eq!(span.attr("showtime_id"), Some(show.as_str()), "{span:?}");
    }
    for name in ["checkout", "payment.charge", "payment.settle", "confirm"] {
        let span = one(&checkout_trace, name);
        assert_eq!(span.attr("booking_id"), Some(booking.as_str()), "{span:?}");
    }
    assert_eq!(
        one(&checkout_trace, "checkout").attr("showtime_id"),
        Some(show.as_str())
    );
    assert_eq!(
        one(&checkout_trace, "payment.charge").attr("gateway"),
        Some("fake")
    );
    // The hold's seat changes and the confirmation were published in their writers' traces.
    let published = named(&spans, &hold_trace, "outbox.publish");
    assert!(
        published
            .iter()
            .any(|s| s.attr("topic") == Some("seat.changes")),
        "{published:#?}"
    );
    let confirmed = named(&spans, &checkout_trace, "outbox.publish");
    assert!(
        confirmed
            .iter()
            .any(|s| s.attr("topic") == Some("booking.status")
                && s.attr("key") == Some(booking.as_str())),
        "{confirmed:#?}"
    );
    // Relay → inbox deriver → email worker, each a child of the step before.
    let derived = named(&spans, &checkout_trace, "inbox.derive_event");
    let email = one(&checkout_trace, "email.send");
    assert_eq!(email.attr("kind"), Some("booking.confirmed"));
    assert!(
        derived.iter().any(|d| d.span_id == email.parent_span_id),
        "the email's parent {} is none of {derived:#?}",
        email.parent_span_id
    );
    // The workers' passes have spans of their own too.
    for pass in ["outbox.relay", "inbox.derive"] {
        assert!(
            spans.iter().any(|s| s.name == pass),
            "no {pass}: {spans:#?}"
        );
    }
}

#[tokio::test]
async fn a_subscription_has_spans_in_the_trace_of_its_upgrade_request() {
    let receiver = Receiver::start().await;
    let app = MarqueeProcess::start(&[("MARQUEE_OTLP_ENDPOINT", receiver.endpoint.as_str())]).await;
    let (show, seats) = showtime(&app).await;
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let caller = format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01");
    req.headers_mut()
        .insert("traceparent", caller.parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let send = |v: Value| Message::text(v.to_string());
    socket
        .send(send(json!({ "type": "connection_init" })))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    socket
        .send(send(json!({ "id": "map", "type": "subscribe",
            "payload": { "query": SEAT_UPDATES, "variables": { "s": show }, "operationName": null } })))
        .await
        .unwrap();
    let first = next_json(&mut socket).await.unwrap();
    assert_eq!(first["type"], "next", "{first}");
    let token = buyer(&app, "watched@example.com").await;
    app.post(
        HOLD,
        json!({ "s": show, "seats": [seats[4]] }),
        Some(&token),
        &[],
    )
    .await;
    // The hold reaches the subscriber through the relay.
    let change = next_json(&mut socket).await.unwrap();
    assert_eq!(
        change["payload"]["data"]["seatMapUpdates"]["changes"][0]["status"], "HELD",
        "{change}"
    );
    socket
        .send(send(json!({ "id": "map", "type": "complete" })))
        .await
        .unwrap();
    socket.close(None).await.unwrap();
    until(
        &receiver,
        "the connection's and the operation's spans",
        |spans| {
            !named(spans, CALLER_TRACE, "graphql.ws.operation").is_empty()
                && spans.iter().any(|s| s.name == "outbox.relay")
        },
    )
    .await;
    app.stop().await;
    let spans = receiver.spans();
    let upgrade = named(&spans, CALLER_TRACE, "GET /graphql/ws");
    assert_eq!(upgrade.len(), 1, "{spans:#?}");
    assert_eq!(upgrade[0].parent_span_id, CALLER_SPAN);
    assert_eq!(upgrade[0].attr("path"), Some("/graphql/ws"));
    let connection = named(&spans, CALLER_TRACE, "graphql.ws");
    assert_eq!(connection.len(), 1, "{spans:#?}");
    assert_eq!(connection[0].parent_span_id, upgrade[0].span_id);
    let operation = named(&spans, CALLER_TRACE, "graphql.ws.operation");
    assert_eq!(operation.len(), 1, "{spans:#?}");
    assert_eq!(operation[0].parent_span_id, connection[0].span_id);
    assert_eq!(operation[0].attr("id"), Some("map"));
}

#[tokio::test]
async fn without_an_otlp_endpoint_nothing_is_exported_and_the_server_works() {
    let receiver = Receiver::start().await;
    // The standard OpenTelemetry variables name the receiver: only `otlp_endpoint` turns
    // the export on.
    let traces = format!("{}/v1/traces", receiver.endpoint);
    let app = MarqueeProcess::start(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.as_str()),
    ])
    .await;
    let (show, seats) = showtime(&app).await;
    let token = buyer(&app, "untraced@example.com").await;
    let caller = format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01");
    let (hold_tp, held) = app
        .post(
            HOLD,
            json!({ "s": show, "seats": [seats[4]] }),
            Some(&token),
            &[("traceparent", caller.as_str())],
        )
        .await;
    assert_eq!(hold_tp, None);
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let (_, paid) = app
        .post(CHECKOUT, json!({ "b": booking }), Some(&token), &[])
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED", "{paid}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while app.mails().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no email within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stored = column(&app, "SELECT trace_parent FROM outbox ORDER BY id", vec![]).await;
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|t| t == "NULL"), "{stored:?}");
    let queued = column(&app, "SELECT trace_parent FROM emails", vec![]).await;
    assert_eq!(queued, ["NULL"]);
    app.stop().await;
    assert_eq!(receiver.posts(), 0, "{:#?}", receiver.spans());
}
