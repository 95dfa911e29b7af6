//! Sales reports: the rollups of an organisation's theatres over a period, bucketed by hour
//! or day and grouped by a dimension, with occupancy and average price worked out.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use super::AnalyticsError;
use super::figures::{COLUMNS, FIGURE_COUNT, Figures};
use crate::ids::OrganisationId;

/// Longest period one report covers.
const MAX_DAYS: i64 = 3 * 366;
/// Most hours an hourly report covers.
const MAX_HOURS: i64 = 93 * 24;
/// Most rows one report returns (a screen or showtime per hour over months would be
/// millions).
pub(crate) const MAX_ROWS: usize = 20_000;

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
    pub(crate) fn column(self) -> Option<&'static str> {
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

    /// Start of the period.
    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// End of the period (exclusive).
    pub fn to(&self) -> DateTime<Utc> {
        self.to
    }

    /// The size of its buckets.
    pub fn granularity(&self) -> Granularity {
        self.granularity
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
    let plan = super::plan::plan(backend, query);
    let org: Vec<Value> = vec![query.organisation.uuid().into()];
    let figures = db.query_all_raw(Statement::from_sql_and_values(
        backend,
        plan.figures,
        org.clone(),
    ));
    let (rows, seats) = match plan.seats {
        None => (figures.await?, Vec::new()),
        Some(sql) => {
            // The organisation is the one parameter, named once on PostgreSQL and bound at
            // each mention on SQLite.
            let binds = match backend {
                sea_orm::DbBackend::Postgres => 1,
                _ => sql.matches('?').count(),
            };
            let values = vec![org[0].clone(); binds];
            tokio::try_join!(
                figures,
                db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)),
            )?
        }
    };
    if rows.len() > MAX_ROWS {
        return Err(AnalyticsError::invalid(
            "groupBy",
            format!(
                "the report would have more than {MAX_ROWS} rows: shorten the period or group by less"
            ),
        ));
    }
    let grouped = query.group_by != GroupBy::Organisation;
    let key = |row: &sea_orm::QueryResult| -> Result<(i64, Option<Uuid>), sea_orm::DbErr> {
        Ok((
            row.try_get("", "b")?,
            if grouped { row.try_get("", "g")? } else { None },
        ))
    };
    let mut sellable: HashMap<(i64, Option<Uuid>), i64> = HashMap::new();
    for row in seats {
        sellable.insert(key(&row)?, row.try_get("", "seats")?);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (b, g) = key(&row)?;
        let mut v = [0i64; FIGURE_COUNT];
        for (i, c) in COLUMNS.iter().enumerate() {
            v[i] = row.try_get("", c)?;
        }
        out.push(ReportRow {
            bucket: bucket_start(b * plan.per)?,
            group_id: g,
            group_name: None,
            figures: Figures::from_values(v),
            sellable_seats: if plan.seats_in_figures {
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
