use std::time::Duration;

use async_graphql::{Context, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::IntervalStream;

use crate::graphql::auth::services;
use crate::graphql::error::ApiError;

/// Every subscription.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// The server's clock every `intervalMs` (100–60000): a liveness signal for clients.
    async fn heartbeat(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1000)] interval_ms: i32,
    ) -> Result<impl Stream<Item = DateTime<Utc>>, ApiError> {
        if !(100..=60_000).contains(&interval_ms) {
            return Err(ApiError::bad_input(
                "intervalMs",
                "must be between 100 and 60000",
            ));
        }
        let clock = services(ctx).clock.clone();
        let ticks = IntervalStream::new(tokio::time::interval(Duration::from_millis(
            interval_ms as u64,
        )));
        Ok(ticks.map(move |_| clock.now()))
    }
}
