//! Showtimes and their prices.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{events, show_seats, show_sections, showtime_prices, showtimes};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::events::{
    SHOWTIME_ADDED, SHOWTIME_CANCELLED, SHOWTIME_CHANGED, SHOWTIME_UPDATED, insert_catalog_row,
    showtime_row,
};
use crate::ids::{ScreenId, ShowtimeId, TheatreId};
use crate::money::{Currency, PriceCents};
use crate::organisations::{Staff, audit};

use super::super::{
    CatalogError, Price, Screen, SeatCategory, ShowTitle, Showtime, ShowtimeStatus, schedule,
};
use super::inputs::{NewShowtime, ShowtimeChanges};
use super::{CatalogAdmin, audited};

impl CatalogAdmin {
    /// Schedules a showtime: not in the past, not overlapping, every category priced.
    #[tracing::instrument(skip_all, fields(screen_id = %input.screen_id), err)]
    pub async fn create_showtime(
        &self,
        staff: &Staff,
        input: NewShowtime,
    ) -> Result<Showtime, CatalogError> {
        let owner = self.screen_owner(input.screen_id).await?;
        staff.manage(owner.map(Into::into))?;
        if let ShowTitle::Event(event) = input.title {
            let promoter = events::Entity::find_by_id(event.uuid())
                .one(&self.db)
                .await?
                .and_then(|e| e.organisation_id);
            if promoter.is_some() && promoter != owner {
                return Err(CatalogError::invalid(
                    "eventId",
                    "the event belongs to another organisation",
                ));
            }
        }
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
        let entry = audited(staff, owner, "showtime.create", "showtime", id.uuid())
            .after(&serde_json::json!({ "showtime": &model, "prices": price_list(&prices) }));
        audit::record(&txn, entry, now).await?;
        // Announced so that search knows where and when the title now plays.
        insert_catalog_row(&txn, showtime_row(SHOWTIME_ADDED, id.uuid(), now)).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Showtime::from_model(model).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    pub(super) async fn runtime_of(&self, title: ShowTitle) -> Result<i32, CatalogError> {
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

    /// The organisation of the theatre a screen belongs to.
    async fn screen_owner(&self, id: ScreenId) -> Result<Option<uuid::Uuid>, CatalogError> {
        let screen = marquee_entity::screens::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("screen", id))?;
        self.theatre_owner(screen.theatre_id.into()).await
    }

    /// The organisation a theatre (retired or not) belongs to.
    async fn theatre_owner(&self, id: TheatreId) -> Result<Option<uuid::Uuid>, CatalogError> {
        Ok(marquee_entity::theatres::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("theatre", id))?
            .organisation_id)
    }

    /// The organisation a showtime belongs to (its theatre's), checked against `staff`.
    pub(super) async fn managed_showtime(
        &self,
        staff: &Staff,
        id: ShowtimeId,
    ) -> Result<Option<uuid::Uuid>, CatalogError> {
        let showtime = self.live_showtime(id).await?;
        let owner = self.theatre_owner(showtime.theatre_id.into()).await?;
        staff.manage(owner.map(Into::into))?;
        Ok(owner)
    }

    pub(super) async fn live_showtime(
        &self,
        id: ShowtimeId,
    ) -> Result<showtimes::Model, CatalogError> {
        showtimes::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// Moves a scheduled showtime in time or to another screen of the same theatre.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn update_showtime(
        &self,
        staff: &Staff,
        id: ShowtimeId,
        changes: ShowtimeChanges,
    ) -> Result<Showtime, CatalogError> {
        let owner = self.managed_showtime(staff, id).await?;
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
        let entry =
            audited(staff, owner, "showtime.update", "showtime", id.uuid()).before(&current);
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
            // Only free seats are removed, and the move goes on only if none is left: the
            // delete locks what it removes, so a hold committing meanwhile either came first
            // (its seats stay, and are counted below) or finds its seats gone.
            show_seats::Entity::delete_many()
                .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
                .filter(show_seats::Column::Status.eq(super::super::SeatStatus::Available.as_str()))
                .exec(&txn)
                .await?;
            // General admission likewise: a section with no place held or sold goes.
            show_sections::Entity::delete_many()
                .filter(show_sections::Column::ShowtimeId.eq(id.uuid()))
                .filter(show_sections::Column::Held.eq(0))
                .filter(show_sections::Column::Sold.eq(0))
                .exec(&txn)
                .await?;
            let taken = show_seats::Entity::find()
                .filter(show_seats::Column::ShowtimeId.eq(id.uuid()))
                .count(&txn)
                .await?
                + show_sections::Entity::find()
                    .filter(show_sections::Column::ShowtimeId.eq(id.uuid()))
                    .count(&txn)
                    .await?;
            if taken > 0 {
                txn.rollback().await?;
                return Err(CatalogError::Conflict(format!(
                    "{taken} seats are held or sold: the showtime cannot change screen"
                )));
            }
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
        // Buyers are told only of what concerns them: a new time or screen.
        let topic = if starts_at != current.starts_at || new_screen != old_screen {
            SHOWTIME_CHANGED
        } else {
            SHOWTIME_UPDATED
        };
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
        insert_catalog_row(&txn, showtime_row(topic, id.uuid(), now)).await?;
        audit::record(&txn, entry.after(&updated), now).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Showtime::from_model(updated).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// Calls a showtime off. Cancelling twice is harmless.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn cancel_showtime(
        &self,
        staff: &Staff,
        id: ShowtimeId,
    ) -> Result<Showtime, CatalogError> {
        let owner = self.managed_showtime(staff, id).await?;
        let current = self.live_showtime(id).await?;
        // The bookings are refunded by the workers, which find every confirmed booking of
        // a cancelled showtime: a crash half-way through loses none.
        let model = if current.status == ShowtimeStatus::Cancelled.as_str() {
            current
        } else {
            let now = self.clock.now();
            let txn = self.db.begin().await?;
            let entry =
                audited(staff, owner, "showtime.cancel", "showtime", id.uuid()).before(&current);
            let mut m: showtimes::ActiveModel = current.into();
            m.status = Set(ShowtimeStatus::Cancelled.as_str().to_owned());
            m.updated_at = Set(now);
            let updated = m.update(&txn).await?;
            insert_catalog_row(&txn, showtime_row(SHOWTIME_CANCELLED, id.uuid(), now)).await?;
            audit::record(&txn, entry.after(&updated), now).await?;
            txn.commit().await?;
            self.listings.after_write(&self.db).await;
            updated
        };
        Showtime::from_model(model).ok_or_else(|| CatalogError::not_found("showtime", id))
    }

