//! Which organisation owns an object: the question every scoped staff call asks first.

use marquee_entity::{bookings, events, promotions, screens, showtimes, theatres};
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::ids::{
    BookingId, EventId, OrganisationId, PromotionId, ScreenId, ShowtimeId, TheatreId,
};

use super::OrganisationError;

/// Whose a theatre is (`None`: the platform's own); `NotFound` when unknown.
pub async fn of_theatre(
    db: &impl ConnectionTrait,
    id: TheatreId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    theatres::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .map(|t| t.organisation_id.map(OrganisationId::from))
        .ok_or(OrganisationError::NotFound("theatre"))
}

/// Whose a screen is: its theatre's.
pub async fn of_screen(
    db: &impl ConnectionTrait,
    id: ScreenId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    let screen = screens::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .ok_or(OrganisationError::NotFound("screen"))?;
    of_theatre(db, screen.theatre_id.into()).await
}

/// Whose a showtime is: its theatre's.
pub async fn of_showtime(
    db: &impl ConnectionTrait,
    id: ShowtimeId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    let showtime = showtimes::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .ok_or(OrganisationError::NotFound("showtime"))?;
    of_theatre(db, showtime.theatre_id.into()).await
}

/// Whose each of `ids` is (unknown showtimes are left out), in two reads.
pub async fn of_showtimes(
    db: &impl ConnectionTrait,
    ids: &[ShowtimeId],
) -> Result<HashMap<ShowtimeId, Option<OrganisationId>>, OrganisationError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let at: Vec<(Uuid, Uuid)> = showtimes::Entity::find()
            .select_only()
            .column(showtimes::Column::Id)
            .column(showtimes::Column::TheatreId)
            .filter(showtimes::Column::Id.is_in(chunk.iter().map(|id| id.uuid())))
            .into_tuple()
            .all(db)
            .await?;
        let mut theatre_ids: Vec<Uuid> = at.iter().map(|(_, t)| *t).collect();
        theatre_ids.sort_unstable();
        theatre_ids.dedup();
        let owners: HashMap<Uuid, Option<Uuid>> = theatres::Entity::find()
            .select_only()
            .column(theatres::Column::Id)
            .column(theatres::Column::OrganisationId)
            .filter(theatres::Column::Id.is_in(theatre_ids))
            .into_tuple::<(Uuid, Option<Uuid>)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        for (showtime, theatre) in at {
            let owner = owners.get(&theatre).copied().flatten();
            found.insert(showtime.into(), owner.map(OrganisationId::from));
        }
    }
    Ok(found)
}

/// Whose a booking is: its showtime's.
pub async fn of_booking(
    db: &impl ConnectionTrait,
    id: BookingId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    let booking = bookings::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .ok_or(OrganisationError::NotFound("booking"))?;
    of_showtime(db, booking.showtime_id.into()).await
}

/// Whose an event is.
pub async fn of_event(
    db: &impl ConnectionTrait,
    id: EventId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    events::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .map(|e| e.organisation_id.map(OrganisationId::from))
        .ok_or(OrganisationError::NotFound("event"))
}

/// Whose a promotion is.
pub async fn of_promotion(
    db: &impl ConnectionTrait,
    id: PromotionId,
) -> Result<Option<OrganisationId>, OrganisationError> {
    promotions::Entity::find_by_id(id.uuid())
        .one(db)
        .await?
        .map(|p| p.organisation_id.map(OrganisationId::from))
        .ok_or(OrganisationError::NotFound("promotion"))
}

/// The uuid form, for filters.
pub(crate) fn uuids(ids: &[OrganisationId]) -> Vec<Uuid> {
    ids.iter().map(|id| id.uuid()).collect()
}
