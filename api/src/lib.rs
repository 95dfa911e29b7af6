//! The Marquee server: configuration, the HTTP/GraphQL surface and start-up.

pub mod config;
mod feed;
pub mod graphql;
mod http;
pub mod metrics;
mod queue_metrics;
mod secrets;
pub mod startup;
pub mod telemetry;

pub use http::client_ip;
pub use startup::Application;
