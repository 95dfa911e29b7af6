//! One test binary: the real server on a random port, spoken to over HTTP and WebSocket
//! as an app would. Each test gets its own database (SQLite file, or a fresh PostgreSQL
//! database when `TEST_DATABASE_URL` is set) and its own Redis key prefix.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin_catalog;
mod admin_schedule;
mod backoff;
mod booking;
mod booking_faults;
mod bus_outage;
mod buyer_caps;
mod cancellation;
mod catalog;
mod checkout;
mod checkout_quote;
mod clock_skew;
mod cost;
mod email;
mod email_kinds;
mod exposure;
mod group_faults;
mod groups;
mod helpers;
mod hold_races;
mod http_edges;
mod inbox;
mod instances;
mod live;
mod mail;
mod ops;
mod pricing;
mod rate_limits;
mod refunds;
mod relay;
mod reviews;
mod schema;
mod search;
mod search_faults;
mod search_freshness;
mod seat_audit;
mod settlement;
mod showtime_bookings;
mod slow_clients;
mod staff_lists;
mod stripe;
mod subscriptions;
mod theatre_changes;
mod three_ds;
mod three_ds_stripe;
mod tokens;
mod waiting_room;
mod web_app;
mod webhooks;
mod ws_limits;
mod ws_protocol;