    /// The owner of a showtime the caller manages and may reprice (still scheduled), and
    /// the showtime.
    pub(super) async fn repriceable(
        &self,
        staff: &Staff,
        id: ShowtimeId,
    ) -> Result<(Option<uuid::Uuid>, showtimes::Model), CatalogError> {
        let owner = self.managed_showtime(staff, id).await?;
        let current = self.live_showtime(id).await?;
        if current.status != ShowtimeStatus::Scheduled.as_str() {
            return Err(CatalogError::Conflict(
                "a cancelled showtime cannot be repriced".into(),
            ));
        }
        Ok((owner, current))
    }

    /// A repricing's transaction, begun by writing to the showtime's row.
    pub(super) async fn begin_repricing(
        &self,
        id: ShowtimeId,
    ) -> Result<sea_orm::DatabaseTransaction, CatalogError> {
        let txn = self.db.begin().await?;
        // Writes first, so that repricings of one showtime queue: on SQLite a transaction
        // that has read cannot become a writer once another connection has committed (a
        // worker writing the outbox meanwhile), one that starts by writing waits its turn.
        showtimes::Entity::update_many()
            .col_expr(
                showtimes::Column::Status,
                Expr::col(showtimes::Column::Status),
            )
            .filter(showtimes::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        Ok(txn)
    }

    /// Sets the price of the given categories (others keep theirs). Returns all prices.
    #[tracing::instrument(skip_all, fields(showtime_id = %id), err)]
    pub async fn set_prices(
        &self,
        staff: &Staff,
        id: ShowtimeId,
        prices: &[(String, i64)],
    ) -> Result<Vec<Price>, CatalogError> {
        let (owner, _) = self.repriceable(staff, id).await?;
        let prices = parse_prices(prices)?;
        if prices.is_empty() {
            return Err(CatalogError::invalid("prices", "give at least one price"));
        }
        let txn = self.begin_repricing(id).await?;
        let before: Vec<(String, i64)> = showtime_prices::Entity::find()
            .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.category, p.price_cents))
            .collect();
        showtime_prices::Entity::delete_many()
            .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
            .filter(
                showtime_prices::Column::Category.is_in(prices.iter().map(|p| p.category.as_str())),
            )
            .exec(&txn)
            .await?;
        write_prices(&txn, id, &prices).await?;
        let all = by_category(
            showtime_prices::Entity::find()
                .filter(showtime_prices::Column::ShowtimeId.eq(id.uuid()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|p| (p.category, p.price_cents)),
        );
        let entry = audited(staff, owner, "showtime.set_prices", "showtime", id.uuid())
            .before(
                &before
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .after(&price_list(&all));
        let now = self.clock.now();
        // Listings show prices and are kept until the next catalog change.
        insert_catalog_row(&txn, showtime_row(SHOWTIME_UPDATED, id.uuid(), now)).await?;
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        self.listings.after_write(&self.db).await;
        Ok(all)
    }
}

/// A showtime starts in the future and within two years.
pub(super) fn check_start(
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
) -> Result<(), CatalogError> {
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

pub(super) fn parse_prices(raw: &[(String, i64)]) -> Result<Vec<Price>, CatalogError> {
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

pub(super) async fn write_prices(
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

/// Prices by category name, as the audit log shows them.
pub(super) fn price_list(prices: &[Price]) -> std::collections::BTreeMap<&'static str, i64> {
    prices
        .iter()
        .map(|p| (p.category.as_str(), p.price_cents))
        .collect()
}

/// Stored `(category, price)` rows as prices ordered by category; a category this build
/// does not know is left out.
pub(super) fn by_category(rows: impl Iterator<Item = (String, i64)>) -> Vec<Price> {
    let mut out: Vec<Price> = rows
        .filter_map(|(category, price_cents)| {
            SeatCategory::parse(&category).map(|category| Price {
                category,
                price_cents,
            })
        })
        .collect();
    out.sort_by_key(|p| p.category);
    out
}
