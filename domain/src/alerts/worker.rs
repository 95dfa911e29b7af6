//! Telling buyers a title went on sale where they asked. Each pass looks only at on-sale
//! showtimes of titles someone waits for; an alert is told in one transaction that marks
//! it notified (only if still active), writes its inbox entry and queues its email, so any
//! number of instances may run passes, and a restart neither loses nor repeats one.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use marquee_entity::{notifications, showtimes, theatres, title_alerts};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::booking::ExecutionOutcome;
use crate::catalog::ShowtimeStatus;
use crate::clock::SharedClock;
use crate::events::EventBus;
use crate::inbox::{Added, push_added};

use super::{AlertStatus, ON_SALE_KIND, distance_km};

/// On-sale showtimes read per pass.
const SHOWTIMES_PER_PASS: u64 = 500;
/// Alerts told per pass.
const ALERTS_PER_PASS: usize = 200;

/// Tells waiting buyers of titles gone on sale.
#[derive(Clone)]
pub struct AlertWorker {
    db: DatabaseConnection,
    clock: SharedClock,
    bus: Arc<dyn EventBus>,
    email_hourly_cap: u32,
}

/// Where a showtime plays.
struct Venue {
    showtime: Uuid,
    movie: Option<Uuid>,
    event: Option<Uuid>,
    city: String,
    lat: f64,
    lon: f64,
}

impl AlertWorker {
    /// Wires the worker; `bus` carries the live push of each entry, `email_hourly_cap` is
    /// the mail queue's cap per address.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        bus: Arc<dyn EventBus>,
        email_hourly_cap: u32,
    ) -> Self {
        Self {
            db,
            clock,
            bus,
            email_hourly_cap,
        }
    }

    /// One pass: every active alert with an on-sale showtime where it asks is told.
    pub async fn try_execute_task(&self) -> Result<ExecutionOutcome, DbErr> {
        let now = self.clock.now();
        let active = |col: title_alerts::Column| {
            Query::select()
                .column(col)
                .from(title_alerts::Entity)
                .and_where(title_alerts::Column::Status.eq(AlertStatus::Active.as_str()))
                .and_where(Expr::col(col).is_not_null())
                .to_owned()
        };
        let shows = showtimes::Entity::find()
            .filter(showtimes::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()))
            .filter(showtimes::Column::OnSaleAt.lte(now))
            .filter(showtimes::Column::StartsAt.gt(now))
            .filter(
                Condition::any()
                    .add(
                        showtimes::Column::MovieId
                            .in_subquery(active(title_alerts::Column::MovieId)),
                    )
                    .add(
                        showtimes::Column::EventId
                            .in_subquery(active(title_alerts::Column::EventId)),
                    ),
            )
            .order_by_asc(showtimes::Column::StartsAt)
            .limit(SHOWTIMES_PER_PASS)
            .all(&self.db)
            .await?;
        if shows.is_empty() {
            return Ok(ExecutionOutcome::EmptyQueue);
        }
        let places: HashMap<Uuid, theatres::Model> = theatres::Entity::find()
            .filter(theatres::Column::Id.is_in(shows.iter().map(|s| s.theatre_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let venues: Vec<Venue> = shows
            .iter()
            .filter_map(|s| {
                let t = places.get(&s.theatre_id)?;
                Some(Venue {
                    showtime: s.id,
                    movie: s.movie_id,
                    event: s.event_id,
                    city: t.city.trim().to_lowercase(),
                    lat: t.latitude,
                    lon: t.longitude,
                })
            })
            .collect();
        let alerts = title_alerts::Entity::find()
            .filter(title_alerts::Column::Status.eq(AlertStatus::Active.as_str()))
            .filter(
                Condition::any()
                    .add(title_alerts::Column::MovieId.is_in(venues.iter().filter_map(|v| v.movie)))
                    .add(
                        title_alerts::Column::EventId.is_in(venues.iter().filter_map(|v| v.event)),
                    ),
            )
            .order_by_asc(title_alerts::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut told = 0;
        for alert in alerts {
            if told >= ALERTS_PER_PASS {
                break;
            }
            // The soonest show where the buyer asked (the showtimes come soonest first).
            let Some(venue) = venues.iter().find(|v| matches(&alert, v)) else {
                continue;
            };
            if self.tell(&alert, venue).await? {
                told += 1;
            }
        }
        Ok(if told > 0 {
            ExecutionOutcome::TaskCompleted
        } else {
            ExecutionOutcome::EmptyQueue
        })
    }

    /// Marks the alert told and writes its entry and email, together; false when another
    /// pass told it (or the buyer left) first.
    async fn tell(&self, alert: &title_alerts::Model, venue: &Venue) -> Result<bool, DbErr> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let marked = title_alerts::Entity::update_many()
            .col_expr(
                title_alerts::Column::Status,
                Expr::value(AlertStatus::Notified.as_str()),
            )
            .col_expr(
                title_alerts::Column::NotifiedShowtimeId,
                Expr::value(venue.showtime),
            )
            .col_expr(title_alerts::Column::NotifiedAt, Expr::value(now))
            .col_expr(title_alerts::Column::UpdatedAt, Expr::value(now))
            .filter(title_alerts::Column::Id.eq(alert.id))
            .filter(title_alerts::Column::Status.eq(AlertStatus::Active.as_str()))
            .exec(&txn)
            .await?;
        if marked.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
        let entry = notifications::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(alert.user_id),
            kind: Set(ON_SALE_KIND.to_owned()),
            title: Set("Now on sale".to_owned()),
            body: Set(
                "Tickets for a title you asked about are on sale near you: book before they go."
                    .to_owned(),
            ),
            data: Set(serde_json::json!({
                "alertId": alert.id,
                "showtimeId": venue.showtime,
                "movieId": alert.movie_id,
                "eventId": alert.event_id,
            })),
            dedupe_key: Set(format!("alert:{}", alert.id)),
            read_at: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let added = Added::from(&entry);
        crate::mail::queue_emails(&txn, &[entry], &HashMap::new(), now, self.email_hourly_cap)
            .await?;
        txn.commit().await?;
        push_added(self.bus.as_ref(), &[added]).await;
        tracing::info!(alert_id = %alert.id, showtime_id = %venue.showtime, "alert told");
        Ok(true)
    }

    /// Runs until the process stops.
    pub async fn run(self, idle: StdDuration) {
        loop {
            match self.try_execute_task().await {
                Ok(ExecutionOutcome::TaskCompleted) => continue,
                Ok(ExecutionOutcome::EmptyQueue) => {}
                Err(e) => tracing::warn!(error = %e, "alert pass failed; retrying"),
            }
            tokio::time::sleep(idle).await;
        }
    }
}

/// Whether `venue` shows the alert's title where the alert asks.
fn matches(alert: &title_alerts::Model, venue: &Venue) -> bool {
    let same_title = (alert.movie_id.is_some() && alert.movie_id == venue.movie)
        || (alert.event_id.is_some() && alert.event_id == venue.event);
    if !same_title {
        return false;
    }
    match (&alert.city, alert.lat, alert.lon, alert.radius_km) {
        (Some(city), _, _, _) => city.trim().to_lowercase() == venue.city,
        (None, Some(lat), Some(lon), Some(radius)) => {
            distance_km(lat, lon, venue.lat, venue.lon) <= radius
        }
        _ => false,
    }
}
