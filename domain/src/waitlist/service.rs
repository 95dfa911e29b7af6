//! Joining, reading and leaving a showtime's line.

use std::sync::Arc;

use chrono::Duration;
use marquee_entity::{booking_seats, bookings, showtimes, waitlist_entries};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::accounts::Principal;
use crate::booking::{BookingStatus, BuyerCaps};
use crate::catalog::ShowtimeStatus;
use crate::clock::SharedClock;
use crate::db::is_unique_violation;
use crate::ids::ShowtimeId;

use super::{EntryStatus, WaitlistEntry, WaitlistError, line};

/// How waitlists behave.
#[derive(Debug, Clone, Copy)]
pub struct WaitlistSettings {
    /// How long an offered hold lasts before it passes to the next in line.
    pub offer_ttl: Duration,
    /// Most seats one entry may ask for (the most seats of one booking).
    pub max_seats: usize,
    /// What one account may take of a showtime, offers included.
    pub buyer_caps: BuyerCaps,
}

/// The buyer's side of waitlists.
#[derive(Clone)]
pub struct WaitlistService {
    db: DatabaseConnection,
    clock: SharedClock,
    settings: WaitlistSettings,
    /// Told when someone joins, so an offer of seats already free is made at once.
    wake: Arc<Notify>,
}

