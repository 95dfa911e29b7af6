//! The gift card's part of a checkout: spent inside the checkout's transaction by a
//! conditional update (never below zero, never twice), and given back inside whichever
//! transaction ends the payment without tickets or cancels the booking.

use chrono::{DateTime, Utc};
use marquee_entity::{gift_card_entries, gift_cards};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::ids::{BookingId, OrganisationId};

use super::{EntryKind, GiftCardCode, GiftCardError, GiftCardRefusal};

/// Whether `card` may pay now for a showtime of `owner` in `currency`.
pub(crate) fn refusal(
    card: &gift_cards::Model,
    owner: Option<OrganisationId>,
    currency: &str,
    now: DateTime<Utc>,
) -> Option<GiftCardRefusal> {
    if card.disabled_at.is_some() {
        Some(GiftCardRefusal::Disabled)
    } else if card.expires_at.is_some_and(|at| at <= now) {
        Some(GiftCardRefusal::Expired)
    } else if owner.map(OrganisationId::uuid) != Some(card.organisation_id) {
        Some(GiftCardRefusal::OtherOrganisation)
    } else if card.currency != currency {
        Some(GiftCardRefusal::OtherCurrency)
    } else if card.balance_cents <= 0 {
        Some(GiftCardRefusal::Empty)
    } else {
        None
    }
}

/// The card of `code`, or `NotFound`.
pub(crate) async fn find_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &GiftCardCode,
) -> Result<gift_cards::Model, GiftCardError> {
    gift_cards::Entity::find()
        .filter(gift_cards::Column::CodeHash.eq(code.hash()))
        .one(conn)
        .await?
        .ok_or(GiftCardError::NotFound("gift card"))
}

/// A checkout's spend, as the caller passes it in.
pub(crate) struct Spend<'a> {
    /// The code the buyer gave.
    pub code: &'a GiftCardCode,
    /// The showtime's organisation.
    pub owner: Option<OrganisationId>,
    /// The booking's currency.
    pub currency: &'a str,
    /// The booking.
    pub booking: BookingId,
    /// The payment attempt the spend belongs to.
    pub payment: Uuid,
    /// At most this much is taken (the booking's total).
    pub up_to: i64,
}

/// Takes as much of the booking's total as the card holds, inside the checkout's
/// transaction; the amount taken. The balance is read inside the transaction, and the
/// decrement is conditional on it still covering the amount: of two checkouts that read
/// the same balance, the second finds it short and fails with `BalanceChanged` (on
/// PostgreSQL it waits for the first's row lock, then re-checks; SQLite runs one writer).
pub(crate) async fn spend<C: ConnectionTrait>(
    txn: &C,
    spend: Spend<'_>,
    now: DateTime<Utc>,
) -> Result<i64, GiftCardError> {
    let card = find_by_code(txn, spend.code).await?;
    if let Some(why) = refusal(&card, spend.owner, spend.currency, now) {
        return Err(GiftCardError::Refused(why));
    }
    let amount = std::cmp::min(card.balance_cents, spend.up_to);
    if amount <= 0 {
        return Ok(0);
    }
    let taken = gift_cards::Entity::update_many()
        .col_expr(
            gift_cards::Column::BalanceCents,
            Expr::col(gift_cards::Column::BalanceCents).sub(amount),
        )
        .col_expr(gift_cards::Column::UpdatedAt, Expr::value(now))
        .filter(gift_cards::Column::Id.eq(card.id))
        .filter(gift_cards::Column::BalanceCents.gte(amount))
        .filter(gift_cards::Column::DisabledAt.is_null())
        .filter(
            Condition::any()
                .add(gift_cards::Column::ExpiresAt.is_null())
                .add(gift_cards::Column::ExpiresAt.gt(now)),
        )
        .exec(txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(GiftCardError::BalanceChanged);
    }
    let after = balance_of(txn, card.id).await?;
    entry(
        txn,
        card.id,
        EntryKind::Spend,
        -amount,
        after,
        Some(spend.booking),
        Some(spend.payment),
        now,
    )
    .await?;
    Ok(amount)
}

/// What the booking's gift card still carries for it: its card and the amount spent and
/// not given back.
pub(crate) async fn outstanding<C: ConnectionTrait>(
    conn: &C,
    booking: BookingId,
) -> Result<Option<(Uuid, i64, Option<Uuid>)>, GiftCardError> {
    let entries = gift_card_entries::Entity::find()
        .filter(gift_card_entries::Column::BookingId.eq(booking.uuid()))
        .order_by_asc(gift_card_entries::Column::Id)
        .all(conn)
        .await?;
    let Some(last_spend) = entries.iter().rev().find(|e| e.kind == "spend") else {
        return Ok(None);
    };
    // A booking spends one card; the sum of its spends and restores is what is left out.
    let out: i64 = -entries.iter().map(|e| e.amount_cents).sum::<i64>();
    Ok(Some((last_spend.gift_card_id, out, last_spend.payment_id)))
}

/// Gives back to the card up to `up_to` of what the booking still has out on it (all of
/// it with `None`), inside the transaction that ends the payment or the booking (which
/// moves the booking conditionally, so this runs once); the amount given back.
pub(crate) async fn restore<C: ConnectionTrait>(
    txn: &C,
    booking: BookingId,
    up_to: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, GiftCardError> {
    let Some((card, out, payment)) = outstanding(txn, booking).await? else {
        return Ok(0);
    };
    let amount = up_to.map_or(out, |cap| std::cmp::min(cap, out));
    if amount <= 0 {
        return Ok(0);
    }
    gift_cards::Entity::update_many()
        .col_expr(
            gift_cards::Column::BalanceCents,
            Expr::col(gift_cards::Column::BalanceCents).add(amount),
        )
        .col_expr(gift_cards::Column::UpdatedAt, Expr::value(now))
        .filter(gift_cards::Column::Id.eq(card))
        .exec(txn)
        .await?;
    let after = balance_of(txn, card).await?;
    entry(
        txn,
        card,
        EntryKind::Restore,
        amount,
        after,
        Some(booking),
        payment,
        now,
    )
    .await?;
    Ok(amount)
}

pub(super) async fn balance_of<C: ConnectionTrait>(
    conn: &C,
    card: Uuid,
) -> Result<i64, GiftCardError> {
    Ok(gift_cards::Entity::find_by_id(card)
        .one(conn)
        .await?
        .ok_or(GiftCardError::NotFound("gift card"))?
        .balance_cents)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn entry<C: ConnectionTrait>(
    conn: &C,
    card: Uuid,
    kind: EntryKind,
    amount: i64,
    balance_after: i64,
    booking: Option<BookingId>,
    payment: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), GiftCardError> {
    gift_card_entries::ActiveModel {
        id: Set(Uuid::now_v7()),
        gift_card_id: Set(card),
        kind: Set(kind.as_str().to_owned()),
        amount_cents: Set(amount),
        balance_after_cents: Set(balance_after),
        booking_id: Set(booking.map(BookingId::uuid)),
        payment_id: Set(payment),
        actor_id: Set(None),
        note: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}
