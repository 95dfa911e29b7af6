use async_graphql::{Context, ID, InputObject, Object};
use marquee_domain::booking::{CheckoutInput, HoldRequest, PlaceRequest};
use marquee_domain::ids::{BookingId, SeatId, SectionId, ShowtimeId};

use crate::graphql::auth::{principal, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Booking, SeatCategory};

#[derive(Default)]
pub struct BookingMutation;

/// How to pay.
#[derive(InputObject)]
pub struct CheckoutPaymentInput {
    /// The gateway's payment method id (`pm_card_visa`, `pm_card_chargeDeclined` in tests).
    pub payment_method: String,
    /// A promotion code.
    pub promo_code: Option<String>,
    /// A gift card code of the showtime's organisation, in its currency: spent first, the
    /// rest charged to `paymentMethod` (nothing charged when it covers the total).
    pub gift_card_code: Option<String>,
}

/// Places of a general-admission section, by quantity.
#[derive(InputObject)]
pub struct GeneralAdmissionInput {
    /// A GENERAL section of the showtime's venue.
    pub section_id: ID,
    /// How many places (at least 1; seats and places of one hold count against the cap).
    pub quantity: i32,
}

fn place_request(section_id: &ID, quantity: i32) -> ApiResult<PlaceRequest> {
    Ok(PlaceRequest {
        section_id: ApiError::parse_id("sectionId", section_id, SectionId::parse)?,
        quantity,
    })
}

#[Object]
impl BookingMutation {
    /// Holds all the seats, and the general-admission `places`, for the caller for ten
    /// minutes, or none of them (`SEAT_UNAVAILABLE`, with `extensions.seats` naming the
    /// taken seats). `seatIds` may be empty when `places` are given. Repeating a request
    /// with the same `idempotencyKey` returns the same booking.
    async fn hold_seats(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        seat_ids: Vec<ID>,
        #[graphql(default)] places: Vec<GeneralAdmissionInput>,
        idempotency_key: Option<String>,
    ) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let request = HoldRequest {
            showtime_id: ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?,
            seat_ids: seat_ids
                .iter()
                .map(|s| ApiError::parse_id("seatIds", s, SeatId::parse))
                .collect::<ApiResult<_>>()?,
            places: places
                .iter()
                .map(|p| place_request(&p.section_id, p.quantity))
                .collect::<ApiResult<_>>()?,
            idempotency_key,
        };
        Ok(Booking(
            services(ctx).bookings.hold_seats(&who, request).await?,
        ))
    }

    /// Holds `quantity` places of a general-admission section for the caller, as
    /// `holdSeats` holds seats: all or none (`SEAT_UNAVAILABLE` when fewer are left), the
    /// same hold time and per-account cap.
    async fn hold_general_admission(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        section_id: ID,
        quantity: i32,
        idempotency_key: Option<String>,
    ) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let request = HoldRequest {
            showtime_id: ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?,
            seat_ids: Vec::new(),
            places: vec![place_request(&section_id, quantity)?],
            idempotency_key,
        };
        Ok(Booking(
            services(ctx).bookings.hold_seats(&who, request).await?,
        ))
    }

    /// Gives the seats of a held booking back at once.
    async fn release_hold(&self, ctx: &Context<'_>, booking_id: ID) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        Ok(Booking(
            services(ctx).bookings.release_hold(&who, id).await?,
        ))
    }

    /// Pays for a held booking. The result is CONFIRMED (with tickets), PAYMENT_FAILED
    /// (declined; seats released), or PAYMENT_PENDING while the gateway's answer is
    /// awaited; a card that needs 3-D Secure answers PAYMENT_PENDING with
    /// `payment { status: REQUIRES_ACTION clientSecret }` (see `confirmCheckout`).
    /// Repeating it never charges twice.
    async fn checkout(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
        input: CheckoutPaymentInput,
    ) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        let input = CheckoutInput {
            payment_method: input.payment_method,
            promo_code: input.promo_code,
            gift_card_code: input.gift_card_code,
        };
        Ok(Booking(
            services(ctx).bookings.checkout(&who, id, input).await?,
        ))
    }

    /// Settles a checkout whose payment needed the buyer's authentication (its
    /// `payment.status` was REQUIRES_ACTION), once the buyer's browser has run it: CONFIRMED
    /// with tickets, PAYMENT_FAILED with the seats released, or unchanged while the
    /// payment still awaits authentication. The booking's owner only.
    async fn confirm_checkout(&self, ctx: &Context<'_>, booking_id: ID) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        Ok(Booking(
            services(ctx).bookings.confirm_checkout(&who, id).await?,
        ))
    }

    /// Cancels a confirmed booking before the show; refunds by the cancellation policy.
    async fn cancel_booking(&self, ctx: &Context<'_>, booking_id: ID) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        Ok(Booking(
            services(ctx).bookings.cancel_booking(&who, id).await?,
        ))
    }

    /// Holds the best `count` seats of a category side by side: one row, near the centre,
    /// never stranding a single seat when that can be avoided. A wheelchair space
    /// (`ACCESSIBLE`, count 1) comes with its companion seat. `category` defaults to STANDARD.
    /// With `sectionId`, the best in that section of the venue only (in a general-admission
    /// section, `count` of its places); without, sections are tried in the venue's order.
    async fn hold_best_available(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        count: i32,
        category: Option<SeatCategory>,
        section_id: Option<ID>,
        idempotency_key: Option<String>,
    ) -> ApiResult<Booking> {
        let who = principal(ctx).await?;
        let showtime = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let section = section_id
            .map(|s| ApiError::parse_id("sectionId", &s, SectionId::parse))
            .transpose()?;
        let count =
            usize::try_from(count).map_err(|_| ApiError::bad_input("count", "must be positive"))?;
        let booking = services(ctx)
            .bookings
            .hold_best_available(
                &who,
                showtime,
                count,
                category.unwrap_or(SeatCategory::Standard).into(),
                section,
                idempotency_key,
            )
            .await?;
        Ok(Booking(booking))
    }
}
