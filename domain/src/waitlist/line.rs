//! Reading a showtime's line and its free seats, and choosing seats for an offer.

use chrono::{DateTime, Utc};
use marquee_entity::{outbox, seats, show_seats, waitlist_entries};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::catalog::SeatStatus;
use crate::events::{SeatChange, seat_changes_row};

/// A seat free to offer: id, row, number.
pub(super) type FreeSeat = (Uuid, String, i32);

/// Free now: available, or held by a hold that has lapsed.
pub(super) fn free_at(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(show_seats::Column::Status.eq(SeatStatus::Available.as_str()))
        .add(
            Condition::all()
                .add(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
                .add(show_seats::Column::HoldExpiresAt.lte(now)),
        )
}

/// How many seats of `showtime` are free now.
pub(super) async fn free_count<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    show_seats::Entity::find()
        .filter(show_seats::Column::ShowtimeId.eq(showtime))
        .filter(free_at(now))
        .count(db)
        .await
}

/// The ids of the free seats of `showtime`.
async fn free_seat_ids<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    show_seats::Entity::find()
        .select_only()
        .column(show_seats::Column::SeatId)
        .filter(show_seats::Column::ShowtimeId.eq(showtime))
        .filter(free_at(now))
        .into_tuple()
        .all(db)
        .await
}

/// The free seats of `showtime` that have a price, in row and number order.
pub(super) async fn free_seats<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<FreeSeat>, DbErr> {
    let free = free_seat_ids(db, showtime, now).await?;
    if free.is_empty() {
        return Ok(Vec::new());
    }
    let prices = crate::catalog::PriceList::load(db, showtime).await?;
    let mut out = Vec::with_capacity(free.len());
    for chunk in free.chunks(crate::db::ROWS_PER_STATEMENT) {
        let found = seats::Entity::find()
            .filter(seats::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(
            found
                .into_iter()
                .filter(|s| {
                    crate::catalog::SeatCategory::parse(&s.category)
                        .is_some_and(|c| prices.price(s.section_id, c).is_some())
                })
                .map(|s| (s.id, s.row_label, s.number)),
        );
    }
    out.sort_by(|a, b| (a.1.as_str(), a.2).cmp(&(b.1.as_str(), b.2)));
    Ok(out)
}

/// Once nobody waits for `showtime`, its free seats are anyone's again: says so to the
/// live seat maps, which were shown them taken while the line lasted.
pub(super) async fn announce_if_line_ended<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if crate::booking::anyone_waiting(db, showtime).await? {
        return Ok(());
    }
    let free = free_seat_ids(db, showtime, now).await?;
    if free.is_empty() {
        return Ok(());
    }
    let changes: Vec<SeatChange> = free
        .into_iter()
        .map(|seat_id| SeatChange {
            seat_id,
            status: SeatStatus::Available.as_str().to_owned(),
            hold_expires_at: None,
        })
        .collect();
    outbox::Entity::insert(seat_changes_row(showtime, &changes, now))
        .exec(db)
        .await?;
    Ok(())
}

/// The entries of `showtime` still waiting, first in line first.
pub(super) async fn waiting<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
) -> Result<Vec<waitlist_entries::Model>, DbErr> {
    waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::ShowtimeId.eq(showtime))
        .filter(waitlist_entries::Column::Status.eq("waiting"))
        .order_by_asc(waitlist_entries::Column::CreatedAt)
        .order_by_asc(waitlist_entries::Column::Id)
        .all(db)
        .await
}

/// 1 for the first in line: the waiting entries ahead of `entry`, plus one.
pub(super) async fn position<C: ConnectionTrait>(
    db: &C,
    entry: &waitlist_entries::Model,
) -> Result<u64, DbErr> {
    let ahead = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::ShowtimeId.eq(entry.showtime_id))
        .filter(waitlist_entries::Column::Status.eq("waiting"))
        .filter(
            Condition::any()
                .add(waitlist_entries::Column::CreatedAt.lt(entry.created_at))
                .add(
                    Condition::all()
                        .add(waitlist_entries::Column::CreatedAt.eq(entry.created_at))
                        .add(waitlist_entries::Column::Id.lt(entry.id)),
                ),
        )
        .count(db)
        .await?;
    Ok(ahead + 1)
}

/// `n` seats out of `free` (row and number order): side by side in one row when a row has
/// them, else the first `n`.
pub(super) fn pick(free: &[FreeSeat], n: usize) -> Option<Vec<Uuid>> {
    if n == 0 || free.len() < n {
        return None;
    }
    let together = free.windows(n).find(|w| {
        w.iter()
            .zip(w.iter().skip(1))
            .all(|(a, b)| a.1 == b.1 && b.2 == a.2 + 1)
    });
    Some(together.unwrap_or(&free[..n]).iter().map(|s| s.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(row: &str, number: i32) -> FreeSeat {
        (Uuid::new_v4(), row.to_owned(), number)
    }

    #[test]
    fn picks_seats_side_by_side_when_a_row_has_them() {
        let free = vec![seat("A", 1), seat("A", 3), seat("B", 4), seat("B", 5)];
        let chosen = pick(&free, 2).expect("two seats");
        assert_eq!(chosen, vec![free[2].0, free[3].0]);
        let scattered = pick(&free, 3).expect("three seats");
        assert_eq!(scattered, vec![free[0].0, free[1].0, free[2].0]);
        assert!(pick(&free, 5).is_none());
    }
}
