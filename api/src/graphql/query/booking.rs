use async_graphql::{Context, ID, Object};
use marquee_domain::ids::{BookingId, ShowtimeId};

use crate::graphql::PaymentSetup;
use crate::graphql::auth::{admin, principal, services};
use crate::graphql::complexity;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Booking, PaymentConfig, SeatAudit};

#[derive(Default)]
pub struct BookingQuery;

#[Object]
impl BookingQuery {
    /// How to take payments in the browser: the gateway in use and, with Stripe, the
    /// publishable key for Stripe.js.
    async fn payment_config(&self, ctx: &Context<'_>) -> PaymentConfig {
        let setup = ctx.data_opt::<PaymentSetup>().cloned().unwrap_or_default();
        PaymentConfig {
            gateway: setup.gateway,
            publishable_key: setup.publishable_key,
        }
    }

    /// One of the caller's bookings (any booking for an admin); null otherwise.
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Booking>> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("id", &id, BookingId::parse)?;
        Ok(services(ctx)
            .bookings
            .find_owned(&who, id)
            .await?
            .map(Booking))
    }

    /// The caller's bookings, newest first.
    #[graphql(complexity = "complexity::list(20, child_complexity)")]
    async fn my_bookings(&self, ctx: &Context<'_>) -> ApiResult<Vec<Booking>> {
        let who = principal(ctx).await?;
        Ok(services(ctx)
            .bookings
            .my_bookings(&who)
            .await?
            .into_iter()
            .map(Booking)
            .collect())
    }

    /// A showtime's seat ledger read from the database (admins only): seats sold, live
    /// tickets, and any seat sold twice or sold without a ticket.
    async fn showtime_seat_audit(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
    ) -> ApiResult<SeatAudit> {
        let admin = admin(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        Ok(services(ctx)
            .bookings
            .seat_audit(&admin, showtime)
            .await?
            .into())
    }
}
