//! The seats of a screen, as stored. A venue's seats never change once it is built (screens
//! are retired, never rebuilt), so every hold of an on-sale looks its seats up in memory
//! instead of asking the database for rows that cannot have changed.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use marquee_entity::seats;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::cache::Latest;

/// Screens whose seats are kept: a stadium's 50,000 seats take a few megabytes, so the
/// screens on sale at once fit, and a table that fills starts again.
const MAX_SCREENS: usize = 64;

/// A screen's seats by id.
type Seats = Arc<HashMap<Uuid, seats::Model>>;

static BY_SCREEN: LazyLock<Latest<Uuid, (), Seats>> = LazyLock::new(|| Latest::new(MAX_SCREENS));

/// The seats of `screen` among `ids`, each once (ids of other screens, or of no seat, are
/// left out).
pub async fn screen_seats(
    db: &impl ConnectionTrait,
    screen: Uuid,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<seats::Model>, DbErr> {
    let read = BY_SCREEN
        .get_or_try_init(screen, (), || async {
            let rows = seats::Entity::find()
                .filter(seats::Column::ScreenId.eq(screen))
                .all(db)
                .await
                .map_err(Some)?;
            // A screen is built with its seats in one transaction: none means no such
            // screen (yet), which is not worth remembering.
            if rows.is_empty() {
                return Err(None);
            }
            Ok(Arc::new(rows.into_iter().map(|s| (s.id, s)).collect()))
        })
        .await;
    let all = match read {
        Ok(all) => all,
        Err(None) => return Ok(Vec::new()),
        Err(Some(e)) => return Err(e),
    };
    let wanted: HashSet<Uuid> = ids.into_iter().collect();
    Ok(wanted
        .iter()
        .filter_map(|id| all.get(id).cloned())
        .collect())
}
