//! The section part of a seat's label. A cinema screen is one section named "Main", and
//! "Section Main" on a cinema ticket would only confuse, so a seat names its section only
//! where its venue has more than one.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use marquee_entity::sections;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::cache::Latest;

/// Section names by section id for the venues of `screens` that have several sections.
pub async fn section_labels(
    db: &impl ConnectionTrait,
    screens: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let mut all = HashMap::new();
    for screen in screens.into_iter().collect::<HashSet<_>>() {
        let labels = screen_section_labels(db, screen).await?;
        all.extend(labels.iter().map(|(k, v)| (*k, v.clone())));
    }
    Ok(all)
}

/// Beyond this many venues the remembered labels are dropped rather than grown.
const MAX_SCREENS: usize = 4_096;

/// A venue's sections never change once it is built (screens are retired, never rebuilt),
/// so their labels are remembered per screen and a hold on the hot path pays no query.
static BY_SCREEN: LazyLock<Latest<Uuid, (), Labels>> = LazyLock::new(|| Latest::new(MAX_SCREENS));

/// Section names by section id.
pub type Labels = Arc<HashMap<Uuid, String>>;

/// Section names by id for every section of `screen`, or none when it has only one.
pub async fn screen_section_labels(
    db: &impl ConnectionTrait,
    screen: Uuid,
) -> Result<Labels, DbErr> {
    let read = BY_SCREEN
        .get_or_try_init(screen, (), || async {
            let all: Vec<(Uuid, String)> = sections::Entity::find()
                .select_only()
                .columns([sections::Column::Id, sections::Column::Name])
                .filter(sections::Column::ScreenId.eq(screen))
                .into_tuple()
                .all(db)
                .await
                .map_err(Some)?;
            // A screen is built with its sections in one transaction: none means no such
            // screen (yet), which is not worth remembering.
            match all.len() {
                0 => Err(None),
                1 => Ok(Labels::default()),
                _ => Ok(Arc::new(all.into_iter().collect())),
            }
        })
        .await;
    match read {
        Ok(labels) => Ok(labels),
        Err(None) => Ok(Labels::default()),
        Err(Some(e)) => Err(e),
    }
}

/// "Section 101, Row A, Seat 5", or "Row A, Seat 5" in a venue of one section.
pub fn seat_label(section: Option<&str>, row: &str, number: i32) -> String {
    match section {
        Some(section) => format!("Section {section}, Row {row}, Seat {number}"),
        None => format!("Row {row}, Seat {number}"),
    }
}
