//! Asking for, listing and ending alerts.

use marquee_entity::{events, movies, title_alerts};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::accounts::Principal;
use crate::clock::SharedClock;

use super::{AlertError, AlertPlace, AlertStatus, AlertTitle, TitleAlert};

/// The buyer's side of alerts.
#[derive(Clone)]
pub struct AlertService {
    pub(super) db: DatabaseConnection,
    pub(super) clock: SharedClock,
}

impl AlertService {
    /// Wires the service.
    pub fn new(db: DatabaseConnection, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// Asks to be told when `title` opens for booking at `place`.
    #[tracing::instrument(skip_all, err)]
    pub async fn notify_me(
        &self,
        who: &Principal,
        title: AlertTitle,
        place: AlertPlace,
    ) -> Result<TitleAlert, AlertError> {
        let (movie_id, event_id) = match title {
            AlertTitle::Movie(id) => {
                movies::Entity::find_by_id(id)
                    .one(&self.db)
                    .await?
                    .ok_or(AlertError::NotFound("movie"))?;
                (Some(id), None)
            }
            AlertTitle::Event(id) => {
                events::Entity::find_by_id(id)
                    .one(&self.db)
                    .await?
                    .ok_or(AlertError::NotFound("event"))?;
                (None, Some(id))
            }
        };
        let (city, lat, lon, radius) = match place {
            AlertPlace::City(city) => {
                let city = city.trim().to_owned();
                if city.is_empty() || city.chars().count() > 100 {
                    return Err(AlertError::invalid("city", "must be 1 to 100 characters"));
                }
                (Some(city), None, None, None)
            }
            AlertPlace::Near {
                lat,
                lon,
                radius_km,
            } => {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return Err(AlertError::invalid("near", "not a point on Earth"));
                }
                if !(1.0..=500.0).contains(&radius_km) {
                    return Err(AlertError::invalid(
                        "near.radiusKm",
                        "must be between 1 and 500",
                    ));
                }
                (None, Some(lat), Some(lon), Some(radius_km))
            }
        };
        let now = self.clock.now();
        // Two random UUIDs: 244 random bits, unguessable for a link that needs no sign-in.
        let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        let row = title_alerts::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(who.user_id.uuid()),
            movie_id: Set(movie_id),
            event_id: Set(event_id),
            city: Set(city),
            lat: Set(lat),
            lon: Set(lon),
            radius_km: Set(radius),
            status: Set(AlertStatus::Active.as_str().to_owned()),
            unsubscribe_token: Set(token),
            notified_showtime_id: Set(None),
            notified_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(TitleAlert::from_row(row))
    }

    /// The caller's alerts, newest first.
    pub async fn mine(&self, who: &Principal) -> Result<Vec<TitleAlert>, AlertError> {
        Ok(title_alerts::Entity::find()
            .filter(title_alerts::Column::UserId.eq(who.user_id.uuid()))
            .order_by_desc(title_alerts::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(TitleAlert::from_row)
            .collect())
    }

    /// Ends one of the caller's alerts.
    pub async fn cancel(&self, who: &Principal, id: Uuid) -> Result<TitleAlert, AlertError> {
        let found = title_alerts::Entity::find_by_id(id)
            .filter(title_alerts::Column::UserId.eq(who.user_id.uuid()))
            .one(&self.db)
            .await?
            .ok_or(AlertError::NotFound("alert"))?;
        self.end(title_alerts::Column::Id.eq(found.id)).await?;
        let row = title_alerts::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(AlertError::NotFound("alert"))?;
        Ok(TitleAlert::from_row(row))
    }

    /// Ends the alert whose email carried `token` (no sign-in: the link is the proof);
    /// whether there was one still active.
    pub async fn unsubscribe(&self, token: &str) -> Result<bool, AlertError> {
        if token.is_empty() || token.len() > 128 {
            return Err(AlertError::invalid("token", "not an unsubscribe token"));
        }
        let known = title_alerts::Entity::find()
            .filter(title_alerts::Column::UnsubscribeToken.eq(token))
            .one(&self.db)
            .await?
            .ok_or(AlertError::NotFound("alert"))?;
        Ok(self.end(title_alerts::Column::Id.eq(known.id)).await? > 0)
    }

    /// An alert not told yet stops; one already told stays as it was.
    async fn end(&self, which: sea_orm::sea_query::SimpleExpr) -> Result<u64, AlertError> {
        let now = self.clock.now();
        Ok(title_alerts::Entity::update_many()
            .col_expr(
                title_alerts::Column::Status,
                Expr::value(AlertStatus::Unsubscribed.as_str()),
            )
            .col_expr(title_alerts::Column::UpdatedAt, Expr::value(now))
            .filter(which)
            .filter(title_alerts::Column::Status.eq(AlertStatus::Active.as_str()))
            .exec(&self.db)
            .await?
            .rows_affected)
    }
}
