//! A payment whose answer was lost at checkout and that is settled later, by the gateway's
//! webhook or by reconciliation: the confirmation, its outbox rows, the relay's publish and
//! the confirmation email are still in the trace of the buyer's checkout.

use std::time::Duration;

use marquee_domain::payments::webhook;
use serde_json::{Value, json};

use super::{CHECKOUT, HOLD, buyer, column, named, showtime, trace_of, until};
use crate::helpers::uuid;
use crate::marquee_process::MarqueeProcess;
use crate::otlp_receiver::{Exported, Receiver};
use crate::webhooks::{SECRET, succeeded};

/// A booking held in one request and checked out in another whose charge went through but
/// whose answer was lost (the gateway's `timeout_after_charge` fault): PAYMENT_PENDING.
/// Its id, the buyer's token, and the traces of the hold and of the checkout.
async fn pending(app: &MarqueeProcess, email: &str) -> (String, String, String, String) {
    let (show, seats) = showtime(app).await;
    let token = buyer(app, email).await;
    let (hold_tp, held) = app
        .post(
            HOLD,
            json!({ "s": show, "seats": [seats[2], seats[3]] }),
            Some(&token),
            &[],
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let (checkout_tp, paid) = app
        .post(CHECKOUT, json!({ "b": booking }), Some(&token), &[])
        .await;
    assert_eq!(paid["checkout"]["status"], "PAYMENT_PENDING", "{paid}");
    let (hold_trace, checkout_trace) =
        (trace_of(&hold_tp.unwrap()), trace_of(&checkout_tp.unwrap()));
    let stored = column(
        app,
        "SELECT trace_parent FROM payments WHERE booking_id = $1",
        vec![uuid(&booking)],
    )
    .await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(
        trace_of(&stored[0]),
        checkout_trace,
        "the payment's trace_parent"
    );
    (booking, token, hold_trace, checkout_trace)
}

/// Waits for the booking to be confirmed and its confirmation published and emailed in the
/// checkout's trace, checks the rows behind them, then stops the server; every span.
async fn followed(
    app: MarqueeProcess,
    receiver: &Receiver,
    (booking, token, hold_trace, checkout_trace): (&str, &str, &str, &str),
) -> Vec<Exported> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let data = app
            .ok(
                "query($b: ID!) { booking(id: $b) { status } }",
                json!({ "b": booking }),
                Some(token),
            )
            .await;
        if data["booking"]["status"] == "CONFIRMED" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not confirmed within 30 s: {data}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    until(receiver, "the confirmation's publish and email", |spans| {
        let mine = |s: &&Exported| s.attr("booking_id") == Some(booking);
        named(spans, checkout_trace, "email.send").iter().any(mine)
            && named(spans, checkout_trace, "outbox.publish")
                .iter()
                .any(|s| {
                    s.attr("topic") == Some("booking.confirmed") && s.attr("key") == Some(booking)
                })
    })
    .await;
    // Held in the hold's trace; payment pending, confirmed and tickets issued in the checkout's.
    let rows = column(
        &app,
        "SELECT trace_parent FROM outbox WHERE key = $1 AND topic IN ('booking.status', 'booking.confirmed') ORDER BY id",
        vec![booking.to_owned().into()],
    )
    .await;
    let traces: Vec<Option<&str>> = rows.iter().map(|t| t.split('-').nth(1)).collect();
    assert_eq!(
        traces,
        [
            Some(hold_trace),
            Some(checkout_trace),
            Some(checkout_trace),
            Some(checkout_trace)
        ],
        "the outbox rows' trace_parent: {rows:?}"
    );
    let queued = column(
        &app,
        "SELECT trace_parent FROM emails WHERE booking_id = $1 AND kind = 'booking.confirmed'",
        vec![uuid(booking)],
    )
    .await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(
        trace_of(&queued[0]),
        checkout_trace,
        "the email's trace_parent"
    );
    assert_eq!(app.mails().len(), 1);
    app.stop().await;
    receiver.spans()
}

/// The only span named `name` in `trace` that `pick` accepts.
fn the<'a>(
    spans: &'a [Exported],
    trace: &str,
    name: &str,
    pick: impl Fn(&Exported) -> bool,
) -> &'a Exported {
    let found: Vec<&Exported> = named(spans, trace, name)
        .into_iter()
        .filter(|s| pick(s))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{name} in trace {trace}: {found:#?}; all: {spans:#?}"
    );
    found[0]
}

