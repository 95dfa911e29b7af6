//! The summed figures of a showtime in one bucket, and how each booking change adds to them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};
use uuid::Uuid;

use super::dimensions::{DIMENSIONS, new_keys};
use super::upsert::Upsert;

/// Sums kept per showtime and bucket; every field is a count or minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Tickets issued by confirmations.
    pub tickets_sold: i64,
    /// Tickets of confirmed bookings later cancelled or refunded.
    pub tickets_returned: i64,
    /// What buyers paid at confirmation (fees included, discounts taken off).
    pub gross_cents: i64,
    /// What was owed back when confirmed bookings ended.
    pub refund_cents: i64,
    /// Booking fees within the gross.
    pub fee_cents: i64,
    /// Promotion discounts granted.
    pub discount_cents: i64,
    /// Confirmed bookings that used a promotion.
    pub promotion_uses: i64,
    /// Holds placed (the funnel's first step).
    pub holds_placed: i64,
    /// Checkouts started.
    pub checkouts_started: i64,
    /// Bookings confirmed.
    pub confirmations: i64,
    /// Holds or checkouts that ran out unpaid.
    pub holds_lapsed: i64,
    /// Payments that failed.
    pub payment_failures: i64,
    /// Confirmed bookings cancelled or refunded.
    pub cancellations: i64,
    /// Holds placed with a waiting-room admission.
    pub waiting_room_admissions: i64,
    /// Buyers who took a place in a waiting room's line.
    pub waiting_room_entries: i64,
}

/// How many figures there are.
pub(crate) const FIGURE_COUNT: usize = 15;

/// The column names, in [`Figures::values`] order.
pub(crate) const COLUMNS: [&str; FIGURE_COUNT] = [
    "tickets_sold",
    "tickets_returned",
    "gross_cents",
    "refund_cents",
    "fee_cents",
    "discount_cents",
    "promotion_uses",
    "holds_placed",
    "checkouts_started",
    "confirmations",
    "holds_lapsed",
    "payment_failures",
    "cancellations",
    "waiting_room_admissions",
    "waiting_room_entries",
];

impl Figures {
    pub(crate) fn values(&self) -> [i64; FIGURE_COUNT] {
        [
            self.tickets_sold,
            self.tickets_returned,
            self.gross_cents,
            self.refund_cents,
            self.fee_cents,
            self.discount_cents,
            self.promotion_uses,
            self.holds_placed,
            self.checkouts_started,
            self.confirmations,
            self.holds_lapsed,
            self.payment_failures,
            self.cancellations,
            self.waiting_room_admissions,
            self.waiting_room_entries,
        ]
    }

    pub(crate) fn from_values(v: [i64; FIGURE_COUNT]) -> Self {
        Self {
            tickets_sold: v[0],
            tickets_returned: v[1],
            gross_cents: v[2],
            refund_cents: v[3],
            fee_cents: v[4],
            discount_cents: v[5],
            promotion_uses: v[6],
            holds_placed: v[7],
            checkouts_started: v[8],
            confirmations: v[9],
            holds_lapsed: v[10],
            payment_failures: v[11],
            cancellations: v[12],
            waiting_room_admissions: v[13],
            waiting_room_entries: v[14],
        }
    }

    /// Adds `other` in.
    pub fn add(&mut self, other: &Figures) {
        let sum: Vec<i64> = self
            .values()
            .iter()
            .zip(other.values())
            .map(|(a, b)| a + b)
            .collect();
        let mut v = [0; FIGURE_COUNT];
        v.copy_from_slice(&sum);
        *self = Self::from_values(v);
    }

    /// Ticket revenue kept: the gross less what was refunded.
    pub fn net_cents(&self) -> i64 {
        self.gross_cents - self.refund_cents
    }
}

/// What a showtime is, for the rollup rows' dimensions.
#[derive(Debug, Clone, Copy)]
pub struct ShowtimeFacts {
    /// The showtime.
    pub id: Uuid,
    /// Its theatre.
    pub theatre_id: Uuid,
    /// Its screen.
    pub screen_id: Uuid,
    /// The movie it shows, if a movie.
    pub movie_id: Option<Uuid>,
    /// The event it stages, if an event.
    pub event_id: Option<Uuid>,
    /// Its seats on sale (every seat not blocked).
    pub sellable_seats: i64,
}

