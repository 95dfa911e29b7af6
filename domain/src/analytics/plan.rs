//! Which rollup answers a report, and the SQL that reads it: the coarsest table that holds
//! the report's grouping and buckets (per theatre, screen or title by day, per theatre by
//! hour), falling back to the rows per showtime; over a whole period, sellable seats come
//! from the showtimes' totals, each showtime once.

use sea_orm::DbBackend;

use super::dimensions::Dimension;
use super::figures::{COLUMNS, placeholder};
use super::report::{Granularity, GroupBy, ReportQuery};

/// The statements of one report: the figures (and, with [`Plan::seats_in_figures`], the
/// sellable seats) per bucket and group, and when not, the seats in a second statement.
/// Both bind the organisation as their one parameter and name their columns `b` (the
/// bucket in the table's units), `g` (the group, when there is one), the figures and
/// `seats`.
pub(crate) struct Plan {
    pub figures: String,
    pub seats: Option<String>,
    /// Hours per unit of `b`.
    pub per: i64,
    pub seats_in_figures: bool,
}

/// The rollup rows of a report are read from: a dimension table, or those per showtime.
enum Source {
    Dimension(Dimension),
    Showtimes { daily: bool },
}

pub(crate) fn plan(backend: DbBackend, query: &ReportQuery) -> Plan {
    let from_hour = query.from().timestamp().div_euclid(3600);
    let to_hour = query.to().timestamp().div_euclid(3600);
    let granularity = query.granularity();
    let group_by = query.group_by();
    // Day-aligned periods that need no hours read the daily rows.
    let daily = granularity != Granularity::Hour && from_hour % 24 == 0 && to_hour % 24 == 0;
    let source = match (granularity, group_by) {
        (Granularity::Hour, GroupBy::Organisation | GroupBy::Theatre) => {
            Source::Dimension(Dimension::TheatreHourly)
        }
        (_, GroupBy::Showtime) | (Granularity::Hour, _) => Source::Showtimes { daily },
        _ if !daily => Source::Showtimes { daily },
        (_, GroupBy::Organisation | GroupBy::Theatre) => Source::Dimension(Dimension::TheatreDaily),
        (_, GroupBy::Screen) => Source::Dimension(Dimension::ScreenDaily),
        (_, GroupBy::Movie | GroupBy::Event) => Source::Dimension(Dimension::TitleDaily),
    };
    let (table, bucket_col, group, kind) = match source {
        Source::Dimension(d) => (
            d.table(),
            if d.hourly() { "hour" } else { "day" },
            match group_by {
                GroupBy::Organisation => None,
                GroupBy::Theatre => Some("theatre_id"),
                GroupBy::Screen => Some("screen_id"),
                GroupBy::Movie | GroupBy::Event | GroupBy::Showtime => Some("title_id"),
            },
            match group_by {
                GroupBy::Movie => " AND t.kind = 'movie'",
                GroupBy::Event => " AND t.kind = 'event'",
                _ => "",
            },
        ),
        Source::Showtimes { daily } => (
            if daily {
                "analytics_sales_daily"
            } else {
                "analytics_sales_hourly"
            },
            if daily { "day" } else { "hour" },
            group_by.column(),
            match group_by {
                GroupBy::Movie => " AND t.movie_id IS NOT NULL",
                GroupBy::Event => " AND t.event_id IS NOT NULL",
                _ => "",
            },
        ),
    };
    let (from, to, per) = if bucket_col == "day" {
        (from_hour / 24, to_hour / 24, 24)
    } else {
        (from_hour, to_hour, 1)
    };
    let bucket = match granularity {
        Granularity::Hour => "t.hour".to_owned(),
        Granularity::Day if bucket_col == "day" => "t.day".to_owned(),
        Granularity::Day => "(t.hour / 24) * 24".to_owned(),
        Granularity::Period => format!("CAST({from} AS BIGINT)"),
    };
    let org = format!(
        "(SELECT id FROM theatres WHERE organisation_id = {})",
        placeholder(backend, 1)
    );
    let filter = format!(
        "t.theatre_id IN {org} AND t.{bucket_col} >= {from} AND t.{bucket_col} < {to}{kind}"
    );
    let group_select = group.map_or(String::new(), |g| format!(", t.{g} AS g"));
    let group_key = if group.is_some() { ", g" } else { "" };
    let sums: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("CAST(SUM(t.{c}) AS BIGINT) AS {c}"))
        .collect();
    // Each row of a table holding the report's own buckets is one showtime (or the
    // showtimes first active in it) in one bucket: its seats add up in the same scan.
    // Coarser buckets count each showtime once however many of its rows they gather.
    let own_buckets = granularity == Granularity::Hour
        || (granularity == Granularity::Day && bucket_col == "day");
    // A showtime report's group is one showtime, active in every bucket it has a row in:
    // its seats join the summed rows, once per bucket, with no second statement.
    let per_showtime = group_by == GroupBy::Showtime && !own_buckets;
    let (seats_select, seats_join, seats) = match (&source, own_buckets) {
        _ if per_showtime => ("", "", None),
        (Source::Dimension(_), true) => (
            ", CAST(COALESCE(SUM(t.sellable_seats), 0) AS BIGINT) AS seats",
            "",
            None,
        ),
        (Source::Showtimes { .. }, true) => (
            ", CAST(SUM(COALESCE(s.sellable_seats, 0)) AS BIGINT) AS seats",
            " LEFT JOIN analytics_showtimes s ON s.showtime_id = t.showtime_id",
            None,
        ),
        (Source::Dimension(d), false) => ("", "", Some(period_seats(query, *d, &org, from, to))),
        (Source::Showtimes { .. }, false) => {
            let d_group = if group.is_some() { ", d.g" } else { "" };
            (
                "",
                "",
                Some(format!(
                    "SELECT d.b{d_group}, CAST(COALESCE(SUM(s.sellable_seats), 0) AS BIGINT) AS seats FROM \
                     (SELECT DISTINCT {bucket} AS b{group_select}, t.showtime_id AS st \
                     FROM {table} t WHERE {filter}) d \
                     JOIN analytics_showtimes s ON s.showtime_id = d.st GROUP BY d.b{d_group}"
                )),
            )
        }
    };
    let figures = format!(
        "SELECT {bucket} AS b{group_select}, {}{seats_select} FROM {table} t{seats_join} \
         WHERE {filter} GROUP BY b{group_key} ORDER BY b{group_key} LIMIT {}",
        sums.join(", "),
        super::report::MAX_ROWS + 1
    );
    Plan {
        figures: if per_showtime {
            format!(
                "SELECT f.*, CAST(COALESCE(s.sellable_seats, 0) AS BIGINT) AS seats \
                 FROM ({figures}) f LEFT JOIN analytics_showtimes s ON s.showtime_id = f.g \
                 ORDER BY f.b, f.g"
            )
        } else {
            figures
        },
        seats,
        per,
        seats_in_figures: own_buckets || per_showtime,
    }
}

