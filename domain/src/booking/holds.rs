//! Holding seats: all or none, the front line first, then one database transaction whose
//! conditional update must touch exactly as many rows as seats were asked for.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{booking_seats, bookings, outbox, show_seats, showtimes};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use tokio::sync::Notify;
use tracing::Instrument as _;
use uuid::Uuid;

use crate::accounts::Principal;
use crate::catalog::{SeatStatus, ShowtimeStatus};
use crate::clock::SharedClock;
use crate::clock_skew::SkewGuard;
use crate::db::is_unique_violation;
use crate::events::{SeatChange, hold_placed_row, seat_changes_row};
use crate::ids::{BookingId, SeatId, ShowtimeId};
use crate::payments::{CircuitBreaker, PaymentGateway};
use crate::waiting_room::{Admission, WaitingRoomService};
use crate::write_batch::WriteBatch;

use super::buyer_caps::{BuyerCaps, check_buyer_caps};
use super::front_line::{Claim, SeatHolds};
use super::offers::{HoldVia, anyone_waiting, mark_offered, nobody_waiting};
use super::places::{PlaceRequest, price_places, take_places};
use super::seat_locks::in_seat_order;
use super::{BookedPlaces, BookedSeat, Booking, BookingError, BookingStatus, fencing};

/// Limits and money rules of the booking path.
#[derive(Debug, Clone, Copy)]
pub struct BookingSettings {
    /// How long a hold lasts.
    pub hold_ttl: Duration,
    /// Most seats in one booking.
    pub max_seats: usize,
    /// A checkout extends the hold to at least this far ahead, once.
    pub checkout_extension: Duration,
    /// Fee per ticket, in minor units.
    pub booking_fee_cents: i64,
    /// When an unsettled payment is first asked about again.
    pub reconcile_after: Duration,
    /// Full refund when cancelled at least this long before the show.
    pub full_refund_before: Duration,
    /// Half refund when cancelled at least this long before; later, no cancellation.
    pub partial_refund_before: Duration,
    /// What one account may take.
    pub buyer_caps: BuyerCaps,
    /// Holds and sales are refused while this instance's clock differs from the
    /// database's by more than this (`None`: not checked).
    pub max_clock_skew: Option<Duration>,
}

/// A request to hold seats.
#[derive(Debug, Clone)]
pub struct HoldRequest {
    /// The showtime.
    pub showtime_id: ShowtimeId,
    /// The seats, all of which must be free (none when only places are asked for).
    pub seat_ids: Vec<SeatId>,
    /// General-admission places by section, all of which must be left.
    pub places: Vec<PlaceRequest>,
    /// Makes a retried request return the booking of the first one.
    pub idempotency_key: Option<String>,
}

/// Holds, releases and reads bookings.
#[derive(Clone)]
pub struct BookingService {
    pub(super) db: DatabaseConnection,
    pub(super) clock: SharedClock,
    pub(super) holds: Arc<dyn SeatHolds>,
    pub(super) gateway: Arc<dyn PaymentGateway>,
    pub(super) breaker: Arc<CircuitBreaker>,
    pub(super) settings: BookingSettings,
    /// Told after every commit that wrote outbox rows, so the relay publishes at once.
    pub(super) outbox_wake: Arc<Notify>,
    /// Who has been let through the waiting rooms of hot showtimes.
    pub(super) rooms: WaitingRoomService,
    /// This instance's clock against the database's.
    pub(super) skew: Arc<SkewGuard>,
}

/// Namespace of booking ids derived from idempotency keys.
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6d61_7271_7565_655f_686f_6c64_735f_7631);

pub(super) fn seat_uuids(ids: &[SeatId]) -> Vec<Uuid> {
    ids.iter().map(|s| s.uuid()).collect()
}