/// The confirmation in the checkout's trace, under `settle`, with the email it led to.
fn confirmed_under(spans: &[Exported], checkout_trace: &str, booking: &str, settle: &Exported) {
    let confirm = the(spans, checkout_trace, "confirm", |_| true);
    assert_eq!(confirm.attr("booking_id"), Some(booking));
    assert_eq!(
        confirm.parent_span_id, settle.span_id,
        "{confirm:?} under {settle:?}"
    );
    let email = the(spans, checkout_trace, "email.send", |_| true);
    assert_eq!(email.attr("kind"), Some("booking.confirmed"));
}

#[tokio::test]
async fn a_payment_confirmed_by_a_webhook_is_followed_in_the_checkouts_trace() {
    let receiver = Receiver::start().await;
    let app = MarqueeProcess::start(&[
        ("MARQUEE_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("MARQUEE_FAKE_GATEWAY_FAULT", "timeout_after_charge"),
        ("MARQUEE_STRIPE_WEBHOOK_SECRET", SECRET),
        // Only the webhook settles it.
        ("MARQUEE_RECONCILE_AFTER_SECONDS", "3600"),
    ])
    .await;
    let (booking, token, hold_trace, checkout_trace) = pending(&app, "hooked@example.com").await;
    let body = succeeded("evt_traced", &format!("{booking}:1")).to_string();
    let signature = webhook::sign(
        SECRET.as_bytes(),
        body.as_bytes(),
        chrono::Utc::now().timestamp(),
    );
    let resp = app
        .client
        .post(format!("{}/webhooks/stripe", app.address))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "HTTP {}", resp.status());
    let hook_trace = trace_of(resp.headers()["traceparent"].to_str().unwrap());
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["outcome"], "processed", "{answer}");
    assert_ne!(hook_trace, checkout_trace);
    let spans = followed(
        app,
        &receiver,
        (&booking, &token, &hold_trace, &checkout_trace),
    )
    .await;
    let checkout = the(&spans, &checkout_trace, "checkout", |_| true);
    let delivery = the(&spans, &hook_trace, "handle_gateway_event", |_| true);
    let request = the(&spans, &hook_trace, "POST /webhooks/stripe", |_| true);
    assert_eq!(delivery.parent_span_id, request.span_id);
    // The settlement is the checkout's child, and the delivery and it lead to each other.
    let settle = the(&spans, &checkout_trace, "payment.settle", |s| {
        !s.links.is_empty()
    });
    assert_eq!(settle.parent_span_id, checkout.span_id, "{settle:?}");
    assert_eq!(settle.attr("booking_id"), Some(booking.as_str()));
    assert_eq!(
        settle.links,
        [(hook_trace.clone(), delivery.span_id.clone())]
    );
    assert_eq!(
        delivery.links,
        [(checkout_trace.clone(), checkout.span_id.clone())]
    );
    confirmed_under(&spans, &checkout_trace, &booking, settle);
    assert!(
        named(&spans, &hook_trace, "confirm").is_empty(),
        "{spans:#?}"
    );
}

#[tokio::test]
async fn a_payment_settled_by_reconciliation_is_followed_in_the_checkouts_trace() {
    let receiver = Receiver::start().await;
    let app = MarqueeProcess::start(&[
        ("MARQUEE_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("MARQUEE_FAKE_GATEWAY_FAULT", "timeout_after_charge"),
        ("MARQUEE_RECONCILE_AFTER_SECONDS", "1"),
    ])
    .await;
    let (booking, token, hold_trace, checkout_trace) = pending(&app, "asked@example.com").await;
    let spans = followed(
        app,
        &receiver,
        (&booking, &token, &hold_trace, &checkout_trace),
    )
    .await;
    let checkout = the(&spans, &checkout_trace, "checkout", |_| true);
    // The pass that found the charge taken: the checkout's child, its lookup and settlement
    // under it.
    let settle = the(&spans, &checkout_trace, "payment.settle", |s| {
        s.parent_span_id != checkout.span_id
    });
    let reconcile = the(&spans, &checkout_trace, "payment.reconcile", |s| {
        s.span_id == settle.parent_span_id
    });
    assert_eq!(reconcile.parent_span_id, checkout.span_id, "{reconcile:?}");
    assert_eq!(reconcile.attr("booking_id"), Some(booking.as_str()));
    the(&spans, &checkout_trace, "payment.lookup", |s| {
        s.parent_span_id == reconcile.span_id
    });
    confirmed_under(&spans, &checkout_trace, &booking, settle);
}