impl WaitlistService {
    /// Wires the service.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        settings: WaitlistSettings,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            db,
            clock,
            settings,
            wake,
        }
    }

    /// Puts the caller in the line of a sold-out showtime for `seats` seats together.
    #[tracing::instrument(skip_all, fields(showtime_id = %showtime, seats), err)]
    pub async fn join(
        &self,
        who: &Principal,
        showtime: ShowtimeId,
        seats: i32,
    ) -> Result<WaitlistEntry, WaitlistError> {
        let wanted = usize::try_from(seats).unwrap_or(0);
        if wanted == 0 || wanted > self.settings.max_seats {
            return Err(WaitlistError::invalid(
                "seats",
                format!("wait for between 1 and {} seats", self.settings.max_seats),
            ));
        }
        let now = self.clock.now();
        let show = showtimes::Entity::find_by_id(showtime.uuid())
            .one(&self.db)
            .await?
            .ok_or(WaitlistError::NotFound("showtime"))?;
        if show.status != ShowtimeStatus::Scheduled.as_str() || show.starts_at <= now {
            return Err(WaitlistError::Conflict(
                "this showtime is not on sale".into(),
            ));
        }
        if show.on_sale_at > now {
            return Err(WaitlistError::Conflict(
                "tickets are not on sale yet: ask to be notified instead".into(),
            ));
        }
        let mine = self.seats_taken(who, show.id, now).await?;
        if mine + wanted as u64 > self.settings.buyer_caps.seats_per_showtime as u64 {
            return Err(WaitlistError::LimitReached(format!(
                "one account may hold or buy at most {} seats of a showtime; you have {mine}",
                self.settings.buyer_caps.seats_per_showtime
            )));
        }
        let free = line::free_count(&self.db, show.id, now).await?;
        if free >= wanted as u64 && !crate::booking::anyone_waiting(&self.db, show.id).await? {
            return Err(WaitlistError::SeatsAvailable);
        }
        let inserted = waitlist_entries::ActiveModel {
            id: Set(Uuid::now_v7()),
            showtime_id: Set(show.id),
            user_id: Set(who.user_id.uuid()),
            seats: Set(seats),
            status: Set(EntryStatus::Waiting.as_str().to_owned()),
            offer_booking_id: Set(Uuid::new_v4()),
            offered_at: Set(None),
            offer_expires_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.db)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => {
                return Err(WaitlistError::Conflict(
                    "you are already in this showtime's waitlist".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        self.wake.notify_one();
        let position = line::position(&self.db, &row).await?;
        Ok(WaitlistEntry::from_row(row, Some(position)))
    }

    /// Takes the caller out of a line they wait in.
    #[tracing::instrument(skip_all, fields(entry_id = %id), err)]
    pub async fn leave(&self, who: &Principal, id: Uuid) -> Result<WaitlistEntry, WaitlistError> {
        let entry = self.owned(who, id).await?;
        let now = self.clock.now();
        let left = waitlist_entries::Entity::update_many()
            .col_expr(
                waitlist_entries::Column::Status,
                Expr::value(EntryStatus::Left.as_str()),
            )
            .col_expr(waitlist_entries::Column::UpdatedAt, Expr::value(now))
            .filter(waitlist_entries::Column::Id.eq(entry.id))
            .filter(waitlist_entries::Column::Status.eq(EntryStatus::Waiting.as_str()))
            .exec(&self.db)
            .await?;
        if left.rows_affected != 1 {
            return Err(WaitlistError::Conflict(
                "only a waiting entry can leave; an offer is released through its booking".into(),
            ));
        }
        line::announce_if_line_ended(&self.db, entry.showtime_id, now).await?;
        let row = self.owned(who, id).await?;
        Ok(WaitlistEntry::from_row(row, None))
    }

    /// One of the caller's entries.
    pub async fn entry(&self, who: &Principal, id: Uuid) -> Result<WaitlistEntry, WaitlistError> {
        let row = self.owned(who, id).await?;
        self.with_position(row).await
    }

    /// The caller's entries, newest first.
    pub async fn mine(&self, who: &Principal) -> Result<Vec<WaitlistEntry>, WaitlistError> {
        let rows = waitlist_entries::Entity::find()
            .filter(waitlist_entries::Column::UserId.eq(who.user_id.uuid()))
            .order_by_desc(waitlist_entries::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.with_position(row).await?);
        }
        Ok(out)
    }

    /// Whether `booking` is the offer of one of the caller's entries still waiting, so
    /// the caller may watch it before it exists.
    pub async fn awaits_offer(
        &self,
        who: &Principal,
        booking: Uuid,
    ) -> Result<bool, WaitlistError> {
        Ok(waitlist_entries::Entity::find()
            .filter(waitlist_entries::Column::UserId.eq(who.user_id.uuid()))
            .filter(waitlist_entries::Column::OfferBookingId.eq(booking))
            .filter(waitlist_entries::Column::Status.eq(EntryStatus::Waiting.as_str()))
            .count(&self.db)
            .await?
            > 0)
    }

    async fn with_position(
        &self,
        row: waitlist_entries::Model,
    ) -> Result<WaitlistEntry, WaitlistError> {
        let position = if row.status == EntryStatus::Waiting.as_str() {
            Some(line::position(&self.db, &row).await?)
        } else {
            None
        };
        Ok(WaitlistEntry::from_row(row, position))
    }

    async fn owned(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> Result<waitlist_entries::Model, WaitlistError> {
        waitlist_entries::Entity::find_by_id(id)
            .filter(waitlist_entries::Column::UserId.eq(who.user_id.uuid()))
            .one(&self.db)
            .await?
            .ok_or(WaitlistError::NotFound("waitlist entry"))
    }

    /// Seats of `showtime` the caller holds (unexpired), awaits payment for or bought.
    async fn seats_taken(
        &self,
        who: &Principal,
        showtime: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, WaitlistError> {
        let live: Vec<Uuid> = bookings::Entity::find()
            .filter(bookings::Column::UserId.eq(who.user_id.uuid()))
            .filter(bookings::Column::ShowtimeId.eq(showtime))
            .filter(
                Condition::any()
                    .add(bookings::Column::Status.is_in([
                        BookingStatus::PaymentPending.as_str(),
                        BookingStatus::Confirmed.as_str(),
                    ]))
                    .add(
                        Condition::all()
                            .add(bookings::Column::Status.eq(BookingStatus::Held.as_str()))
                            .add(bookings::Column::ExpiresAt.gt(now)),
                    ),
            )
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| b.id)
            .collect();
        if live.is_empty() {
            return Ok(0);
        }
        Ok(booking_seats::Entity::find()
            .filter(booking_seats::Column::BookingId.is_in(live))
            .filter(booking_seats::Column::Active.eq(true))
            .count(&self.db)
            .await?)
    }
}
