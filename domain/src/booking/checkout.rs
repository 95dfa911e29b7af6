//! Checkout: price the booking, keep its seats while the payment runs, and charge once per
//! attempt with the attempt's idempotency key.

use chrono::{DateTime, Utc};
use marquee_entity::{bookings, outbox, payments, promotions, show_seats};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait};

use crate::accounts::Principal;
use crate::catalog::SeatStatus;
use crate::db::is_unique_violation;
use crate::events::{SeatChange, booking_status_row, seat_changes_row};
use crate::gift_cards::spend::{Spend, spend};
use crate::gift_cards::{GiftCardCode, GiftCardError};
use crate::ids::BookingId;
use crate::organisations::owners;
use crate::payments::ChargeRequest;
use crate::write_batch::WriteBatch;

use super::promotion_uses::take_promotion;
use super::seat_locks::in_seat_order;
use super::{Booking, BookingError, BookingService, BookingStatus, PromoRefusal};
use tracing::Instrument as _;

/// How the buyer pays.
#[derive(Debug, Clone)]
pub struct CheckoutInput {
    /// The gateway's payment method id (`pm_card_visa` in tests).
    pub payment_method: String,
    /// An optional promotion code.
    pub promo_code: Option<String>,
    /// An optional gift card code of the showtime's organisation: spent first, the rest
    /// charged to the payment method.
    pub gift_card_code: Option<String>,
}

/// Where opening a payment left the booking.
enum Opened {
    /// Paid or being paid already (by a concurrent checkout): nothing to charge.
    Already(Booking),
    /// Awaiting the charge of `card_part` under `key`.
    Pending {
        known: Booking,
        payment: uuid::Uuid,
        key: String,
        card_part: i64,
    },
    /// Another attempt took the attempt number counted.
    NumberTaken,
}

/// Amounts of a priced booking.
struct Priced {
    discount: i64,
    fee: i64,
    total: i64,
    promotion: Option<uuid::Uuid>,
    promotion_description: Option<String>,
}

/// What paying for a held booking would cost now, priced exactly as `checkout` prices it:
/// shown to the buyer before the payment.
#[derive(Debug, Clone)]
pub struct CheckoutQuote {
    /// Sum of the seat prices.
    pub subtotal_cents: i64,
    /// What the promotion takes off.
    pub discount_cents: i64,
    /// The booking fee (per ticket, times the tickets).
    pub fee_cents: i64,
    /// What would be charged.
    pub total_cents: i64,
    /// The booking's currency.
    pub currency: String,
    /// The promotion's code as stored, when one applies.
    pub promo_code: Option<String>,
    /// The promotion's description, when one applies.
    pub promotion_description: Option<String>,
    /// What a gift card given with the quote would pay of the total.
    pub gift_card_cents: i64,
    /// What would be charged to the payment method.
    pub card_cents: i64,
}

impl BookingService {
    /// Prices the booking, extends its hold once, and charges. Repeating a checkout of the
    /// same booking (even concurrently) charges once and returns its current state.
    #[tracing::instrument(skip_all, fields(booking_id = %id, showtime_id = tracing::field::Empty), err)]
    pub async fn checkout(
        &self,
        who: &Principal,
        id: BookingId,
        input: CheckoutInput,
    ) -> Result<Booking, BookingError> {
        let mut tries = 0;
        let (known, payment_id, key, card_part) = loop {
            match self.open_payment(who, id, &input).await? {
                Opened::Already(booking) => return Ok(booking),
                Opened::Pending {
                    known,
                    payment,
                    key,
                    card_part,
                } => break (known, payment, key, card_part),
                // Another attempt took this attempt's number after it was counted: counted
                // again (the unique key keeps two attempts from ever sharing a charge).
                Opened::NumberTaken if tries < 2 => tries += 1,
                Opened::NumberTaken => {
                    return Err(BookingError::Conflict(
                        "another payment of this booking is starting; try again".into(),
                    ));
                }
            }
        };
        // Nothing to charge (free, or covered by the gift card): confirmed without the gateway.
        if card_part == 0 {
            return self.confirm(id, Some(known), payment_id, None).await;
        }
        let charging = tracing::info_span!(
            "payment.charge",
            booking_id = %id,
            gateway = self.gateway.name(),
            amount_cents = card_part,
        );
        let outcome = self
            .gateway
            .charge(ChargeRequest {
                amount_cents: card_part,
                currency: known.currency.clone(),
                payment_method: input.payment_method.trim().to_owned(),
                idempotency_key: key,
                description: format!("Marquee booking {id}"),
            })
            .instrument(charging)
            .await;
        match &outcome {
            Err(e) if e.outcome_unknown() => self.breaker.record_failure(),
            _ => self.breaker.record_success(),
        }
        self.settle_known(id, Some(known), payment_id, outcome)
            .await
    }

