//! A promotion's uses are taken inside the checkout's transaction and given back when the
//! payment does not go through, so failed attempts never use a code up and one buyer's
//! concurrent checkouts cannot pass its per-buyer limit together.

use marquee_entity::{bookings, promotions};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::accounts::Principal;
use crate::ids::BookingId;

use super::{BookingError, BookingStatus};

/// Takes one use of `promo` for the booking, which the caller's transaction has just moved
/// to PAYMENT_PENDING with this promotion. The counter's conditional update comes first:
/// on PostgreSQL it locks the promotion's row until commit, so the per-buyer count after
/// it sees every other checkout of this code that committed before.
pub(super) async fn take_promotion<C: ConnectionTrait>(
    txn: &C,
    who: &Principal,
    booking: BookingId,
    promo: Uuid,
) -> Result<(), BookingError> {
    let bad = |why: &str| BookingError::invalid("promoCode", why);
    let used = promotions::Entity::update_many()
        .col_expr(
            promotions::Column::Uses,
            Expr::col(promotions::Column::Uses).add(1),
        )
        .filter(promotions::Column::Id.eq(promo))
        .filter(
            Condition::any()
                .add(promotions::Column::MaxUses.is_null())
                .add(
                    Expr::col(promotions::Column::Uses).lt(Expr::col(promotions::Column::MaxUses)),
                ),
        )
        .exec(txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(bad("this code has been used up"));
    }
    let per_user: Option<Option<i32>> = promotions::Entity::find_by_id(promo)
        .select_only()
        .column(promotions::Column::MaxUsesPerUser)
        .into_tuple()
        .one(txn)
        .await?;
    if let Some(Some(per_user)) = per_user {
        // This booking is among them: the transaction has already written it.
        let mine = bookings::Entity::find()
            .filter(bookings::Column::UserId.eq(who.user_id.uuid()))
            .filter(bookings::Column::PromotionId.eq(promo))
            .filter(bookings::Column::Status.is_in([
                BookingStatus::PaymentPending.as_str(),
                BookingStatus::Confirmed.as_str(),
            ]))
            .count(txn)
            .await?;
        if mine > u64::try_from(per_user).unwrap_or(0) {
            tracing::debug!(booking_id = %booking, "per-buyer promotion limit reached");
            return Err(bad("you have already used this code"));
        }
    }
    Ok(())
}

/// Gives back the use a booking took of its promotion, inside the transaction that moves
/// it from PAYMENT_PENDING to anything but CONFIRMED (once: that move is conditional).
pub(super) async fn give_back_promotion<C: ConnectionTrait>(
    txn: &C,
    booking: BookingId,
) -> Result<(), BookingError> {
    promotions::Entity::update_many()
        .col_expr(
            promotions::Column::Uses,
            Expr::col(promotions::Column::Uses).sub(1),
        )
        .filter(
            promotions::Column::Id.in_subquery(
                Query::select()
                    .column(bookings::Column::PromotionId)
                    .from(bookings::Entity)
                    .and_where(bookings::Column::Id.eq(booking.uuid()))
                    .to_owned(),
            ),
        )
        .filter(promotions::Column::Uses.gt(0))
        .exec(txn)
        .await?;
    Ok(())
}
