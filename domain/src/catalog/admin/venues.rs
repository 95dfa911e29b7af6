//! Theatres and their screens.

use marquee_entity::{screens, seats, sections, showtimes, theatres};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::events::{catalog_changed_row, insert_catalog_row};
use crate::ids::{ScreenId, SeatId, SectionId, TheatreId};
use crate::organisations::{Staff, audit};

use super::super::validate::{coordinates, text, timezone, zip};
use super::super::{CatalogError, Screen, ScreenLayout, SectionKind, Theatre};
use super::inputs::TheatreInput;
use super::{CatalogAdmin, audited, required};

impl CatalogAdmin {
    /// Adds a theatre.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_theatre(
        &self,
        staff: &Staff,
        input: TheatreInput,
    ) -> Result<Theatre, CatalogError> {
        let owner = self.owner_for_new(staff, input.organisation).await?;
        let (latitude, longitude) = coordinates(
            required("latitude", input.latitude)?,
            required("longitude", input.longitude)?,
        )?;
        let now = self.clock.now();
        let id = TheatreId::generate().uuid();
        let model = theatres::ActiveModel {
            id: Set(id),
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
            organisation_id: Set(owner.map(|o| o.uuid())),
        };
        let entry = audited(
            staff,
            owner.map(|o| o.uuid()),
            "theatre.create",
            "theatre",
            id,
        );
        let saved = self.announced("theatre", id, now, entry, async move |txn| {
            model.insert(txn).await
        });
        Ok(saved.await?.into())
    }

    pub(super) async fn live_theatre(
        &self,
        id: TheatreId,
    ) -> Result<theatres::Model, CatalogError> {
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
        staff: &Staff,
        id: TheatreId,
        input: TheatreInput,
    ) -> Result<Theatre, CatalogError> {
        let current = self.live_theatre(id).await?;
        staff.manage(current.organisation_id.map(Into::into))?;
        let entry = audited(
            staff,
            current.organisation_id,
            "theatre.update",
            "theatre",
            id.uuid(),
        )
        .before(&current);
        let moved_to = match input.organisation {
            Some(to) if Some(to.uuid()) != current.organisation_id => {
                staff.platform()?;
                Some(self.owner_for_new(staff, Some(to)).await?)
            }
            _ => None,
        };
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
        if let Some(owner) = moved_to {
            m.organisation_id = Set(owner.map(|o| o.uuid()));
        }
        m.latitude = Set(lat);
        m.longitude = Set(lon);
        let now = self.clock.now();
        m.updated_at = Set(now);
        let saved = self.announced("theatre", id.uuid(), now, entry, async move |txn| {
            m.update(txn).await
        });
        Ok(saved.await?.into())
    }

    /// Retires a theatre (kept for booking history). Refused while it has upcoming shows.
    #[tracing::instrument(skip_all, fields(theatre_id = %id), err)]
    pub async fn delete_theatre(&self, staff: &Staff, id: TheatreId) -> Result<(), CatalogError> {
        let current = self.live_theatre(id).await?;
        staff.manage(current.organisation_id.map(Into::into))?;
        let entry = audited(
            staff,
            current.organisation_id,
            "theatre.delete",
            "theatre",
            id.uuid(),
        )
        .before(&current);
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
        insert_catalog_row(&txn, catalog_changed_row("theatre", id.uuid(), now)).await?;
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Ok(())
    }

    /// Adds a screen with its seats to a theatre.
    #[tracing::instrument(skip_all, fields(theatre_id = %theatre), err)]
    pub async fn create_screen(
        &self,
        staff: &Staff,
        theatre: TheatreId,
        name: &str,
        layout: &ScreenLayout,
    ) -> Result<Screen, CatalogError> {
        let owner = self.live_theatre(theatre).await?.organisation_id;
        staff.manage(owner.map(Into::into))?;
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
        let entry =
            audited(staff, owner, "screen.create", "screen", screen_id.uuid()).after(&screen);
        audit::record(&txn, entry, screen.created_at).await?;
        txn.commit().await?;
        Ok(screen.into())
    }
}

/// Inserts the sections and seats of a layout, seats in batches (SQLite caps the bound
/// parameters of one statement at 32,766; nine columns a seat).
pub(crate) async fn insert_seats(
    txn: &impl sea_orm::ConnectionTrait,
    screen: ScreenId,
    layout: &ScreenLayout,
) -> Result<(), CatalogError> {
    let mut all: Vec<seats::ActiveModel> = Vec::with_capacity(layout.seat_count());
    let mut rows: Vec<sections::ActiveModel> = Vec::with_capacity(layout.sections.len());
    for (position, section) in layout.sections.iter().enumerate() {
        let section_id = SectionId::generate().uuid();
        rows.push(sections::ActiveModel {
            id: Set(section_id),
            screen_id: Set(screen.uuid()),
            name: Set(section.name.clone()),
            kind: Set(section.kind.as_str().to_owned()),
            capacity: Set(section.capacity() as i32),
            category: Set((section.kind == SectionKind::General)
                .then(|| section.category.as_str().to_owned())),
            position: Set(position as i32),
            map_x: Set(section.map.x),
            map_y: Set(section.map.y),
            map_width: Set(section.map.width),
            map_height: Set(section.map.height),
        });
        for row in &section.rows {
            all.extend(row.seats.iter().map(|s| seats::ActiveModel {
                id: Set(SeatId::generate().uuid()),
                screen_id: Set(screen.uuid()),
                section_id: Set(section_id),
                row_label: Set(row.label.clone()),
                number: Set(s.number),
                category: Set(s.category.as_str().to_owned()),
                x: Set(s.x),
                y: Set(s.y),
            }));
        }
    }
    for chunk in rows.chunks(1_000) {
        sections::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    for chunk in all.chunks(3_000) {
        seats::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    Ok(())
}