    /// Checks and prices the booking, then in one transaction moves it to PAYMENT_PENDING,
    /// extends its seats and writes the attempt's payment row.
    async fn open_payment(
        &self,
        who: &Principal,
        id: BookingId,
        input: &CheckoutInput,
    ) -> Result<Opened, BookingError> {
        let method = input.payment_method.trim();
        if method.is_empty() || method.len() > 100 {
            return Err(BookingError::invalid(
                "paymentMethod",
                "give a payment method",
            ));
        }
        let gift_card = input
            .gift_card_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(GiftCardCode::parse)
            .transpose()?;
        let booking = self
            .find_owned(who, id)
            .await?
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        tracing::Span::current()
            .record("showtime_id", tracing::field::display(booking.showtime_id));
        match booking.status {
            BookingStatus::Held => {}
            BookingStatus::PaymentPending | BookingStatus::Confirmed => {
                return Ok(Opened::Already(booking));
            }
            BookingStatus::Expired => return Err(BookingError::HoldExpired),
            _ => {
                return Err(BookingError::Conflict(
                    "this booking can no longer be paid".into(),
                ));
            }
        }
        self.skew.check().await?;
        if !self.breaker.allow() {
            return Err(BookingError::PaymentsUnavailable);
        }
        let priced = self
            .price(who, &booking, input.promo_code.as_deref(), self.clock.now())
            .await?;
        let owner = match &gift_card {
            Some(_) => owners::of_showtime(&self.db, booking.showtime_id)
                .await
                .map_err(GiftCardError::from)?,
            None => None,
        };
        // Counted before the transaction, so that the usual checkout writes in one batch;
        // a concurrent attempt that takes the number first makes the insert fail, and the
        // checkout counts again.
        let attempt = payments::Entity::find()
            .filter(payments::Column::BookingId.eq(id.uuid()))
            .count(&self.db)
            .await?
            + 1;

        let txn = self.db.begin().await?;
        // Time is read inside the transaction, after every read it depends on, so a hold
        // that lapsed meanwhile is seen as lapsed.
        let now = self.clock.now();
        // The hold is extended once, so a slow payment does not lose its seats; a checkout
        // the gateway refused outright brings the booking back to HELD, and trying again
        // never stretches it past its first expiry plus that one extension.
        let first_expiry = booking.created_at + self.settings.hold_ttl;
        let expires_at = std::cmp::max(
            booking.expires_at,
            std::cmp::min(
                now + self.settings.checkout_extension,
                first_expiry + self.settings.checkout_extension,
            ),
        );
        let moved = bookings::Entity::update_many()
            .col_expr(
                bookings::Column::Status,
                Expr::value(BookingStatus::PaymentPending.as_str()),
            )
            .col_expr(
                bookings::Column::DiscountCents,
                Expr::value(priced.discount),
            )
            .col_expr(bookings::Column::FeeCents, Expr::value(priced.fee))
            .col_expr(bookings::Column::TotalCents, Expr::value(priced.total))
            .col_expr(bookings::Column::PromotionId, Expr::value(priced.promotion))
            .col_expr(bookings::Column::ExpiresAt, Expr::value(expires_at))
            .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
            .filter(bookings::Column::Id.eq(id.uuid()))
            .filter(bookings::Column::Status.eq(BookingStatus::Held.as_str()))
            .filter(bookings::Column::ExpiresAt.gt(now));
        // Only seats still under this hold (its fencing token, unexpired) are extended, and
        // all of them must be: a seat another buyer took after this hold lapsed is never
        // paid for. A version bump too: the seat maps show hold expiries.
        let extend = show_seats::Entity::update_many()
            .col_expr(show_seats::Column::HoldExpiresAt, Expr::value(expires_at))
            .col_expr(
                show_seats::Column::Version,
                Expr::col(show_seats::Column::Version).add(1),
            )
            .filter(show_seats::Column::ShowtimeId.eq(booking.showtime_id.uuid()))
            .filter(in_seat_order(
                booking.showtime_id.uuid(),
                show_seats::Column::BookingId.eq(id.uuid()),
            ))
            .filter(show_seats::Column::BookingId.eq(id.uuid()))
            .filter(show_seats::Column::HoldToken.eq(booking.fencing_token))
            .filter(show_seats::Column::Status.eq(SeatStatus::Held.as_str()))
            .filter(show_seats::Column::HoldExpiresAt.gt(now));
        let payment_id = uuid::Uuid::now_v7();
        let key = format!("{id}:{attempt}");
        let payment = |card_part: i64| payments::ActiveModel {
            id: Set(payment_id),
            booking_id: Set(id.uuid()),
            provider: Set(self.gateway.name().to_owned()),
            provider_ref: Set(None),
            idempotency_key: Set(key.clone()),
            amount_cents: Set(card_part),
            currency: Set(booking.currency.clone()),
            status: Set("pending".to_owned()),
            failure_reason: Set(None),
            attempts: Set(1),
            next_check_at: Set(Some(now + self.settings.reconcile_after)),
            created_at: Set(now),
            updated_at: Set(now),
            // A confirmation that comes later (webhook, reconciliation) joins this trace.
            trace_parent: Set(crate::trace::current()),
        };
        let events = || {
            let extended: Vec<SeatChange> = booking
                .seats
                .iter()
                .map(|s| SeatChange {
                    seat_id: s.seat_id.uuid(),
                    status: SeatStatus::Held.as_str().to_owned(),
                    hold_expires_at: Some(expires_at),
                })
                .collect();
            // Stamped as late as possible: subscribers measure delivery delays from it.
            let written = self.clock.now();
            outbox::Entity::insert_many([
                seat_changes_row(booking.showtime_id.uuid(), &extended, written),
                booking_status_row(
                    id.uuid(),
                    BookingStatus::PaymentPending.as_str(),
                    Some(expires_at),
                    written,
                ),
            ])
        };
        // The usual checkout (no promotion, gift card or general-admission places) writes
        // everything in one batch; the others write the payment after their own steps.
        let plain = priced.promotion.is_none() && gift_card.is_none() && booking.places.is_empty();
        let mut writes = WriteBatch::new().update(moved).update(extend);
        if plain {
            writes = writes
                .insert(payments::Entity::insert(payment(priced.total)))
                .insert(events());
        }
        let counts = match writes.run(&txn).await {
            Ok(counts) => counts,
            Err(e) => {
                txn.rollback().await?;
                return if is_unique_violation(&e) {
                    Ok(Opened::NumberTaken)
                } else {
                    Err(e.into())
                };
            }
        };
        if counts[0] != 1 {
            txn.rollback().await?;
            // A concurrent checkout won, or the hold lapsed meanwhile.
            let current = self
                .find_owned(who, id)
                .await?
                .ok_or_else(|| BookingError::not_found("booking", id))?;
            return match current.status {
                BookingStatus::PaymentPending | BookingStatus::Confirmed => {
                    Ok(Opened::Already(current))
                }
                _ => Err(BookingError::HoldExpired),
            };
        }
        if counts[1] != booking.seats.len() as u64
            || (!booking.places.is_empty()
                && super::places::extend_places(&txn, id, now, expires_at).await?
                    != booking.places.len() as u64)
        {
            txn.rollback().await?;
            return Err(BookingError::HoldExpired);
        }
        let mut card_part = priced.total;
        if !plain {
            if let Some(promo) = priced.promotion {
                take_promotion(&txn, who, id, promo).await?;
            }
            // The gift card pays first, in this transaction: the card is charged the rest.
            if let Some(code) = &gift_card {
                card_part -= spend(
                    &txn,
                    Spend {
                        code,
                        owner,
                        currency: &booking.currency,
                        booking: id,
                        payment: payment_id,
                        up_to: priced.total,
                    },
                    now,
                )
                .await?;
            }
            let written = WriteBatch::new()
                .insert(payments::Entity::insert(payment(card_part)))
                .insert(events())
                .run(&txn)
                .await;
            if let Err(e) = written {
                txn.rollback().await?;
                return if is_unique_violation(&e) {
                    Ok(Opened::NumberTaken)
                } else {
                    Err(e.into())
                };
            }
        }
        txn.commit().await?;
        self.outbox_wake.notify_one();
        Ok(Opened::Pending {
            known: Booking {
                status: BookingStatus::PaymentPending,
                total_cents: priced.total,
                expires_at,
                ..booking
            },
            payment: payment_id,
            key,
            card_part,
        })
    }

