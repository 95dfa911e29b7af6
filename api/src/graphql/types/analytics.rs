use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::analytics as domain;

/// The size of a sales report's time buckets (UTC).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ReportGranularity {
    /// One row per hour.
    Hour,
    /// One row per day.
    Day,
    /// One row for the whole period.
    Period,
}

impl From<ReportGranularity> for domain::Granularity {
    fn from(g: ReportGranularity) -> Self {
        match g {
            ReportGranularity::Hour => Self::Hour,
            ReportGranularity::Day => Self::Day,
            ReportGranularity::Period => Self::Period,
        }
    }
}

/// What a sales report's rows are per.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ReportGroupBy {
    /// The organisation as a whole.
    Organisation,
    /// Each theatre.
    Theatre,
    /// Each screen.
    Screen,
    /// Each movie.
    Movie,
    /// Each live event.
    Event,
    /// Each showtime.
    Showtime,
}

impl From<ReportGroupBy> for domain::GroupBy {
    fn from(g: ReportGroupBy) -> Self {
        match g {
            ReportGroupBy::Organisation => Self::Organisation,
            ReportGroupBy::Theatre => Self::Theatre,
            ReportGroupBy::Screen => Self::Screen,
            ReportGroupBy::Movie => Self::Movie,
            ReportGroupBy::Event => Self::Event,
            ReportGroupBy::Showtime => Self::Showtime,
        }
    }
}

/// One bucket of one group of a sales report. Money in minor units of the organisation's
/// currency; sales count at the hour they happened.
#[derive(SimpleObject, Debug, Clone)]
pub struct SalesReportRow {
    /// Start of the bucket.
    pub bucket: DateTime<Utc>,
    /// The theatre, screen, movie, event or showtime; null for the organisation.
    pub group_id: Option<ID>,
    /// What the group is called (a showtime: its title, theatre and local start).
    pub group_name: Option<String>,
    /// Tickets issued by confirmations.
    pub tickets_sold: i64,
    /// Tickets of confirmed bookings later cancelled.
    pub tickets_returned: i64,
    /// Paid at confirmation (fees included, discounts taken off).
    pub gross_cents: i64,
    /// Owed back on cancellations.
    pub refund_cents: i64,
    /// Gross less refunds.
    pub net_cents: i64,
    /// Booking fees within the gross.
    pub fee_cents: i64,
    /// Promotion discounts granted.
    pub discount_cents: i64,
    /// Confirmed bookings that used a promotion.
    pub promotion_uses: i64,
    /// Holds placed.
    pub holds_placed: i64,
    /// Checkouts started.
    pub checkouts_started: i64,
    /// Bookings confirmed.
    pub confirmations: i64,
    /// Holds that ran out unpaid.
    pub holds_lapsed: i64,
    /// Payments that failed.
    pub payment_failures: i64,
    /// Confirmed bookings cancelled.
    pub cancellations: i64,
    /// Holds placed by buyers admitted through a waiting room.
    pub waiting_room_admissions: i64,
    /// Buyers who took a place in a waiting room's line.
    pub waiting_room_entries: i64,
    /// Seats on sale over the showtimes with activity in this row.
    pub sellable_seats: i64,
    /// Tickets still sold over sellable seats (0 to 1).
    pub occupancy: f64,
    /// Ticket revenue (gross less fees) per ticket sold, in minor units.
    pub average_price_cents: i64,
}

impl From<domain::ReportRow> for SalesReportRow {
    fn from(r: domain::ReportRow) -> Self {
        let f = r.figures;
        Self {
            bucket: r.bucket,
            group_id: r.group_id.map(|g| ID(g.to_string())),
            group_name: r.group_name.clone(),
            tickets_sold: f.tickets_sold,
            tickets_returned: f.tickets_returned,
            gross_cents: f.gross_cents,
            refund_cents: f.refund_cents,
            net_cents: f.net_cents(),
            fee_cents: f.fee_cents,
            discount_cents: f.discount_cents,
            promotion_uses: f.promotion_uses,
            holds_placed: f.holds_placed,
            checkouts_started: f.checkouts_started,
            confirmations: f.confirmations,
            holds_lapsed: f.holds_lapsed,
            payment_failures: f.payment_failures,
            cancellations: f.cancellations,
            waiting_room_admissions: f.waiting_room_admissions,
            waiting_room_entries: f.waiting_room_entries,
            sellable_seats: r.sellable_seats,
            occupancy: r.occupancy(),
            average_price_cents: r.average_price_cents(),
        }
    }
}