/// Sellable seats per group over a period of whole days (`from` to `to`), each showtime
/// active in it once: those whose activity began inside it from the dimension's day rows
/// (`first_seats`), and those that began before it and had activity inside from their
/// totals, checked against their day rows.
fn period_seats(
    query: &ReportQuery,
    dimension: Dimension,
    org: &str,
    from: i64,
    to: i64,
) -> String {
    // (the dimension's column, the totals' column, each side's kind filter)
    let (column, kind) = match query.group_by() {
        GroupBy::Organisation => (None, ("", "")),
        GroupBy::Theatre => (Some(("theatre_id", "theatre_id")), ("", "")),
        GroupBy::Screen => (Some(("screen_id", "screen_id")), ("", "")),
        GroupBy::Movie => (
            Some(("title_id", "movie_id")),
            (" AND t.kind = 'movie'", " AND s.movie_id IS NOT NULL"),
        ),
        // Not asked: showtime reports read their seats with their figures.
        GroupBy::Event | GroupBy::Showtime => (
            Some(("title_id", "event_id")),
            (
                " AND t.kind = 'event'",
                " AND s.movie_id IS NULL AND s.event_id IS NOT NULL",
            ),
        ),
    };
    let (began, before, group_select, group_key) = match column {
        Some((d, t)) => (
            format!("t.{d} AS g, "),
            format!("s.{t} AS g, "),
            ", u.g",
            " GROUP BY u.g",
        ),
        None => (String::new(), String::new(), "", ""),
    };
    let table = dimension.table();
    let (kind_began, kind_before) = kind;
    // The showtimes that began before the period are found by their last day, along an
    // index that carries their first day and seats.
    format!(
        "SELECT CAST({from} AS BIGINT) AS b{group_select}, CAST(COALESCE(SUM(u.seats), 0) AS BIGINT) AS seats \
         FROM (SELECT {began}t.first_seats AS seats FROM {table} t WHERE t.theatre_id IN {org} \
         AND t.day >= {from} AND t.day < {to}{kind_began} \
         UNION ALL SELECT {before}s.sellable_seats AS seats FROM analytics_showtime_totals s \
         WHERE s.theatre_id IN {org}{kind_before} AND s.last_day >= {from} AND s.first_day < {from} \
         AND EXISTS (SELECT 1 FROM analytics_sales_daily d WHERE d.showtime_id = s.showtime_id \
         AND d.day >= {from} AND d.day < {to})) u{group_key}"
    )
}