    /// Prices a held booking of the caller's own as a checkout now would, without paying.
    pub async fn checkout_quote(
        &self,
        who: &Principal,
        id: BookingId,
        promo_code: Option<&str>,
    ) -> Result<CheckoutQuote, BookingError> {
        let booking = self
            .find_owned(who, id)
            .await?
            // Only the owner: a promotion's per-buyer limit is counted for the caller.
            .filter(|b| b.user_id == who.user_id)
            .ok_or_else(|| BookingError::not_found("booking", id))?;
        match booking.status {
            BookingStatus::Held => {}
            BookingStatus::Expired => return Err(BookingError::HoldExpired),
            _ => {
                return Err(BookingError::Conflict(
                    "this booking is no longer awaiting payment".into(),
                ));
            }
        }
        let priced = self
            .price(who, &booking, promo_code, self.clock.now())
            .await?;
        Ok(CheckoutQuote {
            subtotal_cents: booking.subtotal_cents,
            discount_cents: priced.discount,
            fee_cents: priced.fee,
            total_cents: priced.total,
            currency: booking.currency,
            promo_code: priced
                .promotion
                .and(promo_code.map(|c| c.trim().to_uppercase())),
            promotion_description: priced.promotion_description,
            gift_card_cents: 0,
            card_cents: priced.total,
        })
    }

