//! What a report's groups are called: staff read "Lumen Downtown", not an id.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use marquee_entity::{events, movies, screens, showtimes, theatres};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::report::{GroupBy, ReportRow};

/// Fills in each row's group name, in one read per dimension.
pub(crate) async fn name_groups<C: ConnectionTrait>(
    db: &C,
    group_by: GroupBy,
    rows: &mut [ReportRow],
) -> Result<(), DbErr> {
    let mut ids: Vec<Uuid> = rows.iter().filter_map(|r| r.group_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let names: HashMap<Uuid, String> = match group_by {
        GroupBy::Organisation => HashMap::new(),
        GroupBy::Theatre => theatres::Entity::find()
            .filter(theatres::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
        GroupBy::Screen => {
            let found = screens::Entity::find()
                .filter(screens::Column::Id.is_in(ids))
                .all(db)
                .await?;
            let theatre_names = theatre_names(db, found.iter().map(|s| s.theatre_id)).await?;
            found
                .into_iter()
                .map(|s| {
                    let at = theatre_names
                        .get(&s.theatre_id)
                        .cloned()
                        .unwrap_or_default();
                    (s.id, format!("{at} · {}", s.name))
                })
                .collect()
        }
        GroupBy::Movie => movies::Entity::find()
            .filter(movies::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.title))
            .collect(),
        GroupBy::Event => events::Entity::find()
            .filter(events::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect(),
        GroupBy::Showtime => showtime_names(db, ids).await?,
    };
    for row in rows {
        row.group_name = row.group_id.and_then(|g| names.get(&g).cloned());
    }
    Ok(())
}

async fn theatre_names<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(theatres::Entity::find()
        .filter(theatres::Column::Id.is_in(distinct(ids)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// Each distinct id of `ids`, once.
fn distinct(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// "Title · Theatre · start in the theatre's time".
async fn showtime_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    type Named = (Uuid, Uuid, Option<Uuid>, Option<Uuid>, DateTime<Utc>);
    // Only what the name needs: a week's report names a thousand showtimes.
    let found: Vec<Named> = showtimes::Entity::find()
        .select_only()
        .columns([
            showtimes::Column::Id,
            showtimes::Column::TheatreId,
            showtimes::Column::MovieId,
            showtimes::Column::EventId,
            showtimes::Column::StartsAt,
        ])
        .filter(showtimes::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let theatres: HashMap<Uuid, theatres::Model> = theatres::Entity::find()
        .filter(theatres::Column::Id.is_in(distinct(found.iter().map(|s| s.1))))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let movie_titles: HashMap<Uuid, String> = movies::Entity::find()
        .select_only()
        .columns([movies::Column::Id, movies::Column::Title])
        .filter(movies::Column::Id.is_in(distinct(found.iter().filter_map(|s| s.2))))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let event_titles: HashMap<Uuid, String> = events::Entity::find()
        .select_only()
        .columns([events::Column::Id, events::Column::Title])
        .filter(events::Column::Id.is_in(distinct(found.iter().filter_map(|s| s.3))))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(found
        .into_iter()
        .map(|(id, theatre_id, movie_id, event_id, starts_at)| {
            let title = movie_id
                .and_then(|m| movie_titles.get(&m))
                .or_else(|| event_id.and_then(|e| event_titles.get(&e)))
                .cloned()
                .unwrap_or_default();
            let theatre = theatres.get(&theatre_id);
            let zone: Tz = theatre
                .and_then(|t| t.timezone.parse().ok())
                .unwrap_or(Tz::UTC);
            let when = starts_at.with_timezone(&zone).format("%Y-%m-%d %H:%M");
            let at = theatre.map(|t| t.name.as_str()).unwrap_or_default();
            (id, format!("{title} · {at} · {when}"))
        })
        .collect())
}
