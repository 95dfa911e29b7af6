use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::ids::OrganisationId;

fn org() -> OrganisationId {
    OrganisationId::from(Uuid::new_v4())
}

#[test]
fn a_period_must_run_forward_on_whole_hours() {
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
    let ask = |from, to, g| ReportQuery::new(org(), from, to, g, GroupBy::Theatre);
    assert!(ask(at(1, 0), at(5, 0), Granularity::Hour).is_ok());
    for (from, to, field) in [
        (at(5, 0), at(1, 0), "to"),
        (at(1, 0), at(1, 0), "to"),
        (at(1, 30), at(5, 0), "from"),
        (at(1, 0), at(5, 15), "to"),
    ] {
        let err = ask(from, to, Granularity::Day).unwrap_err();
        assert!(
            matches!(err, AnalyticsError::Invalid { field: f, .. } if f == field),
            "{err}"
        );
    }
    let long = at(0, 0) + chrono::Duration::days(94);
    assert!(ask(at(0, 0), long, Granularity::Hour).is_err());
    assert!(ask(at(0, 0), long, Granularity::Day).is_ok());
}

#[test]
fn figures_add_up_and_net_is_gross_less_refunds() {
    let mut a = Figures {
        tickets_sold: 3,
        gross_cents: 4_000,
        refund_cents: 500,
        ..Figures::default()
    };
    a.add(&Figures {
        tickets_sold: 2,
        holds_placed: 1,
        refund_cents: 100,
        ..Figures::default()
    });
    assert_eq!(
        (a.tickets_sold, a.holds_placed, a.refund_cents),
        (5, 1, 600)
    );
    assert_eq!(a.net_cents(), 3_400);
    assert_eq!(Figures::from_values(a.values()), a);
}

#[test]
fn hours_are_counted_from_the_epoch_in_utc() {
    assert_eq!(hour_of(Utc.timestamp_opt(0, 0).unwrap()), 0);
    assert_eq!(hour_of(Utc.timestamp_opt(3_599, 0).unwrap()), 0);
    assert_eq!(hour_of(Utc.timestamp_opt(3_600, 0).unwrap()), 1);
    assert_eq!(hour_of(Utc.timestamp_opt(-1, 0).unwrap()), -1);
}
