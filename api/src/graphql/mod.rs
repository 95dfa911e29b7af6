//! The GraphQL schema: query, mutation and subscription roots over the domain services.

pub mod auth;
mod complexity;
pub mod cost;
pub mod error;
pub mod expansion;
mod extensions;
mod listing_rendering;
mod loaders;
mod mutation;
pub mod overview_feed;
pub mod parsed;
mod query;
pub(crate) mod root_selection;
mod seat_rendering;
mod selection_key;
pub mod splice;
mod subscription;
pub use subscription::CommitMark;
mod types;

use std::sync::Arc;

use async_graphql::Schema;
use async_graphql::dataloader::DataLoader;
use marquee_domain::Services;

use crate::metrics::Metrics;

pub use mutation::Mutation;
pub use query::Query;
pub use subscription::Subscription;

/// The executable schema.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Limits on what one request may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest selection.
    pub max_depth: usize,
    /// Largest complexity.
    pub max_complexity: usize,
    /// Whether the schema answers introspection (`__schema`, `__type`).
    pub introspection: bool,
}

/// What a client needs to set up payments in the browser.
#[derive(Debug, Clone, Default)]
pub struct PaymentSetup {
    /// `fake` or `stripe`.
    pub gateway: String,
    /// Stripe's publishable key, when configured.
    pub publishable_key: Option<String>,
}

/// Builds the schema with its data and extensions. DataLoaders are per request (see
/// [`request_data`]), so one request never sees another's cache.
pub fn build(
    services: Arc<Services>,
    metrics: Arc<Metrics>,
    limits: Limits,
    payments: PaymentSetup,
) -> AppSchema {
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(services)
        .data(payments)
        .data(Arc::new(overview_feed::OverviewFeeds::new(metrics.clone())))
        .data(Arc::new(listing_rendering::ListingRenderings::new(
            metrics.clone(),
        )))
        .data(Arc::new(seat_rendering::SeatRenderings::new(
            metrics.clone(),
        )))
        .extension(extensions::OperationMetrics(metrics))
        .extension(extensions::DocumentRules {
            introspection: limits.introspection,
        })
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(64);
    if limits.introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    }
}

/// The SDL of the schema, as written to `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}

/// Per-request data: the caller's credentials and fresh DataLoaders.
pub fn request_data(
    services: &Arc<Services>,
    auth: auth::RequestAuth,
) -> (Arc<auth::RequestAuth>, DataLoader<loaders::CatalogLoader>) {
    request_data_shared(services, Arc::new(auth))
}

/// The same with credentials already shared (the operations of one batch resolve the
/// caller once).
pub fn request_data_shared(
    services: &Arc<Services>,
    auth: Arc<auth::RequestAuth>,
) -> (Arc<auth::RequestAuth>, DataLoader<loaders::CatalogLoader>) {
    (
        auth,
        DataLoader::new(loaders::CatalogLoader(services.clone()), tokio::spawn),
    )
}
