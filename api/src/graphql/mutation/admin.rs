use async_graphql::{Context, ID, Object};
use marquee_domain::catalog::{NewShowtime, PromotionInput, ShowTitle, ShowtimeChanges};
use marquee_domain::ids::{EventId, MovieId, OrganisationId, ScreenId, ShowtimeId, TheatreId};

use super::admin_inputs::*;
use crate::graphql::auth::{services, staff};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::types::{Event, Movie, Price, Promotion, Screen, Showtime, Theatre};

/// Theatre-chain and promoter operations: platform admins may do each, an organisation's
/// managers only on what their organisation owns (movies are the platform's).
#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    async fn create_theatre(
        &self,
        ctx: &Context<'_>,
        input: CreateTheatreInput,
    ) -> ApiResult<Theatre> {
        let staff = staff(ctx).await?;
        let owner = organisation_id(input.organisation_id.as_ref())?;
        let mut input: marquee_domain::catalog::TheatreInput = input.into();
        input.organisation = owner;
        Ok(Theatre(
            services(ctx)
                .catalog_admin
                .create_theatre(&staff, input)
                .await?,
        ))
    }

    async fn update_theatre(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateTheatreInput,
    ) -> ApiResult<Theatre> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, TheatreId::parse)?;
        let owner = organisation_id(input.organisation_id.as_ref())?;
        let mut input: marquee_domain::catalog::TheatreInput = input.into();
        input.organisation = owner;
        Ok(Theatre(
            services(ctx)
                .catalog_admin
                .update_theatre(&staff, id, input)
                .await?,
        ))
    }

    /// Retires a theatre; refused while it has upcoming showtimes.
    async fn delete_theatre(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, TheatreId::parse)?;
        services(ctx)
            .catalog_admin
            .delete_theatre(&staff, id)
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
        let staff = staff(ctx).await?;
        let theatre = ApiError::parse_id("theatreId", &theatre_id, TheatreId::parse)?;
        let layout = layout.parse()?;
        Ok(Screen(
            services(ctx)
                .catalog_admin
                .create_screen(&staff, theatre, &name, &layout)
                .await?,
        ))
    }

    async fn create_movie(&self, ctx: &Context<'_>, input: CreateMovieInput) -> ApiResult<Movie> {
        let staff = staff(ctx).await?;
        Ok(Movie(
            services(ctx)
                .catalog_admin
                .create_movie(&staff, input.into())
                .await?,
        ))
    }

    async fn update_movie(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateMovieInput,
    ) -> ApiResult<Movie> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, MovieId::parse)?;
        Ok(Movie(
            services(ctx)
                .catalog_admin
                .update_movie(&staff, id, input.into())
                .await?,
        ))
    }

    /// Retires a movie; refused while it has upcoming showtimes.
    async fn delete_movie(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, MovieId::parse)?;
        services(ctx).catalog_admin.delete_movie(&staff, id).await?;
        Ok(true)
    }

    async fn create_event(&self, ctx: &Context<'_>, input: CreateEventInput) -> ApiResult<Event> {
        let staff = staff(ctx).await?;
        let owner = organisation_id(input.organisation_id.as_ref())?;
        let mut input: marquee_domain::catalog::EventInput = input.into();
        input.organisation = owner;
        Ok(Event(
            services(ctx)
                .catalog_admin
                .create_event(&staff, input)
                .await?,
        ))
    }

    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateEventInput,
    ) -> ApiResult<Event> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, EventId::parse)?;
        Ok(Event(
            services(ctx)
                .catalog_admin
                .update_event(&staff, id, input.into())
                .await?,
        ))
    }

    /// Retires a live event; refused while it has upcoming showtimes.
    async fn delete_event(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, EventId::parse)?;
        services(ctx).catalog_admin.delete_event(&staff, id).await?;
        Ok(true)
    }

    /// Schedules a showtime; refused in the past or overlapping another show on the screen
    /// (running time plus cleaning buffer).
    async fn create_showtime(
        &self,
        ctx: &Context<'_>,
        input: CreateShowtimeInput,
    ) -> ApiResult<Showtime> {
        let staff = staff(ctx).await?;
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
                .create_showtime(&staff, new)
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
        let staff = staff(ctx).await?;
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
                .update_showtime(&staff, id, changes)
                .await?,
        ))
    }

    /// Calls a showtime off.
    async fn cancel_showtime(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Showtime> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("id", &id, ShowtimeId::parse)?;
        Ok(Showtime(
            services(ctx)
                .catalog_admin
                .cancel_showtime(&staff, id)
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
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let set = services(ctx)
            .catalog_admin
            .set_prices(&staff, id, &price_pairs(&prices))
            .await?;
        Ok(set.into_iter().map(Price::from).collect())
    }

    /// Sets a section's own prices at a showtime (an arena's lower bowl dearer than its
    /// balcony), replacing the ones the section had: its places of those categories cost
    /// these, its other categories the showtime's; an empty list gives it the showtime's
    /// prices back. Holds already placed keep their prices. Returns the section's prices.
    async fn set_section_prices(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        section_id: ID,
        prices: Vec<PriceInput>,
    ) -> ApiResult<Vec<Price>> {
        let staff = staff(ctx).await?;
        let id = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let section = ApiError::parse_id(
            "sectionId",
            &section_id,
            marquee_domain::ids::SectionId::parse,
        )?;
        let set = services(ctx)
            .catalog_admin
            .set_section_prices(&staff, id, section, &price_pairs(&prices))
            .await?;
        Ok(set.into_iter().map(Price::from).collect())
    }

    async fn create_promotion(
        &self,
        ctx: &Context<'_>,
        input: CreatePromotionInput,
    ) -> ApiResult<Promotion> {
        let staff = staff(ctx).await?;
        let promo = PromotionInput {
            organisation: organisation_id(input.organisation_id.as_ref())?,
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
            .create_promotion(&staff, promo)
            .await?
            .into())
    }
}

/// An optional `organisationId` argument.
fn organisation_id(id: Option<&ID>) -> ApiResult<Option<OrganisationId>> {
    id.map(|id| ApiError::parse_id("organisationId", id, OrganisationId::parse))
        .transpose()
}
