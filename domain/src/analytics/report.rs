//! Sales reports: the rollups of an organisation's theatres over a period, bucketed by hour
//! or day and grouped by a dimension, with occupancy and average price worked out.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use super::AnalyticsError;
use super::figures::{COLUMNS, Figures, placeholder};
use crate::ids::OrganisationId;

/// Longest period one report covers.
const MAX_DAYS: i64 = 3 * 366;
/// Most hours an hourly report covers.
const MAX_HOURS: i64 = 93 * 24;
/// Most rows one report returns (a screen or showtime per hour over months would be
/// millions).
const MAX_ROWS: usize = 20_000;

/// The size of a report's time buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// One bucket per UTC hour.
    Hour,
    /// One bucket per UTC day.
    Day,
    /// One bucket for the whole period.
    Period,
}

/// What a report's rows are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The organisation as a whole.
    Organisation,
    /// Each theatre.
    Theatre,
    /// Each screen.
    Screen,
    /// Each movie (showtimes of events are left out).
    Movie,
    /// Each live event (showtimes of movies are left out).
    Event,
    /// Each showtime.
    Showtime,
}

impl GroupBy {
    fn column(self) -> Option<&'static str> {
        match self {
            Self::Organisation => None,
            Self::Theatre => Some("theatre_id"),
            Self::Screen => Some("screen_id"),
            Self::Movie => Some("movie_id"),
            Self::Event => Some("event_id"),
            Self::Showtime => Some("showtime_id"),
        }
    }
}

/// A validated report request: whose, which period (`from` inclusive, `to` exclusive,
/// both on whole hours, or whole days for day and period reports), how.
#[derive(Debug, Clone, Copy)]
pub struct ReportQuery {
    organisation: OrganisationId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    granularity: Granularity,
    group_by: GroupBy,
}

impl ReportQuery {
    /// Checks the period: it must run forward, start and end on whole hours, and stay
    /// within a size the rollups answer quickly.
    pub fn new(
        organisation: OrganisationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        granularity: Granularity,
        group_by: GroupBy,
    ) -> Result<Self, AnalyticsError> {
        if to <= from {
            return Err(AnalyticsError::invalid("to", "must be after from"));
        }
        for (field, at) in [("from", from), ("to", to)] {
            if at.timestamp().rem_euclid(3600) != 0 {
                return Err(AnalyticsError::invalid(
                    field,
                    "must be on a whole hour (UTC)",
                ));
            }
        }
        let hours = (to - from).num_hours();
        if hours > MAX_DAYS * 24 {
            return Err(AnalyticsError::invalid(
                "to",
                "the period is longer than three years",
            ));
        }
        if granularity == Granularity::Hour && hours > MAX_HOURS {
            return Err(AnalyticsError::invalid(
                "granularity",
                "hourly reports cover at most 93 days",
            ));
        }
        Ok(Self {
            organisation,
            from,
            to,
            granularity,
            group_by,
        })
    }

    /// The organisation reported on.
    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }

    /// What its rows are per.
    pub fn group_by(&self) -> GroupBy {
        self.group_by
    }
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Start of the bucket.
    pub bucket: DateTime<Utc>,
    /// The theatre, screen, movie, event or showtime; none for the organisation.
    pub group_id: Option<Uuid>,
    /// What the group is called (a showtime: its title, theatre and local start).
    pub group_name: Option<String>,
    /// The summed figures.
    pub figures: Figures,
    /// Seats on sale over the showtimes with any activity in the bucket and group.
    pub sellable_seats: i64,
}

impl ReportRow {
    /// Tickets still sold (sold less returned) over sellable seats, 0 to 1.
    pub fn occupancy(&self) -> f64 {
        if self.sellable_seats == 0 {
            return 0.0;
        }
        (self.figures.tickets_sold - self.figures.tickets_returned) as f64
            / self.sellable_seats as f64
    }

    /// Ticket revenue (gross less fees) per ticket sold, in minor units.
    pub fn average_price_cents(&self) -> i64 {
        if self.figures.tickets_sold == 0 {
            return 0;
        }
        (self.figures.gross_cents - self.figures.fee_cents) / self.figures.tickets_sold
    }
}

