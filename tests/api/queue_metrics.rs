//! The queue gauges an operator alerts on read the database's truth: events waiting for
//! the relay, email given up on, payments whose reconciliation is overdue.

use marquee_domain::booking::ExecutionOutcome;
use marquee_domain::payments::FakeBehaviour;
use serde_json::json;

use crate::helpers::*;

const CHECKOUT: &str = "mutation($b: ID!, $pm: String!) { checkout(bookingId: $b, input: { paymentMethod: $pm }) { status } }";

async fn gauge(app: &TestApp, name: &str) -> f64 {
    let text = app.metrics_text().await;
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} not in /metrics:\n{text}"))
}

#[tokio::test]
async fn queue_gauges_follow_relay_lag_overdue_reconciliation_and_dead_letters() {
    // Workers stay still, so that the test moves each queue itself.
    let app = spawn_app_with(|s| s.run_workers = false).await;
    let held = one_held_seat(&app, "queues@example.com").await;

    // The catalog and the hold wrote events that nobody published yet.
    app.clock.advance(chrono::Duration::minutes(2));
    let lag = gauge(&app, "marquee_outbox_relay_lag_seconds").await;
    assert!((120.0..180.0).contains(&lag), "relay lag {lag}");
    assert!(gauge(&app, "marquee_outbox_unpublished").await >= 1.0);
    while app.services.relay.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {}
    assert_eq!(gauge(&app, "marquee_outbox_relay_lag_seconds").await, 0.0);
    assert_eq!(gauge(&app, "marquee_outbox_unpublished").await, 0.0);

    // A charge whose answer was lost waits for reconciliation; once its check is due and
    // not yet made, it is overdue.
    app.fake().set_behaviour(FakeBehaviour::TimeoutAfterCharge);
    let paid = app
        .gql(
            CHECKOUT,
            json!({ "b": held.booking, "pm": "pm_card_visa" }),
            Some(&held.buyer),
        )
        .await;
    assert_eq!(
        paid["data"]["checkout"]["status"], "PAYMENT_PENDING",
        "{paid}"
    );
    assert_eq!(
        gauge(&app, "marquee_payments_awaiting_reconciliation").await,
        0.0
    );
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        gauge(&app, "marquee_payments_awaiting_reconciliation").await,
        1.0
    );
    app.fake().set_behaviour(FakeBehaviour::Normal);
    while app.services.reconcile.try_execute_task().await.unwrap()
        == ExecutionOutcome::TaskCompleted
    {}
    let status = sql_texts(
        &app,
        "SELECT status FROM payments WHERE booking_id = $1",
        [uuid(&held.booking)],
    )
    .await;
    assert_eq!(status, ["succeeded"]);
    assert_eq!(
        gauge(&app, "marquee_payments_awaiting_reconciliation").await,
        0.0
    );

    // The confirmation's email, once given up on, is a dead letter.
    while app.services.relay.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted {}
    while app.services.deriver.try_execute_task().await.unwrap() == ExecutionOutcome::TaskCompleted
    {
    }
    assert_eq!(gauge(&app, "marquee_email_dead_letters").await, 0.0);
    let queued = sql_texts(&app, "SELECT COUNT(*) FROM emails", []).await;
    assert_ne!(queued, ["0"], "the confirmation queued no email");
    sql_exec(&app, "UPDATE emails SET status = 'dead'").await;
    let dead: f64 = sql_texts(
        &app,
        "SELECT COUNT(*) FROM emails WHERE status = 'dead'",
        [],
    )
    .await[0]
        .parse()
        .unwrap();
    assert_eq!(gauge(&app, "marquee_email_dead_letters").await, dead);
}

#[tokio::test]
async fn a_read_replica_needs_postgresql_as_the_database_of_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path()).await;
    settings.database_url =
        Some(format!("sqlite://{}?mode=rwc", dir.path().join("x.db").display()).into());
    settings.database_read_url = Some("postgres://127.0.0.1:1/none".to_owned().into());
    let err = settings.validate().unwrap_err().to_string();
    assert!(err.contains("database_read_url"), "{err}");
}
