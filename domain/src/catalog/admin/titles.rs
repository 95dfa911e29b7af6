//! Movies and live events.

use marquee_entity::{events, movies, showtimes};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::ids::{EventId, MovieId};
use crate::organisations::Staff;

use super::super::validate::{minutes, optional_text, text, url};
use super::super::{CatalogError, Event, Movie, genres};
use super::inputs::{EventInput, MovieInput};
use super::{CatalogAdmin, MAX_RUNTIME, audited, required};

impl CatalogAdmin {
    /// Adds a movie.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_movie(
        &self,
        staff: &Staff,
        input: MovieInput,
    ) -> Result<Movie, CatalogError> {
        // Movies are the shared catalog every chain schedules from.
        staff.platform()?;
        let now = self.clock.now();
        let id = MovieId::generate().uuid();
        let model = movies::ActiveModel {
            id: Set(id),
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
            ratings_1: Set(0),
            ratings_2: Set(0),
            ratings_3: Set(0),
            ratings_4: Set(0),
            ratings_5: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        };
        let entry = audited(staff, None, "movie.create", "movie", id);
        let saved = self.announced("movie", id, now, entry, async move |txn| {
            model.insert(txn).await
        });
        Ok(saved.await?.into())
    }

    pub(super) async fn live_movie(&self, id: MovieId) -> Result<movies::Model, CatalogError> {
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
        staff: &Staff,
        id: MovieId,
        input: MovieInput,
    ) -> Result<Movie, CatalogError> {
        staff.platform()?;
        let current = self.live_movie(id).await?;
        let entry = audited(staff, None, "movie.update", "movie", id.uuid()).before(&current);
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
        let now = self.clock.now();
        m.updated_at = Set(now);
        let saved = self.announced("movie", id.uuid(), now, entry, async move |txn| {
            m.update(txn).await
        });
        Ok(saved.await?.into())
    }

    /// Retires a movie (kept for booking history). Refused while it has upcoming shows.
    #[tracing::instrument(skip_all, fields(movie_id = %id), err)]
    pub async fn delete_movie(&self, staff: &Staff, id: MovieId) -> Result<(), CatalogError> {
        staff.platform()?;
        let current = self.live_movie(id).await?;
        let entry = audited(staff, None, "movie.delete", "movie", id.uuid()).before(&current);
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
        self.announced("movie", id.uuid(), now, entry, async move |txn| {
            m.update(txn).await
        })
        .await?;
        Ok(())
    }

    /// Adds a live event.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_event(
        &self,
        staff: &Staff,
        input: EventInput,
    ) -> Result<Event, CatalogError> {
        let owner = self.owner_for_new(staff, input.organisation).await?;
        let now = self.clock.now();
        let category = category(&required("category", input.category)?)?;
        let id = EventId::generate().uuid();
        let model = events::ActiveModel {
            id: Set(id),
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
            organisation_id: Set(owner.map(|o| o.uuid())),
        };
        let entry = audited(staff, owner.map(|o| o.uuid()), "event.create", "event", id);
        let saved = self.announced("event", id, now, entry, async move |txn| {
            model.insert(txn).await
        });
        Ok(saved.await?.into())
    }

    async fn live_event(&self, id: EventId) -> Result<events::Model, CatalogError> {
        events::Entity::find_by_id(id.uuid())
            .filter(events::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("event", id))
    }

    /// Changes a live event. A new duration is refused while shows are scheduled, since it
    /// would move their end and could make them overlap.
    #[tracing::instrument(skip_all, fields(event_id = %id), err)]
    pub async fn update_event(
        &self,
        staff: &Staff,
        id: EventId,
        input: EventInput,
    ) -> Result<Event, CatalogError> {
        let current = self.live_event(id).await?;
        staff.manage(current.organisation_id.map(Into::into))?;
        if input
            .organisation
            .is_some_and(|to| Some(to.uuid()) != current.organisation_id)
        {
            return Err(CatalogError::invalid(
                "organisationId",
                "an event stays with the organisation that created it",
            ));
        }
        let entry = audited(
            staff,
            current.organisation_id,
            "event.update",
            "event",
            id.uuid(),
        )
        .before(&current);
        if let Some(duration) = input.duration_minutes
            && duration != current.duration_minutes
            && self
                .upcoming_count(showtimes::Column::EventId.eq(id.uuid()))
                .await?
                > 0
        {
            return Err(CatalogError::Conflict(
                "the duration cannot change while showtimes are scheduled".into(),
            ));
        }
        let mut m: events::ActiveModel = current.into();
        if let Some(v) = input.title {
            m.title = Set(text("title", &v, 200)?);
        }
        if let Some(v) = input.description {
            m.description = Set(optional_text("description", &v, 5000)?);
        }
        if let Some(v) = input.performer {
            m.performer = Set(text("performer", &v, 200)?);
        }
        if let Some(v) = input.category {
            m.category = Set(category(&v)?);
        }
        if let Some(v) = input.genres {
            m.genres = Set(genres::encode(&v)?);
        }
        if let Some(v) = input.language {
            m.language = Set(text("language", &v, 50)?);
        }
        if let Some(v) = input.duration_minutes {
            m.duration_minutes = Set(minutes("durationMinutes", v, MAX_RUNTIME)?);
        }
        if let Some(v) = input.age_rating {
            m.age_rating = Set(optional_text("ageRating", &v, 20)?);
        }
        if let Some(v) = input.poster_url {
            m.poster_url = Set(url("posterUrl", Some(&v))?);
        }
        let now = self.clock.now();
        m.updated_at = Set(now);
        let saved = self.announced("event", id.uuid(), now, entry, async move |txn| {
            m.update(txn).await
        });
        Ok(saved.await?.into())
    }

    /// Retires a live event (kept for booking history). Refused while it has upcoming shows.
    #[tracing::instrument(skip_all, fields(event_id = %id), err)]
    pub async fn delete_event(&self, staff: &Staff, id: EventId) -> Result<(), CatalogError> {
        let current = self.live_event(id).await?;
        staff.manage(current.organisation_id.map(Into::into))?;
        let entry = audited(
            staff,
            current.organisation_id,
            "event.delete",
            "event",
            id.uuid(),
        )
        .before(&current);
        let upcoming = self
            .upcoming_count(showtimes::Column::EventId.eq(id.uuid()))
            .await?;
        if upcoming > 0 {
            return Err(CatalogError::Conflict(format!(
                "event has {upcoming} upcoming showtimes: cancel them first"
            )));
        }
        let now = self.clock.now();
        let mut m: events::ActiveModel = current.into();
        m.deleted_at = Set(Some(now));
        m.updated_at = Set(now);
        self.announced("event", id.uuid(), now, entry, async move |txn| {
            m.update(txn).await
        })
        .await?;
        Ok(())
    }
}

/// An event's category as a slug.
fn category(value: &str) -> Result<String, CatalogError> {
    genres::normalise(value)
        .ok_or_else(|| CatalogError::invalid("category", "use 1-30 letters, digits or hyphens"))
}

pub(super) fn cast_json(cast: Vec<String>) -> Result<serde_json::Value, CatalogError> {
    if cast.len() > 50 {
        return Err(CatalogError::invalid("cast", "at most 50 names"));
    }
    let names = cast
        .iter()
        .map(|n| text("cast", n, 100))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(serde_json::Value::from(names))
}
