//! Admin operations on the catalog. Every method takes an [`Admin`] capability, so the role
//! is checked once, where the capability is made.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use marquee_entity::{
    events, movies, promotions, screens, seats, show_seats, showtime_prices, showtimes, theatres,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::accounts::Admin;
use crate::clock::SharedClock;
use crate::db::is_unique_violation;
use crate::ids::{EventId, MovieId, PromotionId, ScreenId, SeatId, ShowtimeId, TheatreId};
use crate::money::{Currency, PriceCents};

use super::validate::{coordinates, minutes, optional_text, text, timezone, url, zip};
use super::{
    CatalogError, Event, Movie, Price, Promotion, Screen, ScreenLayout, SeatCategory, ShowTitle,
    Showtime, ShowtimeStatus, Theatre, genres, schedule,
};

/// Theatre fields; all are required to create, any subset may be changed.
#[derive(Debug, Clone, Default)]
pub struct TheatreInput {
    /// Name.
    pub name: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// IANA time zone.
    pub timezone: Option<String>,
}

/// Movie fields; title, runtime and release date are required to create.
#[derive(Debug, Clone, Default)]
pub struct MovieInput {
    /// Title.
    pub title: Option<String>,
    /// Synopsis.
    pub synopsis: Option<String>,
    /// Genres.
    pub genres: Option<Vec<String>>,
    /// Cast.
    pub cast: Option<Vec<String>>,
    /// Running time.
    pub runtime_minutes: Option<i32>,
    /// Certificate.
    pub certificate: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Release date.
    pub release_date: Option<NaiveDate>,
    /// Poster (empty string clears).
    pub poster_url: Option<String>,
    /// Trailer (empty string clears).
    pub trailer_url: Option<String>,
}

/// Event fields; title, performer, category and duration are required to create.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Host or performer.
    pub performer: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Genres.
    pub genres: Option<Vec<String>>,
    /// Language.
    pub language: Option<String>,
    /// Duration.
    pub duration_minutes: Option<i32>,
    /// Age rating.
    pub age_rating: Option<String>,
    /// Poster (empty string clears).
    pub poster_url: Option<String>,
}

/// A showtime to schedule.
#[derive(Debug, Clone)]
pub struct NewShowtime {
    /// Where.
    pub screen_id: ScreenId,
    /// What.
    pub title: ShowTitle,
    /// When.
    pub starts_at: DateTime<Utc>,
    /// Sale opens (default: now).
    pub on_sale_at: Option<DateTime<Utc>>,
    /// Queue buyers in a waiting room.
    pub waiting_room: bool,
    /// Currency (default USD).
    pub currency: Option<String>,
    /// A price for every seat category of the screen.
    pub prices: Vec<(String, i64)>,
}

/// Changes to a scheduled showtime.
#[derive(Debug, Clone, Default)]
pub struct ShowtimeChanges {
    /// New start.
    pub starts_at: Option<DateTime<Utc>>,
    /// New screen, in the same theatre.
    pub screen_id: Option<ScreenId>,
    /// New on-sale time.
    pub on_sale_at: Option<DateTime<Utc>>,
    /// Waiting room on or off.
    pub waiting_room: Option<bool>,
}

/// A promotion code to create.
#[derive(Debug, Clone)]
pub struct PromotionInput {
    /// The code.
    pub code: String,
    /// Description.
    pub description: String,
    /// `percent` or `fixed`.
    pub kind: String,
    /// Percent (1-100) or minor units.
    pub value: i64,
    /// Currency of a fixed discount.
    pub currency: Option<String>,
    /// Valid from.
    pub starts_at: DateTime<Utc>,
    /// Valid until.
    pub ends_at: DateTime<Utc>,
    /// Total uses.
    pub max_uses: Option<i32>,
    /// Uses per buyer.
    pub max_uses_per_user: Option<i32>,
}

fn required<T>(field: &'static str, value: Option<T>) -> Result<T, CatalogError> {
    value.ok_or_else(|| CatalogError::invalid(field, "is required"))
}

/// Longest accepted running time: a marathon screening, not a typo.
const MAX_RUNTIME: i32 = 600;

/// Admin writes to the catalog.
#[derive(Clone)]
pub struct CatalogAdmin {
    db: DatabaseConnection,
    clock: SharedClock,
    cleaning_buffer: Duration,
}

