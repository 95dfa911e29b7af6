//! The business of Marquee, free of GraphQL and HTTP.
//!
//! Services take plain Rust types (typed ids, parsed values) and return one error enum per
//! area. Adapters for the outside world (database, Redis, clock) sit behind small ports.

pub mod accounts;
pub mod alerts;
pub mod analytics;
pub mod backlog;
pub mod booking;
pub mod cache;
pub mod catalog;
pub mod clock;
pub mod clock_skew;
pub mod db;
pub mod demo;
pub mod discovery;
pub mod error;
pub mod events;
pub mod feed;
pub mod gift_cards;
pub mod ids;
pub mod inbox;
pub mod mail;
pub mod money;
pub mod organisations;
pub mod page;
pub mod payments;
pub mod rate_limit;
pub mod redis_store;
pub mod replica;
pub mod reviews;
pub mod services;
pub mod support;
pub mod trace;
pub mod waiting_room;
pub mod waitlist;
pub mod write_batch;

pub use error::{Classify, ErrorKind};
pub use services::{DomainConfig, FeedConfig, Services};