/// Figures to add, per showtime and hour since the epoch.
#[derive(Debug, Default)]
pub struct Deltas {
    by_hour: HashMap<(Uuid, i64), Figures>,
    showtimes: HashMap<Uuid, ShowtimeFacts>,
}

/// Whole hours since the Unix epoch.
pub fn hour_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(3600)
}

impl Deltas {
    /// Adds `figures` to `showtime` in the hour of `at`.
    pub fn add(&mut self, showtime: ShowtimeFacts, at: DateTime<Utc>, figures: &Figures) {
        self.showtimes.insert(showtime.id, showtime);
        self.by_hour
            .entry((showtime.id, hour_of(at)))
            .or_default()
            .add(figures);
    }

    /// Whether there is nothing to add.
    pub fn is_empty(&self) -> bool {
        self.by_hour.is_empty()
    }

    /// Adds everything to the hourly and daily rollups, in the caller's transaction.
    pub async fn apply<C: ConnectionTrait>(&self, db: &C) -> Result<(), DbErr> {
        let mut by_day: HashMap<(Uuid, i64), Figures> = HashMap::new();
        for ((showtime, hour), f) in &self.by_hour {
            by_day
                .entry((*showtime, hour.div_euclid(24)))
                .or_default()
                .add(f);
        }
        // Which showtimes are new to a bucket is read before the rows are written.
        let days: Vec<(Uuid, i64)> = by_day.keys().copied().collect();
        let hours: Vec<(Uuid, i64)> = self.by_hour.keys().copied().collect();
        let fresh_days = new_keys(db, "analytics_sales_daily", "day", &days).await?;
        let fresh_hours = new_keys(db, "analytics_sales_hourly", "hour", &hours).await?;
        let first_days = super::totals::first_day_moves(db, &by_day, &self.showtimes).await?;
        let no_moves = HashMap::new();
        for dimension in DIMENSIONS {
            let (rows, fresh, moves) = if dimension.hourly() {
                (&self.by_hour, &fresh_hours, &no_moves)
            } else {
                (&by_day, &fresh_days, &first_days)
            };
            let seats = super::dimensions::Seats { fresh, moves };
            super::dimensions::add(db, dimension, rows, seats, &self.showtimes).await?;
        }
        super::totals::add(db, &by_day, &self.showtimes).await?;
        upsert(
            db,
            "analytics_sales_hourly",
            "hour",
            &self.by_hour,
            &self.showtimes,
        )
        .await?;
        upsert(db, "analytics_sales_daily", "day", &by_day, &self.showtimes).await
    }
}

async fn upsert<C: ConnectionTrait>(
    db: &C,
    table: &str,
    bucket: &str,
    rows: &HashMap<(Uuid, i64), Figures>,
    showtimes: &HashMap<Uuid, ShowtimeFacts>,
) -> Result<(), DbErr> {
    let mut entries: Vec<(&(Uuid, i64), &Figures)> = rows.iter().collect();
    // A fixed order, so that concurrent writers (the seeder beside the worker) lock rows
    // in the same order.
    entries.sort_by_key(|(k, _)| **k);
    let values: Vec<Vec<Value>> = entries
        .into_iter()
        .filter_map(|((showtime, at), f)| {
            let facts = showtimes.get(showtime)?;
            let mut row: Vec<Value> = vec![
                (*showtime).into(),
                (*at).into(),
                facts.theatre_id.into(),
                facts.screen_id.into(),
                facts.movie_id.into(),
                facts.event_id.into(),
            ];
            row.extend(f.values().into_iter().map(Value::from));
            Some(row)
        })
        .collect();
    let mut columns = vec![
        "showtime_id",
        bucket,
        "theatre_id",
        "screen_id",
        "movie_id",
        "event_id",
    ];
    columns.extend(COLUMNS);
    let updates: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    Upsert {
        table,
        columns: &columns,
        conflict: &format!("showtime_id, {bucket}"),
        updates: &updates,
    }
    .run(db, &values)
    .await
}

/// The `n`th (from 1) bind placeholder of `backend`.
pub(crate) fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}
