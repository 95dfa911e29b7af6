use async_graphql::{Context, ID, Object};
use marquee_domain::catalog::{
    NewShowtime, PromotionInput, ScreenLayout, ShowTitle, ShowtimeChanges,
};
use marquee_domain::ids::{EventId, MovieId, ScreenId, ShowtimeId, TheatreId};

use super::admin_inputs::*;
use crate::graphql::auth::{admin, services};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Event, Movie, Price, Promotion, Screen, Showtime, Theatre};

/// Theatre-chain and promoter operations; each needs the admin role.
#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    async fn create_theatre(
        &self,
        ctx: &Context<'_>,
        input: CreateTheatreInput,
    ) -> ApiResult<Theatre> {
        let admin = admin(ctx).await?;
        Ok(Theatre(
            services(ctx)
                .catalog_admin
                .create_theatre(&admin, input.into())
                .await?,
        ))
    }

    async fn update_theatre(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateTheatreInput,
    ) -> ApiResult<Theatre> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, TheatreId::parse)?;
        Ok(Theatre(
            services(ctx)
                .catalog_admin
                .update_theatre(&admin, id, input.into())
                .await?,
        ))
    }

    /// Retires a theatre; refused while it has upcoming showtimes.
    async fn delete_theatre(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, TheatreId::parse)?;
        services(ctx)
            .catalog_admin
            .delete_theatre(&admin, id)
            .await?;
        Ok(true)
    }

    /// Adds a screen and its seats to a theatre.
    async fn create_screen(
        &self,
        ctx: &Context<'_>,
        theatre_id: ID,
        name: String,
        layout: ScreenLayoutInput,
    ) -> ApiResult<Screen> {
        let admin = admin(ctx).await?;
        let theatre = ApiError::parse_id("theatreId", &theatre_id, TheatreId::parse)?;
        let rows: Vec<(String, String)> = layout
            .rows
            .into_iter()
            .map(|r| (r.label, r.seats))
            .collect();
        let layout = ScreenLayout::parse(&rows)?;
        Ok(Screen(
            services(ctx)
                .catalog_admin
                .create_screen(&admin, theatre, &name, &layout)
                .await?,
        ))
    }

    async fn create_movie(&self, ctx: &Context<'_>, input: CreateMovieInput) -> ApiResult<Movie> {
        let admin = admin(ctx).await?;
        Ok(Movie(
            services(ctx)
                .catalog_admin
                .create_movie(&admin, input.into())
                .await?,
        ))
    }

    async fn update_movie(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateMovieInput,
    ) -> ApiResult<Movie> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, MovieId::parse)?;
        Ok(Movie(
            services(ctx)
                .catalog_admin
                .update_movie(&admin, id, input.into())
                .await?,
        ))
    }

    /// Retires a movie; refused while it has upcoming showtimes.
    async fn delete_movie(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, MovieId::parse)?;
        services(ctx).catalog_admin.delete_movie(&admin, id).await?;
        Ok(true)
    }

    async fn create_event(&self, ctx: &Context<'_>, input: CreateEventInput) -> ApiResult<Event> {
        let admin = admin(ctx).await?;
        Ok(Event(
            services(ctx)
                .catalog_admin
                .create_event(&admin, input.into())
                .await?,
        ))
    }

    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateEventInput,
    ) -> ApiResult<Event> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, EventId::parse)?;
        Ok(Event(
            services(ctx)
                .catalog_admin
                .update_event(&admin, id, input.into())
                .await?,
        ))
    }

    /// Retires a live event; refused while it has upcoming showtimes.
    async fn delete_event(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, EventId::parse)?;
        services(ctx).catalog_admin.delete_event(&admin, id).await?;
        Ok(true)
    }

    /// Schedules a showtime; refused in the past or overlapping another show on the screen
    /// (running time plus cleaning buffer).
    async fn create_showtime(
        &self,
        ctx: &Context<'_>,
        input: CreateShowtimeInput,
    ) -> ApiResult<Showtime> {
        let admin = admin(ctx).await?;
        let title = match (&input.movie_id, &input.event_id) {
            (Some(m), None) => ShowTitle::Movie(ApiError::parse_id("movieId", m, MovieId::parse)?),
            (None, Some(e)) => ShowTitle::Event(ApiError::parse_id("eventId", e, EventId::parse)?),
            _ => {
                return Err(ApiError::bad_input(
                    "movieId",
                    "give exactly one of movieId and eventId",
                ));
            }
        };
        let new = NewShowtime {
            screen_id: ApiError::parse_id("screenId", &input.screen_id, ScreenId::parse)?,
            title,
            starts_at: input.starts_at,
            on_sale_at: input.on_sale_at,
            waiting_room: input.waiting_room,
            currency: input.currency.clone(),
            prices: price_pairs(&input.prices),
        };
        Ok(Showtime(
            services(ctx)
                .catalog_admin
                .create_showtime(&admin, new)
                .await?,
        ))
    }

    /// Moves a showtime in time or to another screen of its theatre.
    async fn update_showtime(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateShowtimeInput,
    ) -> ApiResult<Showtime> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, ShowtimeId::parse)?;
        let changes = ShowtimeChanges {
            starts_at: input.starts_at,
            screen_id: input
                .screen_id
                .map(|s| ApiError::parse_id("screenId", &s, ScreenId::parse))
                .transpose()?,
            on_sale_at: input.on_sale_at,
            waiting_room: input.waiting_room,
        };
        Ok(Showtime(
            services(ctx)
                .catalog_admin
                .update_showtime(&admin, id, changes)
                .await?,
        ))
    }

    /// Calls a showtime off.
    async fn cancel_showtime(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Showtime> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("id", &id, ShowtimeId::parse)?;
        Ok(Showtime(
            services(ctx)
                .catalog_admin
                .cancel_showtime(&admin, id)
                .await?,
        ))
    }

    /// Sets prices per seat category; returns every price of the showtime.
    async fn set_prices(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        prices: Vec<PriceInput>,
    ) -> ApiResult<Vec<Price>> {
        let admin = admin(ctx).await?;
        let id = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let set = services(ctx)
            .catalog_admin
            .set_prices(&admin, id, &price_pairs(&prices))
            .await?;
        Ok(set.into_iter().map(Price::from).collect())
    }

    async fn create_promotion(
        &self,
        ctx: &Context<'_>,
        input: CreatePromotionInput,
    ) -> ApiResult<Promotion> {
        let admin = admin(ctx).await?;
        let promo = PromotionInput {
            code: input.code,
            description: input.description,
            kind: input.kind.as_str().to_owned(),
            value: input.value,
            currency: input.currency,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            max_uses: input.max_uses,
            max_uses_per_user: input.max_uses_per_user,
        };
        Ok(services(ctx)
            .catalog_admin
            .create_promotion(&admin, promo)
            .await?
            .into())
    }
}
