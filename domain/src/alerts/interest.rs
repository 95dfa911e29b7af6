//! How many buyers wait for each title and city: demand before scheduling.

use std::collections::HashMap;

use marquee_entity::{events, movies, title_alerts};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::organisations::{MemberRole, Staff};

use super::{AlertError, AlertService, AlertStatus, AlertTitle};

/// Buyers waiting for one title in one city.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleInterest {
    /// The title.
    pub title: AlertTitle,
    /// Its name.
    pub name: String,
    /// The city, in lower case; `None` for alerts by distance from a point.
    pub city: Option<String>,
    /// Active alerts.
    pub count: u64,
}

/// Movie, event, city (lower case) and active alerts, as counted.
type InterestRow = (Option<Uuid>, Option<Uuid>, Option<String>, i64);

impl AlertService {
    /// Active alerts per title and city, most wanted first; for one title when given.
    /// Platform admins and organisation managers read them (for any title: demand is what
    /// tells a manager what to schedule).
    pub async fn interest(
        &self,
        staff: &Staff,
        title: Option<AlertTitle>,
    ) -> Result<Vec<TitleInterest>, AlertError> {
        let manager = staff
            .memberships()
            .iter()
            .any(|m| m.role == MemberRole::Manager);
        if !staff.is_platform() && !manager {
            return Err(AlertError::Forbidden);
        }
        let mut q = title_alerts::Entity::find()
            .select_only()
            .column(title_alerts::Column::MovieId)
            .column(title_alerts::Column::EventId)
            .expr_as(Func::lower(Expr::col(title_alerts::Column::City)), "city")
            .column_as(title_alerts::Column::Id.count(), "n")
            .filter(title_alerts::Column::Status.eq(AlertStatus::Active.as_str()))
            .group_by(title_alerts::Column::MovieId)
            .group_by(title_alerts::Column::EventId)
            .group_by(Func::lower(Expr::col(title_alerts::Column::City)));
        match title {
            Some(AlertTitle::Movie(id)) => q = q.filter(title_alerts::Column::MovieId.eq(id)),
            Some(AlertTitle::Event(id)) => q = q.filter(title_alerts::Column::EventId.eq(id)),
            None => {}
        }
        let rows: Vec<InterestRow> = q.into_tuple().all(&self.db).await?;
        let movie_names: HashMap<Uuid, String> = movies::Entity::find()
            .filter(movies::Column::Id.is_in(rows.iter().filter_map(|r| r.0)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.title))
            .collect();
        let event_names: HashMap<Uuid, String> = events::Entity::find()
            .filter(events::Column::Id.is_in(rows.iter().filter_map(|r| r.1)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect();
        let mut out: Vec<TitleInterest> = rows
            .into_iter()
            .filter_map(|(movie, event, city, n)| {
                let (title, name) = match (movie, event) {
                    (Some(m), _) => (AlertTitle::Movie(m), movie_names.get(&m)?.clone()),
                    (None, Some(e)) => (AlertTitle::Event(e), event_names.get(&e)?.clone()),
                    (None, None) => return None,
                };
                Some(TitleInterest {
                    title,
                    name,
                    city,
                    count: u64::try_from(n).unwrap_or(0),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.city.cmp(&b.city))
        });
        Ok(out)
    }
}