impl CatalogAdmin {
    /// Builds the service; `cleaning_buffer` separates consecutive shows on a screen.
    pub fn new(db: DatabaseConnection, clock: SharedClock, cleaning_buffer: Duration) -> Self {
        Self {
            db,
            clock,
            cleaning_buffer,
        }
    }

    /// Adds a theatre.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_theatre(
        &self,
        _admin: &Admin,
        input: TheatreInput,
    ) -> Result<Theatre, CatalogError> {
        let (latitude, longitude) = coordinates(
            required("latitude", input.latitude)?,
            required("longitude", input.longitude)?,
        )?;
        let now = self.clock.now();
        let model = theatres::ActiveModel {
            id: Set(TheatreId::generate().uuid()),
            name: Set(text("name", &required("name", input.name)?, 200)?),
            address: Set(text("address", &required("address", input.address)?, 300)?),
            city: Set(text("city", &required("city", input.city)?, 100)?),
            state: Set(text("state", &required("state", input.state)?, 100)?),
            zip: Set(zip(&required("zip", input.zip)?)?),
            latitude: Set(latitude),
            longitude: Set(longitude),
            timezone: Set(timezone(&required("timezone", input.timezone)?)?),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        };
        Ok(model.insert(&self.db).await?.into())
    }

    async fn live_theatre(&self, id: TheatreId) -> Result<theatres::Model, CatalogError> {
        theatres::Entity::find_by_id(id.uuid())
            .filter(theatres::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("theatre", id))
    }

    /// Changes any subset of a theatre's fields.
    #[tracing::instrument(skip_all, fields(theatre_id = %id), err)]
    pub async fn update_theatre(
        &self,
        _admin: &Admin,
        id: TheatreId,
        input: TheatreInput,
    ) -> Result<Theatre, CatalogError> {
        let current = self.live_theatre(id).await?;
        let (lat, lon) = coordinates(
            input.latitude.unwrap_or(current.latitude),
            input.longitude.unwrap_or(current.longitude),
        )?;
        let mut m: theatres::ActiveModel = current.into();
        if let Some(v) = input.name {
            m.name = Set(text("name", &v, 200)?);
        }
        if let Some(v) = input.address {
            m.address = Set(text("address", &v, 300)?);
        }
        if let Some(v) = input.city {
            m.city = Set(text("city", &v, 100)?);
        }
        if let Some(v) = input.state {
            m.state = Set(text("state", &v, 100)?);
        }
        if let Some(v) = input.zip {
            m.zip = Set(zip(&v)?);
        }
        if let Some(v) = input.timezone {
            m.timezone = Set(timezone(&v)?);
        }
        m.latitude = Set(lat);
        m.longitude = Set(lon);
        m.updated_at = Set(self.clock.now());
        Ok(m.update(&self.db).await?.into())
    }

    /// Retires a theatre (kept for booking history). Refused while it has upcoming shows.
    #[tracing::instrument(skip_all, fields(theatre_id = %id), err)]
    pub async fn delete_theatre(&self, _admin: &Admin, id: TheatreId) -> Result<(), CatalogError> {
        let current = self.live_theatre(id).await?;
        let upcoming = self
            .upcoming_count(showtimes::Column::TheatreId.eq(id.uuid()))
            .await?;
        if upcoming > 0 {
            return Err(CatalogError::Conflict(format!(
                "theatre has {upcoming} upcoming showtimes: cancel them first"
            )));
        }
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        screens::Entity::update_many()
            .col_expr(screens::Column::DeletedAt, now.into())
            .filter(screens::Column::TheatreId.eq(id.uuid()))
            .filter(screens::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?;
        let mut m: theatres::ActiveModel = current.into();
        m.deleted_at = Set(Some(now));
        m.updated_at = Set(now);
        m.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn upcoming_count(
        &self,
        scope: sea_orm::sea_query::SimpleExpr,
    ) -> Result<u64, CatalogError> {
        Ok(showtimes::Entity::find()
            .filter(scope)
            .filter(showtimes::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()))
            .filter(showtimes::Column::EndsAt.gt(self.clock.now()))
            .count(&self.db)
            .await?)
    }

    /// Adds a screen with its seats to a theatre.
    #[tracing::instrument(skip_all, fields(theatre_id = %theatre), err)]
    pub async fn create_screen(
        &self,
        _admin: &Admin,
        theatre: TheatreId,
        name: &str,
        layout: &ScreenLayout,
    ) -> Result<Screen, CatalogError> {
        self.live_theatre(theatre).await?;
        let name = text("name", name, 100)?;
        let screen_id = ScreenId::generate();
        let txn = self.db.begin().await?;
        let screen = screens::ActiveModel {
            id: Set(screen_id.uuid()),
            theatre_id: Set(theatre.uuid()),
            name: Set(name),
            layout: Set(layout.to_json()),
            seat_count: Set(layout.seat_count() as i32),
            schedule_version: Set(0),
            created_at: Set(self.clock.now()),
            deleted_at: Set(None),
        }
        .insert(&txn)
        .await?;
        insert_seats(&txn, screen_id, layout).await?;
        txn.commit().await?;
        Ok(screen.into())
    }

    /// Adds a movie.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_movie(
        &self,
        _admin: &Admin,
        input: MovieInput,
    ) -> Result<Movie, CatalogError> {
        let now = self.clock.now();
        let model = movies::ActiveModel {
            id: Set(MovieId::generate().uuid()),
            title: Set(text("title", &required("title", input.title)?, 200)?),
            synopsis: Set(optional_text(
                "synopsis",
                &input.synopsis.unwrap_or_default(),
                5000,
            )?),
            genres: Set(genres::encode(&input.genres.unwrap_or_default())?),
            cast: Set(cast_json(input.cast.unwrap_or_default())?),
            runtime_minutes: Set(minutes(
                "runtimeMinutes",
                required("runtimeMinutes", input.runtime_minutes)?,
                MAX_RUNTIME,
            )?),
            certificate: Set(optional_text(
                "certificate",
                &input.certificate.unwrap_or_else(|| "NR".into()),
                10,
            )?),
            language: Set(text(
                "language",
                &input.language.unwrap_or_else(|| "English".into()),
                50,
            )?),
            release_date: Set(required("releaseDate", input.release_date)?),
            poster_url: Set(url("posterUrl", input.poster_url.as_deref())?),
            trailer_url: Set(url("trailerUrl", input.trailer_url.as_deref())?),
            rating_count: Set(0),
            rating_total: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        };
        Ok(model.insert(&self.db).await?.into())
    }

    async fn live_movie(&self, id: MovieId) -> Result<movies::Model, CatalogError> {
        movies::Entity::find_by_id(id.uuid())
            .filter(movies::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("movie", id))
    }

    /// Changes a movie. A new running time is refused while shows are scheduled, since it
    /// would move their end and could make them overlap.
    #[tracing::instrument(skip_all, fields(movie_id = %id), err)]
    pub async fn update_movie(
        &self,
        _admin: &Admin,
        id: MovieId,
        input: MovieInput,
    ) -> Result<Movie, CatalogError> {
        let current = self.live_movie(id).await?;
        if let Some(runtime) = input.runtime_minutes
            && runtime != current.runtime_minutes
            && self
                .upcoming_count(showtimes::Column::MovieId.eq(id.uuid()))
                .await?
                > 0
        {
            return Err(CatalogError::Conflict(
                "the running time cannot change while showtimes are scheduled".into(),
            ));
        }
        let mut m: movies::ActiveModel = current.into();
        if let Some(v) = input.title {
            m.title = Set(text("title", &v, 200)?);
        }
        if let Some(v) = input.synopsis {
            m.synopsis = Set(optional_text("synopsis", &v, 5000)?);
        }
        if let Some(v) = input.genres {
            m.genres = Set(genres::encode(&v)?);
        }
        if let Some(v) = input.cast {
            m.cast = Set(cast_json(v)?);
        }
        if let Some(v) = input.runtime_minutes {
            m.runtime_minutes = Set(minutes("runtimeMinutes", v, MAX_RUNTIME)?);
        }
        if let Some(v) = input.certificate {
            m.certificate = Set(optional_text("certificate", &v, 10)?);
        }
        if let Some(v) = input.language {
            m.language = Set(text("language", &v, 50)?);
        }
        if let Some(v) = input.release_date {
            m.release_date = Set(v);
        }
        if let Some(v) = input.poster_url {
            m.poster_url = Set(url("posterUrl", Some(&v))?);
        }
        if let Some(v) = input.trailer_url {
            m.trailer_url = Set(url("trailerUrl", Some(&v))?);
        }
        m.updated_at = Set(self.clock.now());
        Ok(m.update(&self.db).await?.into())
    }

    /// Retires a movie (kept for booking history). Refused while it has upcoming shows.
    #[tracing::instrument(skip_all, fields(movie_id = %id), err)]
    pub async fn delete_movie(&self, _admin: &Admin, id: MovieId) -> Result<(), CatalogError> {
        let current = self.live_movie(id).await?;
        let upcoming = self
            .upcoming_count(showtimes::Column::MovieId.eq(id.uuid()))
            .await?;
        if upcoming > 0 {
            return Err(CatalogError::Conflict(format!(
                "movie has {upcoming} upcoming showtimes: cancel them first"
            )));
        }
        let now = self.clock.now();
        let mut m: movies::ActiveModel = current.into();
        m.deleted_at = Set(Some(now));
        m.updated_at = Set(now);
        m.update(&self.db).await?;
        Ok(())
    }

    /// Adds a live event.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_event(
        &self,
        _admin: &Admin,
        input: EventInput,
    ) -> Result<Event, CatalogError> {
        let now = self.clock.now();
        let category = required("category", input.category)?;
        let category = genres::normalise(&category).ok_or_else(|| {
            CatalogError::invalid("category", "use 1-30 letters, digits or hyphens")
        })?;
        let model = events::ActiveModel {
            id: Set(EventId::generate().uuid()),
            title: Set(text("title", &required("title", input.title)?, 200)?),
            description: Set(optional_text(
                "description",
                &input.description.unwrap_or_default(),
                5000,
            )?),
            performer: Set(text(
                "performer",
                &required("performer", input.performer)?,
                200,
            )?),
            category: Set(category),
            genres: Set(genres::encode(&input.genres.unwrap_or_default())?),
            language: Set(text(
                "language",
                &input.language.unwrap_or_else(|| "English".into()),
                50,
            )?),
            duration_minutes: Set(minutes(
                "durationMinutes",
                required("durationMinutes", input.duration_minutes)?,
                MAX_RUNTIME,
            )?),
            age_rating: Set(optional_text(
                "ageRating",
                &input.age_rating.unwrap_or_else(|| "All ages".into()),
                20,
            )?),
            poster_url: Set(url("posterUrl", input.poster_url.as_deref())?),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        };
        Ok(model.insert(&self.db).await?.into())
    }

    /// Schedules a showtime: not in the past, not overlapping, every category priced.
    #[tracing::instrument(skip_all, fields(screen_id = %input.screen_id), err)]
    pub async fn create_showtime(
        &self,
        _admin: &Admin,
        input: NewShowtime,
    ) -> Result<Showtime, CatalogError> {
        let now = self.clock.now();
        let starts_at = crate::clock::to_micros(input.starts_at);
        check_start(now, starts_at)?;
        let on_sale_at = input.on_sale_at.map(crate::clock::to_micros).unwrap_or(now);
        if on_sale_at > starts_at {
            return Err(CatalogError::invalid(
                "onSaleAt",
                "must not be after the start",
            ));
        }
        let currency = Currency::parse(input.currency.as_deref().unwrap_or("USD"))
            .map_err(|e| CatalogError::invalid("currency", e.to_string()))?;
        let runtime = self.runtime_of(input.title).await?;
        let ends_at = starts_at + Duration::minutes(i64::from(runtime));
        let prices = parse_prices(&input.prices)?;

        let txn = self.db.begin().await?;
        let screen = schedule::lock_screen(&txn, input.screen_id).await?;
        let categories = Screen::from(screen.clone()).categories;
        if let Some(missing) = categories
            .iter()
            .find(|c| !prices.iter().any(|p| p.category == **c))
        {
            return Err(CatalogError::invalid(
                "prices",
                format!(
                    "the screen has {} seats: give them a price",
                    missing.as_str()
                ),
            ));
        }
        schedule::ensure_free(
            &txn,
            input.screen_id,
            starts_at,
            ends_at,
            self.cleaning_buffer,
            None,
        )
        .await?;
        let id = ShowtimeId::generate();
        let (movie_id, event_id) = match input.title {
            ShowTitle::Movie(m) => (Some(m.uuid()), None),
            ShowTitle::Event(e) => (None, Some(e.uuid())),
        };
        let model = showtimes::ActiveModel {
            id: Set(id.uuid()),
            screen_id: Set(screen.id),
            theatre_id: Set(screen.theatre_id),
            movie_id: Set(movie_id),
            event_id: Set(event_id),
            starts_at: Set(starts_at),
            ends_at: Set(ends_at),
            status: Set(ShowtimeStatus::Scheduled.as_str().to_owned()),
            on_sale_at: Set(on_sale_at),
            waiting_room: Set(input.waiting_room),
            currency: Set(currency.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        write_prices(&txn, id, &prices).await?;
        schedule::materialise_seats(&txn, id.uuid(), screen.id).await?;
        txn.commit().await?;
        Showtime::from_model(model).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    async fn runtime_of(&self, title: ShowTitle) -> Result<i32, CatalogError> {
        match title {
            ShowTitle::Movie(id) => Ok(self.live_movie(id).await?.runtime_minutes),
            ShowTitle::Event(id) => events::Entity::find_by_id(id.uuid())
                .filter(events::Column::DeletedAt.is_null())
                .one(&self.db)
                .await?
                .map(|e| e.duration_minutes)
                .ok_or_else(|| CatalogError::not_found("event", id)),
        }
    }

    async fn live_showtime(&self, id: ShowtimeId) -> Result<showtimes::Model, CatalogError> {
        showtimes::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// Moves a scheduled showtime in time or to another screen of the same theatre.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn update_showtime(
        &self,
        _admin: &Admin,
        id: ShowtimeId,
        changes: ShowtimeChanges,
    ) -> Result<Showtime, CatalogError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Lock the showtime first (then its target screen, the same order everywhere):
        // two concurrent moves of one showtime must not both rebuild its seats.
        let locked = showtimes::Entity::update_many()
            .col_expr(showtimes::Column::UpdatedAt, now.into())
            .filter(showtimes::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        if locked.rows_affected != 1 {
            return Err(CatalogError::not_found("showtime", id));
        }
        let current = showtimes::Entity::find_by_id(id.uuid())
            .one(&txn)
            .await?
            .ok_or_else(|| CatalogError::not_found("showtime", id))?;
        if current.status != ShowtimeStatus::Scheduled.as_str() {
            return Err(CatalogError::Conflict(
                "a cancelled showtime cannot be changed".into(),
            ));
        }
        if current.starts_at <= now {
            return Err(CatalogError::Conflict(
                "the showtime has already started".into(),
            ));
        }
        let starts_at = changes
            .starts_at
            .map(crate::clock::to_micros)
            .unwrap_or(current.starts_at);
        check_start(now, starts_at)?;
        let on_sale_at = changes
            .on_sale_at
            .map(crate::clock::to_micros)
            .unwrap_or(current.on_sale_at);
        if on_sale_at > starts_at {
            return Err(CatalogError::invalid(
                "onSaleAt",
                "must not be after the start",
            ));
        }
        let ends_at = starts_at + (current.ends_at - current.starts_at);
        let old_screen = ScreenId::from(current.screen_id);
        let new_screen = changes.screen_id.unwrap_or(old_screen);

        let screen = schedule::lock_screen(&txn, new_screen).await?;
        if new_screen != old_screen {
            if screen.theatre_id != current.theatre_id {
                return Err(CatalogError::invalid(
                    "screenId",
                    "must be a screen of the same theatre",
                ));
            }
            let taken = show_seats::Entity::find()
                .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
                .filter(show_seats::Column::Status.ne(super::SeatStatus::Available.as_str()))
                .count(&txn)
                .await?;
            if taken > 0 {
                return Err(CatalogError::Conflict(format!(
                    "{taken} seats are held or sold: the showtime cannot change screen"
                )));
            }
            let priced: Vec<String> = showtime_prices::Entity::find()
                .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|p| p.category)
                .collect();
            if let Some(missing) = Screen::from(screen.clone())
                .categories
                .iter()
                .find(|c| !priced.iter().any(|p| p == c.as_str()))
            {
                return Err(CatalogError::invalid(
                    "screenId",
                    format!(
                        "the new screen has {} seats with no price: set prices first",
                        missing.as_str()
                    ),
                ));
            }
            show_seats::Entity::delete_many()
                .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
                .exec(&txn)
                .await?;
            schedule::materialise_seats(&txn, id.uuid(), screen.id).await?;
        }
        schedule::ensure_free(
            &txn,
            new_screen,
            starts_at,
            ends_at,
            self.cleaning_buffer,
            Some(id),
        )
        .await?;
        let mut m: showtimes::ActiveModel = current.into();
        m.starts_at = Set(starts_at);
        m.ends_at = Set(ends_at);
        m.screen_id = Set(new_screen.uuid());
        m.on_sale_at = Set(on_sale_at);
        if let Some(w) = changes.waiting_room {
            m.waiting_room = Set(w);
        }
        m.updated_at = Set(now);
        let updated = m.update(&txn).await?;
        txn.commit().await?;
        Showtime::from_model(updated).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// Calls a showtime off. Cancelling twice is harmless.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn cancel_showtime(
        &self,
        _admin: &Admin,
        id: ShowtimeId,
    ) -> Result<Showtime, CatalogError> {
        let current = self.live_showtime(id).await?;
        let model = if current.status == ShowtimeStatus::Cancelled.as_str() {
            current
        } else {
            let mut m: showtimes::ActiveModel = current.into();
            m.status = Set(ShowtimeStatus::Cancelled.as_str().to_owned());
            m.updated_at = Set(self.clock.now());
            m.update(&self.db).await?
        };
        Showtime::from_model(model).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// Sets the price of the given categories (others keep theirs). Returns all prices.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn set_prices(
        &self,
        _admin: &Admin,
        id: ShowtimeId,
        prices: &[(String, i64)],
    ) -> Result<Vec<Price>, CatalogError> {
        let current = self.live_showtime(id).await?;
        if current.status != ShowtimeStatus::Scheduled.as_str() {
            return Err(CatalogError::Conflict(
                "a cancelled showtime cannot be repriced".into(),
            ));
        }
        let prices = parse_prices(prices)?;
        if prices.is_empty() {
            return Err(CatalogError::invalid("prices", "give at least one price"));
        }
        let txn = self.db.begin().await?;
        showtime_prices::Entity::delete_many()
            .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
            .filter(
                showtime_prices::Column::Category.is_in(prices.iter().map(|p| p.category.as_str())),
            )
            .exec(&txn)
            .await?;
        write_prices(&txn, id, &prices).await?;
        let mut all: Vec<Price> = showtime_prices::Entity::find()
            .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .filter_map(|p| {
                SeatCategory::parse(&p.category).map(|category| Price {
                    category,
                    price_cents: p.price_cents,
                })
            })
            .collect();
        txn.commit().await?;
        all.sort_by_key(|p| p.category);
        Ok(all)
    }

    /// Creates a promotion code.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_promotion(
        &self,
        _admin: &Admin,
        input: PromotionInput,
    ) -> Result<Promotion, CatalogError> {
        let code = input.code.trim().to_uppercase();
        if !(3..=32).contains(&code.len())
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(CatalogError::invalid(
                "code",
                "use 3-32 letters, digits, hyphens or underscores",
            ));
        }
        let currency = match input.kind.as_str() {
            "percent" if (1..=100).contains(&input.value) => None,
            "percent" => return Err(CatalogError::invalid("value", "a percentage must be 1-100")),
            "fixed" => {
                PriceCents::parse(input.value)
                    .ok()
                    .filter(|p| p.cents() > 0)
                    .ok_or_else(|| {
                        CatalogError::invalid("value", "a fixed discount must be a positive amount")
                    })?;
                let c = input.currency.as_deref().ok_or_else(|| {
                    CatalogError::invalid("currency", "a fixed discount needs a currency")
                })?;
                Some(
                    Currency::parse(c)
                        .map_err(|e| CatalogError::invalid("currency", e.to_string()))?
                        .as_str()
                        .to_owned(),
                )
            }
            _ => return Err(CatalogError::invalid("kind", "must be percent or fixed")),
        };
        if input.ends_at <= input.starts_at {
            return Err(CatalogError::invalid("endsAt", "must be after startsAt"));
        }
        for (field, v) in [
            ("maxUses", input.max_uses),
            ("maxUsesPerUser", input.max_uses_per_user),
        ] {
            if v.is_some_and(|n| n < 1) {
                return Err(CatalogError::invalid(field, "must be at least 1"));
            }
        }
        let model = promotions::ActiveModel {
            id: Set(PromotionId::generate().uuid()),
            code: Set(code),
            description: Set(optional_text("description", &input.description, 500)?),
            kind: Set(input.kind),
            value: Set(input.value),
            currency: Set(currency),
            starts_at: Set(crate::clock::to_micros(input.starts_at)),
            ends_at: Set(crate::clock::to_micros(input.ends_at)),
            max_uses: Set(input.max_uses),
            max_uses_per_user: Set(input.max_uses_per_user),
            uses: Set(0),
            created_at: Set(self.clock.now()),
        };
        match model.insert(&self.db).await {
            Ok(m) => Ok(m.into()),
            Err(e) if is_unique_violation(&e) => {
                Err(CatalogError::invalid("code", "this code already exists"))
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// A showtime starts in the future and within two years.
fn check_start(now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<(), CatalogError> {
    if starts_at <= now {
        return Err(CatalogError::invalid("startsAt", "must be in the future"));
    }
    if starts_at > now + Duration::days(730) {
        return Err(CatalogError::invalid(
            "startsAt",
            "must be within two years",
        ));
    }
    Ok(())
}

fn cast_json(cast: Vec<String>) -> Result<serde_json::Value, CatalogError> {
    if cast.len() > 50 {
        return Err(CatalogError::invalid("cast", "at most 50 names"));
    }
    let names = cast
        .iter()
        .map(|n| text("cast", n, 100))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(serde_json::Value::from(names))
}

fn parse_prices(raw: &[(String, i64)]) -> Result<Vec<Price>, CatalogError> {
    let mut out: Vec<Price> = Vec::with_capacity(raw.len());
    for (category, cents) in raw {
        let category = SeatCategory::parse(category.trim().to_lowercase().as_str()).ok_or_else(|| {
            CatalogError::invalid("prices", format!("`{category}` is not a seat category (standard, premium, accessible, companion)"))
        })?;
        let cents = PriceCents::parse(*cents)
            .map_err(|e| CatalogError::invalid("prices", e.to_string()))?;
        if out.iter().any(|p| p.category == category) {
            return Err(CatalogError::invalid(
                "prices",
                format!("{} is priced twice", category.as_str()),
            ));
        }
        out.push(Price {
            category,
            price_cents: cents.cents(),
        });
    }
    Ok(out)
}

async fn write_prices(
    txn: &impl sea_orm::ConnectionTrait,
    id: ShowtimeId,
    prices: &[Price],
) -> Result<(), CatalogError> {
    if prices.is_empty() {
        return Ok(());
    }
    showtime_prices::Entity::insert_many(prices.iter().map(|p| showtime_prices::ActiveModel {
        showtime_id: Set(id.uuid()),
        category: Set(p.category.as_str().to_owned()),
        price_cents: Set(p.price_cents),
    }))
    .exec(txn)
    .await?;
    Ok(())
}

/// Inserts the seats of a layout in batches (SQLite caps bound parameters per statement).
pub(crate) async fn insert_seats(
    txn: &impl sea_orm::ConnectionTrait,
    screen: ScreenId,
    layout: &ScreenLayout,
) -> Result<(), CatalogError> {
    let all: Vec<seats::ActiveModel> = layout
        .rows
        .iter()
        .flat_map(|row| {
            row.seats.iter().map(move |s| seats::ActiveModel {
                id: Set(SeatId::generate().uuid()),
                screen_id: Set(screen.uuid()),
                row_label: Set(row.label.clone()),
                number: Set(s.number),
                category: Set(s.category.as_str().to_owned()),
                x: Set(s.x),
                y: Set(s.y),
            })
        })
        .collect();
    for chunk in all.chunks(1_000) {
        seats::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    Ok(())
}