/// Runs `query` over the rollups (the caller checked the caller's scope).
pub(crate) async fn run<C: ConnectionTrait>(
    db: &C,
    query: &ReportQuery,
) -> Result<Vec<ReportRow>, AnalyticsError> {
    let backend = db.get_database_backend();
    let from_hour = query.from.timestamp().div_euclid(3600);
    let to_hour = query.to.timestamp().div_euclid(3600);
    // Day-aligned periods that need no hours read the daily rows.
    let daily = query.granularity != Granularity::Hour && from_hour % 24 == 0 && to_hour % 24 == 0;
    // Whole days of the organisation or per theatre: a row per theatre and day.
    let by_theatre = daily
        && query.granularity == Granularity::Day
        && matches!(query.group_by, GroupBy::Organisation | GroupBy::Theatre);
    let (table, bucket_col, from, to, per) = if by_theatre {
        (
            "analytics_theatre_daily",
            "day",
            from_hour / 24,
            to_hour / 24,
            24,
        )
    } else if daily {
        (
            "analytics_sales_daily",
            "day",
            from_hour / 24,
            to_hour / 24,
            24,
        )
    } else {
        ("analytics_sales_hourly", "hour", from_hour, to_hour, 1)
    };
    let bucket = match (query.granularity, daily) {
        (Granularity::Hour, _) => format!("t.{bucket_col}"),
        (Granularity::Day, true) => "t.day".to_owned(),
        (Granularity::Day, false) => "(t.hour / 24) * 24".to_owned(),
        (Granularity::Period, _) => format!("CAST({from} AS BIGINT)"),
    };
    let group = query.group_by.column();
    let group_select = group.map_or(String::new(), |g| format!(", t.{g} AS g"));
    let group_key = if group.is_some() { ", g" } else { "" };
    let skip_null = match query.group_by {
        GroupBy::Movie => " AND t.movie_id IS NOT NULL",
        GroupBy::Event => " AND t.event_id IS NOT NULL",
        _ => "",
    };
    let filter = format!(
        "t.theatre_id IN (SELECT id FROM theatres WHERE organisation_id = {}) \
         AND t.{bucket_col} >= {} AND t.{bucket_col} < {}{skip_null}",
        placeholder(backend, 1),
        placeholder(backend, 2),
        placeholder(backend, 3),
    );
    let sums: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("CAST(SUM(t.{c}) AS BIGINT) AS {c}"))
        .collect();
    let values: Vec<Value> = vec![query.organisation.uuid().into(), from.into(), to.into()];
    // When buckets are the table's own, each row is one showtime in one bucket: its
    // sellable seats join in the same scan. Coarser buckets count each showtime once
    // however many of its rows they gather, in a second query.
    let one_scan = matches!(
        (query.granularity, daily),
        (Granularity::Hour, _) | (Granularity::Day, true)
    );
    let seats_select = if by_theatre {
        ", CAST(SUM(t.sellable_seats) AS BIGINT) AS seats"
    } else if one_scan {
        ", CAST(SUM(COALESCE(s.sellable_seats, 0)) AS BIGINT) AS seats"
    } else {
        ""
    };
    let seats_join = if one_scan && !by_theatre {
        " LEFT JOIN analytics_showtimes s ON s.showtime_id = t.showtime_id"
    } else {
        ""
    };
    let figures_sql = format!(
        "SELECT {bucket} AS b{group_select}, {}{seats_select} FROM {table} t{seats_join} \
         WHERE {filter} GROUP BY b{group_key} ORDER BY b{group_key} LIMIT {}",
        sums.join(", "),
        MAX_ROWS + 1
    );
    let d_group = if group.is_some() { ", d.g" } else { "" };
    let sellable_sql = format!(
        "SELECT d.b{d_group}, CAST(SUM(s.sellable_seats) AS BIGINT) AS seats FROM \
         (SELECT DISTINCT {bucket} AS b{group_select}, t.showtime_id AS st FROM {table} t \
         WHERE {filter}) d JOIN analytics_showtimes s ON s.showtime_id = d.st \
         GROUP BY d.b{d_group}",
    );
    let figures = db.query_all_raw(Statement::from_sql_and_values(
        backend,
        figures_sql,
        values.clone(),
    ));
    let (rows, seats) = if one_scan {
        (figures.await?, Vec::new())
    } else {
        tokio::try_join!(
            figures,
            db.query_all_raw(Statement::from_sql_and_values(
                backend,
                sellable_sql,
                values
            )),
        )?
    };
    if rows.len() > MAX_ROWS {
        return Err(AnalyticsError::invalid(
            "groupBy",
            format!(
                "the report would have more than {MAX_ROWS} rows: shorten the period or group by less"
            ),
        ));
    }
    let mut sellable: HashMap<(i64, Option<Uuid>), i64> = HashMap::new();
    for row in seats {
        let b: i64 = row.try_get("", "b")?;
        let g: Option<Uuid> = if group.is_some() {
            row.try_get("", "g")?
        } else {
            None
        };
        sellable.insert((b, g), row.try_get("", "seats")?);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let b: i64 = row.try_get("", "b")?;
        let g: Option<Uuid> = if group.is_some() {
            row.try_get("", "g")?
        } else {
            None
        };
        let mut v = [0i64; 14];
        for (i, c) in COLUMNS.iter().enumerate() {
            v[i] = row.try_get("", c)?;
        }
        out.push(ReportRow {
            bucket: bucket_start(b * per)?,
            group_id: g,
            group_name: None,
            figures: Figures::from_values(v),
            sellable_seats: if one_scan {
                row.try_get("", "seats")?
            } else {
                sellable.get(&(b, g)).copied().unwrap_or(0)
            },
        });
    }
    Ok(out)
}

fn bucket_start(hour: i64) -> Result<DateTime<Utc>, AnalyticsError> {
    Utc.timestamp_opt(hour * 3600, 0)
        .single()
        .ok_or_else(|| AnalyticsError::invalid("from", "is out of range"))
}