    /// Subtotal less a valid promotion plus the booking fee.
    async fn price(
        &self,
        who: &Principal,
        booking: &Booking,
        code: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Priced, BookingError> {
        let fee = self.settings.booking_fee_cents * booking.ticket_count() as i64;
        let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(Priced {
                discount: 0,
                fee,
                total: booking.subtotal_cents + fee,
                promotion: None,
                promotion_description: None,
            });
        };
        let promo = promotions::Entity::find()
            .filter(promotions::Column::Code.eq(code.to_uppercase()))
            .one(&self.db)
            .await?
            .ok_or(BookingError::Promotion(PromoRefusal::Unknown))?;
        if let Some(owner) = promo.organisation_id {
            let theirs = crate::organisations::owners::of_showtime(&self.db, booking.showtime_id)
                .await
                .ok()
                .flatten();
            if theirs.map(|o| o.uuid()) != Some(owner) {
                return Err(BookingError::Promotion(PromoRefusal::OtherOrganisation));
            }
        }
        if now < promo.starts_at || now >= promo.ends_at {
            return Err(BookingError::Promotion(PromoRefusal::NotValidNow));
        }
        if promo.max_uses.is_some_and(|max| promo.uses >= max) {
            return Err(BookingError::Promotion(PromoRefusal::UsedUp));
        }
        if let Some(per_user) = promo.max_uses_per_user {
            let mine = bookings::Entity::find()
                .filter(bookings::Column::UserId.eq(who.user_id.uuid()))
                .filter(bookings::Column::PromotionId.eq(promo.id))
                .filter(bookings::Column::Status.is_in([
                    BookingStatus::PaymentPending.as_str(),
                    BookingStatus::Confirmed.as_str(),
                ]))
                .count(&self.db)
                .await?;
            if mine >= per_user as u64 {
                return Err(BookingError::Promotion(PromoRefusal::AlreadyUsed));
            }
        }
        let discount = std::cmp::min(
            booking.subtotal_cents,
            match promo.kind.as_str() {
                "percent" => booking.subtotal_cents * promo.value / 100,
                _ if promo.currency.as_deref() == Some(booking.currency.as_str()) => promo.value,
                _ => return Err(BookingError::Promotion(PromoRefusal::OtherCurrency)),
            },
        );
        Ok(Priced {
            discount,
            fee,
            total: booking.subtotal_cents - discount + fee,
            promotion: Some(promo.id),
            promotion_description: Some(promo.description),
        })
    }
}
