//! The section part of a seat's label. A cinema screen is one section named "Main", and
//! "Section Main" on a cinema ticket would only confuse, so a seat names its section only
//! where its venue has more than one.

use std::collections::{HashMap, HashSet};

use marquee_entity::sections;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// Section names by section id, for the sections of `ids` whose venue has several.
pub async fn section_labels(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = sections::Entity::find()
        .filter(sections::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let screens: HashSet<Uuid> = found.iter().map(|s| s.screen_id).collect();
    let several: HashSet<Uuid> = sections::Entity::find()
        .select_only()
        .column(sections::Column::ScreenId)
        .filter(sections::Column::ScreenId.is_in(screens))
        .group_by(sections::Column::ScreenId)
        .having(Expr::expr(Func::count(Expr::col(sections::Column::Id))).gt(1))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(found
        .into_iter()
        .filter(|s| several.contains(&s.screen_id))
        .map(|s| (s.id, s.name))
        .collect())
}

/// Section names by id for every section of `screen`, or none when it has only one.
pub async fn screen_section_labels(
    db: &impl ConnectionTrait,
    screen: Uuid,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let all: Vec<(Uuid, String)> = sections::Entity::find()
        .select_only()
        .columns([sections::Column::Id, sections::Column::Name])
        .filter(sections::Column::ScreenId.eq(screen))
        .into_tuple()
        .all(db)
        .await?;
    Ok(if all.len() > 1 {
        all.into_iter().collect()
    } else {
        HashMap::new()
    })
}

/// "Section 101, Row A, Seat 5", or "Row A, Seat 5" in a venue of one section.
pub fn seat_label(section: Option<&str>, row: &str, number: i32) -> String {
    match section {
        Some(section) => format!("Section {section}, Row {row}, Seat {number}"),
        None => format!("Row {row}, Seat {number}"),
    }
}
