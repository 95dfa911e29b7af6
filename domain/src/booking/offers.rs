//! Holds made for the waitlist: released seats of a showtime that people wait for are
//! theirs first. A buyer's hold leaves them alone while anyone waits; an offer takes them
//! for the first in line, in the same kind of transaction as any hold, which also moves
//! the waiter's entry from waiting to offered (so no entry gets two offers, and no seat
//! goes to two offers: the seats' conditional update is the guard).

use chrono::{DateTime, Duration};
use marquee_entity::{outbox, seats, showtimes, waitlist_entries};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::accounts::{Principal, Role};
use crate::catalog::ShowtimeStatus;
use crate::events::waitlist_offered_row;
use crate::ids::{BookingId, SeatId, UserId};

use super::holds::seat_uuids;
use super::{Booking, BookingError, BookingService};

/// Why a booking is being held.
#[derive(Debug, Clone, Copy)]
pub(super) enum HoldVia {
    /// A buyer chose seats: not those the waitlist has first claim on.
    Buyer,
    /// An offer to the waitlist entry `entry`.
    Waitlist {
        /// The entry, still waiting.
        entry: Uuid,
    },
}

impl HoldVia {
    /// The booking's status reason.
    pub(super) fn reason(self) -> Option<String> {
        match self {
            Self::Buyer => None,
            Self::Waitlist { .. } => Some("offered from the waitlist".to_owned()),
        }
    }
}

/// True when nobody waits for `showtime`: as a condition of the seats' update, so a
/// buyer's hold and a release that a waiter is then offered cannot both have the seats.
pub(super) fn nobody_waiting(showtime: Uuid) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(waitlist_entries::Entity)
            .and_where(waitlist_entries::Column::ShowtimeId.eq(showtime))
            .and_where(waitlist_entries::Column::Status.eq("waiting"))
            .to_owned(),
    )
    .not()
}

/// Whether anyone waits for `showtime` now.
pub(crate) async fn anyone_waiting<C: ConnectionTrait>(
    db: &C,
    showtime: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    Ok(waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::ShowtimeId.eq(showtime))
        .filter(waitlist_entries::Column::Status.eq("waiting"))
        .one(db)
        .await?
        .is_some())
}

/// Inside an offer's transaction: the entry goes from waiting to offered (it must still
/// be waiting), and the offer is announced.
pub(super) async fn mark_offered(
    txn: &DatabaseTransaction,
    entry: Uuid,
    booking: BookingId,
    now: DateTime<chrono::Utc>,
    expires_at: DateTime<chrono::Utc>,
) -> Result<bool, BookingError> {
    let moved = waitlist_entries::Entity::update_many()
        .col_expr(waitlist_entries::Column::Status, Expr::value("offered"))
        .col_expr(waitlist_entries::Column::OfferedAt, Expr::value(now))
        .col_expr(
            waitlist_entries::Column::OfferExpiresAt,
            Expr::value(expires_at),
        )
        .col_expr(waitlist_entries::Column::UpdatedAt, Expr::value(now))
        .filter(waitlist_entries::Column::Id.eq(entry))
        .filter(waitlist_entries::Column::Status.eq("waiting"))
        .filter(waitlist_entries::Column::OfferBookingId.eq(booking.uuid()))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(false);
    }
    outbox::Entity::insert(waitlist_offered_row(booking.uuid(), entry, expires_at, now))
        .exec(txn)
        .await?;
    Ok(true)
}

/// An offer to make: these seats, to this waiter, as this booking.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The waitlist entry, still waiting.
    pub entry: Uuid,
    /// The waiter.
    pub user_id: UserId,
    /// The showtime.
    pub showtime_id: Uuid,
    /// The seats, all free.
    pub seat_ids: Vec<SeatId>,
    /// The entry's offer booking id.
    pub booking_id: BookingId,
    /// How long the waiter has to check out.
    pub ttl: Duration,
}

impl BookingService {
    /// Holds `offer.seat_ids` for a waiter as an ordinary held booking they can check out,
    /// or nothing (`SeatUnavailable` when someone took a seat, `Conflict` when the entry
    /// no longer waits).
    #[tracing::instrument(skip_all, fields(showtime_id = %offer.showtime_id, booking_id = %offer.booking_id), err)]
    pub async fn offer_to_waiter(&self, offer: Offer) -> Result<Booking, BookingError> {
        let (showtime, found, prices) = tokio::try_join!(
            showtimes::Entity::find_by_id(offer.showtime_id).one(&self.db),
            seats::Entity::find()
                .filter(seats::Column::Id.is_in(seat_uuids(&offer.seat_ids)))
                .all(&self.db),
            crate::catalog::PriceList::load(&self.db, offer.showtime_id),
        )?;
        let showtime =
            showtime.ok_or_else(|| BookingError::not_found("showtime", offer.showtime_id))?;
        let now = self.clock.now();
        if showtime.status != ShowtimeStatus::Scheduled.as_str() || showtime.starts_at <= now {
            return Err(BookingError::NotOnSale(
                "the showtime is not on sale".into(),
            ));
        }
        let sections = crate::catalog::screen_section_labels(&self.db, showtime.screen_id).await?;
        let priced =
            super::seat_prices::price_seats(&showtime, &offer.seat_ids, found, &prices, &sections)?;
        let waiter = Principal {
            user_id: offer.user_id,
            role: Role::Customer,
        };
        self.hold_in_db(
            &waiter,
            (offer.booking_id, None),
            &showtime,
            (&priced, &[]),
            HoldVia::Waitlist { entry: offer.entry },
            false,
            now,
            now + offer.ttl,
        )
        .await
    }
}