impl BookingService {
    /// Wires the service.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        holds: Arc<dyn SeatHolds>,
        gateway: Arc<dyn PaymentGateway>,
        settings: BookingSettings,
        outbox_wake: Arc<Notify>,
        rooms: WaitingRoomService,
    ) -> Self {
        // Five failed calls in a row open the circuit for thirty seconds.
        let breaker = Arc::new(CircuitBreaker::new(5, Duration::seconds(30), clock.clone()));
        let skew = Arc::new(SkewGuard::new(
            db.clone(),
            clock.clone(),
            settings.max_clock_skew,
        ));
        Self {
            skew,
            db,
            clock,
            holds,
            gateway,
            breaker,
            settings,
            outbox_wake,
            rooms,
        }
    }

    /// The booking id of a request: derived from the idempotency key when there is one,
    /// so that concurrent retries contend for the same booking rather than for seats.
    fn booking_id_for(who: &Principal, key: Option<&str>) -> BookingId {
        match key {
            Some(k) => BookingId::from(Uuid::new_v5(
                &IDEMPOTENCY_NAMESPACE,
                format!("{}\n{k}", who.user_id).as_bytes(),
            )),
            None => BookingId::generate(),
        }
    }

    /// Holds every seat and place for the caller until the hold TTL runs out, or none.
    #[tracing::instrument(skip_all, fields(showtime_id = %req.showtime_id, seats = req.seat_ids.len(), booking_id = tracing::field::Empty), err)]
    pub async fn hold_seats(
        &self,
        who: &Principal,
        req: HoldRequest,
    ) -> Result<Booking, BookingError> {
        if req.places.iter().any(|p| p.quantity < 1) {
            return Err(BookingError::invalid(
                "quantity",
                "hold at least 1 place of a section",
            ));
        }
        let places: usize = req.places.iter().map(|p| p.quantity as usize).sum();
        let n = req.seat_ids.len();
        if n + places == 0 || n + places > self.settings.max_seats {
            let field = if req.places.is_empty() {
                "seatIds"
            } else {
                "quantity"
            };
            return Err(BookingError::invalid(
                field,
                format!(
                    "hold between 1 and {} seats and places",
                    self.settings.max_seats
                ),
            ));
        }
        let sections: HashSet<_> = req.places.iter().map(|p| p.section_id).collect();
        if sections.len() != req.places.len() {
            return Err(BookingError::invalid(
                "sectionId",
                "a section is listed twice",
            ));
        }
        if req.seat_ids.iter().collect::<HashSet<_>>().len() != n {
            return Err(BookingError::invalid("seatIds", "a seat is listed twice"));
        }
        if let Some(k) = &req.idempotency_key
            && (k.is_empty() || k.len() > 128)
        {
            return Err(BookingError::invalid(
                "idempotencyKey",
                "must be 1 to 128 characters",
            ));
        }
        self.skew.check().await?;
        let booking_id = Self::booking_id_for(who, req.idempotency_key.as_deref());
        tracing::Span::current().record("booking_id", tracing::field::display(booking_id));
        if req.idempotency_key.is_some()
            && let Some(existing) = self.find_owned(who, booking_id).await?
        {
            return Ok(existing);
        }
        // A hot showtime's herd is turned away before the front line, so that buyers who
        // skipped the line cannot crowd out the admitted ones (a room left over from a
        // showtime no longer flagged is ignored).
        let admission = self.rooms.spend(who.user_id, req.showtime_id).await;
        if admission == Admission::NotAdmitted && self.rooms.required(req.showtime_id).await? {
            return Err(BookingError::AdmissionRequired);
        }
        let now = self.clock.now();
        let expires_at = now + self.settings.hold_ttl;
        // The front line goes first: a refused buyer costs no database work at all.
        let claim = if req.seat_ids.is_empty() {
            Claim::Unknown
        } else {
            self.holds
                .claim(req.showtime_id, &req.seat_ids, booking_id, now, expires_at)
                .instrument(tracing::info_span!(
                    "hold.front_line",
                    showtime_id = %req.showtime_id,
                    booking_id = %booking_id,
                ))
                .await
        };
        let result = match claim {
            Claim::Taken(ref seats) => Err(BookingError::SeatUnavailable(seats.clone())),
            _ => {
                self.validate_and_hold(who, booking_id, &req, admission, now, expires_at)
                    .await
            }
        };
        if result.is_err() && claim == Claim::Acquired {
            self.holds
                .release(req.showtime_id, &req.seat_ids, booking_id)
                .await;
        }
        if result.is_err()
            && let Admission::Spent { until } = admission
        {
            // No seats: the admission the hold spent comes back, so the buyer may choose
            // again without queueing anew.
            self.rooms
                .restore(who.user_id, req.showtime_id, until)
                .await;
        }
        result
    }

    /// The showtime is on sale and the seats are its own and priced; then the database
    /// transaction.
    async fn validate_and_hold(
        &self,
        who: &Principal,
        booking_id: BookingId,
        req: &HoldRequest,
        admission: Admission,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<Booking, BookingError> {
        // Two independent reads at once: one round trip of waiting instead of two. The
        // seats, which never change, are then looked up in memory.
        let (showtime, prices) = tokio::try_join!(
            showtimes::Entity::find_by_id(req.showtime_id.uuid()).one(&self.db),
            crate::catalog::PriceList::load(&self.db, req.showtime_id.uuid()),
        )?;
        let showtime =
            showtime.ok_or_else(|| BookingError::not_found("showtime", req.showtime_id))?;
        if showtime.status != ShowtimeStatus::Scheduled.as_str() {
            return Err(BookingError::NotOnSale(
                "the showtime has been cancelled".into(),
            ));
        }
        if showtime.starts_at <= now {
            return Err(BookingError::NotOnSale(
                "the showtime has already started".into(),
            ));
        }
        if showtime.on_sale_at > now {
            return Err(BookingError::NotOnSale(format!(
                "tickets go on sale at {}",
                showtime.on_sale_at.to_rfc3339()
            )));
        }
        // The early check may have read a flag a moment old; this one is the showtime now.
        if showtime.waiting_room && matches!(admission, Admission::NoRoom | Admission::NotAdmitted)
        {
            return Err(BookingError::AdmissionRequired);
        }
        let sections = crate::catalog::screen_section_labels(&self.db, showtime.screen_id).await?;
        let found = crate::catalog::screen_seats(
            &self.db,
            showtime.screen_id,
            req.seat_ids.iter().map(|s| s.uuid()),
        )
        .await?;
        let (places, claims) = price_places(&self.db, &showtime, &req.places, &prices).await?;
        let priced =
            super::seat_prices::price_seats(&showtime, &req.seat_ids, found, &prices, &sections)?;
        // General admission's front line: a sold-out floor refuses before the transaction.
        let claim = if claims.is_empty() {
            Claim::Unknown
        } else {
            self.holds
                .claim_places(req.showtime_id, &claims, booking_id, now, expires_at)
                .await
        };
        if claim != Claim::Unknown && claim != Claim::Acquired {
            let names: Vec<&str> = places.iter().map(|p| p.section.as_str()).collect();
            return Err(BookingError::PlacesUnavailable(names.join(", ")));
        }
        let held = self
            .hold_in_db(
                who,
                (booking_id, req.idempotency_key.clone()),
                &showtime,
                (&priced, &places),
                HoldVia::Buyer,
                matches!(admission, Admission::Spent { .. }),
                now,
                expires_at,
            )
            .await;
        if held.is_err() && claim == Claim::Acquired {
            let sections: Vec<_> = claims.iter().map(|c| c.section).collect();
            self.holds
                .release_places(req.showtime_id, &sections, booking_id)
                .await;
        }
        held
    }

    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(name = "hold.transaction", skip_all, fields(showtime_id = %showtime.id, booking_id = %booking_id))]
    pub(super) async fn hold_in_db(
        &self,
        who: &Principal,
        (booking_id, idempotency_key): (BookingId, Option<String>),
        showtime: &showtimes::Model,
        (priced, places): (&[BookedSeat], &[BookedPlaces]),
        via: HoldVia,
        admitted: bool,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<Booking, BookingError> {
        let ids: Vec<SeatId> = priced.iter().map(|p| p.seat_id).collect();
        let txn = self.db.begin().await?;
        // A write first: SQLite then takes its write lock at once instead of failing to
        // upgrade a read lock under contention.
        let token = fencing::next_token(&txn).await?;
        let mut free = Condition::all().add(
            Condition::any()
                .add(show_seats::Column::Status.eq(SeatStatus::Available.as_str()))
                .add(
                    Condition::all()
                        .add(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
                        .add(show_seats::Column::HoldExpiresAt.lte(now)),
                ),
        );
        if matches!(via, HoldVia::Buyer) {
            // Seats that come back while people wait are theirs first.
            free = free.add(nobody_waiting(showtime.id));
        }
        let taken = show_seats::Entity::update_many()
            .col_expr(
                show_seats::Column::Status,
                Expr::value(SeatStatus::Held.as_str()),
            )
            .col_expr(
                show_seats::Column::BookingId,
                Expr::value(booking_id.uuid()),
            )
            .col_expr(show_seats::Column::HoldExpiresAt, Expr::value(expires_at))
            .col_expr(show_seats::Column::HoldToken, Expr::value(token))
            .col_expr(
                show_seats::Column::Version,
                Expr::col(show_seats::Column::Version).add(1),
            )
            .filter(show_seats::Column::ShowtimeId.eq(showtime.id))
            .filter(in_seat_order(
                showtime.id,
                show_seats::Column::SeatId.is_in(seat_uuids(&ids)),
            ))
            .filter(free)
            .exec(&txn)
            .await?;
        if taken.rows_affected != ids.len() as u64 {
            txn.rollback().await?;
            // A concurrent retry with the same key may have won: it is the same booking.
            if let Some(existing) = self.find_owned(who, booking_id).await? {
                return Ok(existing);
            }
            let taken = self.unavailable(showtime.id, &ids, now).await?;
            if taken.is_empty()
                && matches!(via, HoldVia::Buyer)
                && anyone_waiting(&self.db, showtime.id).await?
            {
                return Err(BookingError::ReservedForWaitlist);
            }
            return Err(BookingError::SeatUnavailable(taken));
        }
        if let Some(section) =
            take_places(&txn, showtime.id, booking_id, places, now, expires_at).await?
        {
            txn.rollback().await?;
            if let Some(existing) = self.find_owned(who, booking_id).await? {
                return Ok(existing);
            }
            return Err(BookingError::PlacesUnavailable(section));
        }
        let place_count: usize = places.iter().map(|p| p.quantity as usize).sum();
        if let Err(e) = check_buyer_caps(
            &txn,
            self.settings.buyer_caps,
            who.user_id.uuid(),
            showtime.id,
            ids.len() + place_count,
            now,
        )
        .await
        {
            txn.rollback().await?;
            return Err(e);
        }
        // Any other active claim on these seats belongs to a lapsed hold we just overtook.
        let overtaken = booking_seats::Entity::update_many()
            .col_expr(booking_seats::Column::Active, Expr::value(false))
            .filter(booking_seats::Column::ShowtimeId.eq(showtime.id))
            .filter(booking_seats::Column::SeatId.is_in(seat_uuids(&ids)))
            .filter(booking_seats::Column::Active.eq(true))
            .filter(booking_seats::Column::BookingId.ne(booking_id.uuid()));
        let subtotal: i64 = priced.iter().map(|p| p.price_cents).sum::<i64>()
            + places
                .iter()
                .map(|p| p.price_cents * i64::from(p.quantity))
                .sum::<i64>();
        let booking = bookings::ActiveModel {
            id: Set(booking_id.uuid()),
            user_id: Set(who.user_id.uuid()),
            showtime_id: Set(showtime.id),
            status: Set(BookingStatus::Held.as_str().to_owned()),
            subtotal_cents: Set(subtotal),
            discount_cents: Set(0),
            fee_cents: Set(0),
            total_cents: Set(subtotal),
            currency: Set(showtime.currency.clone()),
            promotion_id: Set(None),
            expires_at: Set(expires_at),
            fencing_token: Set(token),
            idempotency_key: Set(idempotency_key),
            status_reason: Set(via.reason()),
            places: Set(place_count as i32),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let mut writes = WriteBatch::new()
            .update(overtaken)
            .insert(bookings::Entity::insert(booking));
        if !priced.is_empty() {
            writes = writes.insert(booking_seats::Entity::insert_many(priced.iter().map(|p| {
                booking_seats::ActiveModel {
                    booking_id: Set(booking_id.uuid()),
                    seat_id: Set(p.seat_id.uuid()),
                    showtime_id: Set(showtime.id),
                    category: Set(p.category.as_str().to_owned()),
                    price_cents: Set(p.price_cents),
                    active: Set(true),
                }
            })));
        }
        let changes: Vec<SeatChange> = ids
            .iter()
            .map(|s| SeatChange {
                seat_id: s.uuid(),
                status: SeatStatus::Held.as_str().to_owned(),
                hold_expires_at: Some(expires_at),
            })
            .collect();
        // Stamped as late as possible: subscribers measure delivery delays from it.
        let written = self.clock.now();
        let written = writes
            .insert(outbox::Entity::insert_many([
                seat_changes_row(showtime.id, &changes, written),
                hold_placed_row(booking_id.uuid(), expires_at, admitted, written),
            ]))
            .run(&txn)
            .await;
        if let Err(e) = written {
            txn.rollback().await?;
            if !is_unique_violation(&e) {
                return Err(e.into());
            }
            // The same booking (a concurrent retry with the same key won), or an active
            // claim on one of the seats that another hold wrote meanwhile.
            return match self.find_owned(who, booking_id).await? {
                Some(existing) => Ok(existing),
                None => Err(BookingError::SeatUnavailable(ids)),
            };
        }
        if let HoldVia::Waitlist { entry } = via
            && !mark_offered(&txn, entry, booking_id, now, expires_at).await?
        {
            txn.rollback().await?;
            return Err(BookingError::Conflict(
                "the waitlist entry no longer waits".into(),
            ));
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        let mut seats = priced.to_vec();
        seats.sort_by(|a, b| {
            (&a.section, a.row.as_str(), a.number).cmp(&(&b.section, b.row.as_str(), b.number))
        });
        Ok(Booking {
            id: booking_id,
            user_id: who.user_id,
            showtime_id: ShowtimeId::from(showtime.id),
            status: BookingStatus::Held,
            seats,
            places: places.to_vec(),
            subtotal_cents: subtotal,
            total_cents: subtotal,
            currency: showtime.currency.clone(),
            expires_at,
            fencing_token: token,
            status_reason: via.reason(),
            tickets: Vec::new(),
            created_at: now,
        })
    }
}
