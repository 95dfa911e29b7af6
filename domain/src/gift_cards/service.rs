//! Staff's side of gift cards: issue, disable, adjust and list them with their history,
//! each scoped to the organisations the caller manages and recorded in the audit log in
//! its own transaction; and a buyer's balance check.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use marquee_entity::{gift_card_entries, gift_cards, organisations};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::clock::SharedClock;
use crate::db::ROWS_PER_STATEMENT;
use crate::ids::{GiftCardId, OrganisationId};
use crate::mail::{DirectMail, money};
use crate::organisations::{AuditEntry, Staff, audit};

use super::spend::{balance_of, find_by_code, refusal};
use super::{
    EntryKind, GiftCard, GiftCardBalance, GiftCardCode, GiftCardEntry, GiftCardError,
    IssuedGiftCard, NewGiftCard,
};

/// Largest balance a card is issued with or adjusted to: 10 000.00 in the currency.
const MAX_BALANCE_CENTS: i64 = 1_000_000;
/// Longest adjustment note.
const MAX_NOTE: usize = 500;
/// Most cards listed at once.
pub const MAX_LISTED: u64 = 500;

/// Gift cards for staff and buyers.
#[derive(Clone)]
pub struct GiftCardService {
    db: DatabaseConnection,
    clock: SharedClock,
    mail: DirectMail,
}

impl GiftCardService {
    /// Builds the service; `mail` sends a new card's code to its recipient.
    pub fn new(db: DatabaseConnection, clock: SharedClock, mail: DirectMail) -> Self {
        Self { db, clock, mail }
    }

    /// Issues a card of `new.organisation` (its managers, platform admins): the code is
    /// returned here and never again.
    #[tracing::instrument(skip_all, fields(organisation_id = %new.organisation), err)]
    pub async fn issue(
        &self,
        staff: &Staff,
        new: NewGiftCard,
    ) -> Result<IssuedGiftCard, GiftCardError> {
        staff.manage(Some(new.organisation))?;
        let org = organisations::Entity::find_by_id(new.organisation.uuid())
            .one(&self.db)
            .await?
            .ok_or(GiftCardError::NotFound("organisation"))?;
        if new.amount_cents <= 0 || new.amount_cents > MAX_BALANCE_CENTS {
            return Err(GiftCardError::invalid(
                "amountCents",
                format!("give an amount from 1 to {MAX_BALANCE_CENTS}"),
            ));
        }
        let note = clean_note(new.note.as_deref())?;
        let now = self.clock.now();
        if new.expires_at.is_some_and(|at| at <= now) {
            return Err(GiftCardError::invalid(
                "expiresAt",
                "give a time in the future",
            ));
        }
        let code = GiftCardCode::generate()?;
        let id = Uuid::now_v7();
        let txn = self.db.begin().await?;
        let card = gift_cards::ActiveModel {
            id: Set(id),
            organisation_id: Set(org.id),
            code_hash: Set(code.hash()),
            code_last4: Set(code.last4().to_owned()),
            currency: Set(org.currency),
            initial_cents: Set(new.amount_cents),
            balance_cents: Set(new.amount_cents),
            expires_at: Set(new.expires_at),
            disabled_at: Set(None),
            recipient_email: Set(new.recipient.as_ref().map(|e| e.as_str().to_owned())),
            issued_by: Set(staff.user_id().uuid()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        staff_entry(
            &txn,
            id,
            EntryKind::Issue,
            new.amount_cents,
            new.amount_cents,
            staff,
            note,
            now,
        )
        .await?;
        let card = GiftCard::from(card);
        audit::record(
            &txn,
            AuditEntry::new(
                Some(new.organisation),
                staff.user_id(),
                "gift_card.issue",
                "gift_card",
                Some(id),
            )
            .after(&card),
            now,
        )
        .await?;
        txn.commit().await?;
        let emailed = match &new.recipient {
            Some(to) => Some(self.send_code(to.as_str(), &org.name, &code, &card).await),
            None => None,
        };
        Ok(IssuedGiftCard {
            code,
            card,
            emailed,
        })
    }

    /// Emails a new card's code to its recipient: after the commit, and never queued, so
    /// the code is stored nowhere but in the message.
    async fn send_code(
        &self,
        to: &str,
        organisation: &str,
        code: &GiftCardCode,
        card: &GiftCard,
    ) -> bool {
        let expiry = match card.expires_at {
            Some(at) => format!("It can be used until {} UTC.", at.format("%Y-%m-%d %H:%M")),
            None => "It does not expire.".to_owned(),
        };
        let body = format!(
            "You have a gift card from {organisation} worth {amount}.\n\n             Code: {code}\n\n             Enter it at checkout when you book a show of {organisation} on Marquee:\n{link}\n\n             {expiry} Keep this code safe: whoever has it can spend the balance.\n",
            amount = money(card.balance_cents, &card.currency),
            code = code.display(),
            link = self.mail.link("/"),
        );
        let subject = format!("Your {organisation} gift card");
        self.mail.send(to, subject, body, "gift card code").await
    }

    /// Disables a card: it is refused at checkout from now on (payments already made
    /// with it stand). Disabling twice changes nothing.
    #[tracing::instrument(skip_all, fields(gift_card_id = %id), err)]
    pub async fn disable(&self, staff: &Staff, id: GiftCardId) -> Result<GiftCard, GiftCardError> {
        let before = self.managed_card(staff, id).await?;
        if before.disabled_at.is_some() {
            return Ok(before);
        }
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        gift_cards::Entity::update_many()
            .col_expr(gift_cards::Column::DisabledAt, Expr::value(now))
            .col_expr(gift_cards::Column::UpdatedAt, Expr::value(now))
            .filter(gift_cards::Column::Id.eq(id.uuid()))
            .filter(gift_cards::Column::DisabledAt.is_null())
            .exec(&txn)
            .await?;
        let after = GiftCard {
            disabled_at: Some(now),
            ..before.clone()
        };
        audit::record(
            &txn,
            AuditEntry::new(
                Some(before.organisation_id),
                staff.user_id(),
                "gift_card.disable",
                "gift_card",
                Some(id.uuid()),
            )
            .before(&before)
            .after(&after),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Adds `delta_cents` (negative: takes off) to a card's balance, with a note saying
    /// why. The balance never goes below zero nor above the maximum.
    #[tracing::instrument(skip_all, fields(gift_card_id = %id), err)]
    pub async fn adjust(
        &self,
        staff: &Staff,
        id: GiftCardId,
        delta_cents: i64,
        note: &str,
    ) -> Result<GiftCard, GiftCardError> {
        let before = self.managed_card(staff, id).await?;
        if delta_cents == 0 || delta_cents.abs() > MAX_BALANCE_CENTS {
            return Err(GiftCardError::invalid(
                "amountCents",
                format!("give a change from -{MAX_BALANCE_CENTS} to {MAX_BALANCE_CENTS}, not 0"),
            ));
        }
        let note = clean_note(Some(note))?
            .ok_or_else(|| GiftCardError::invalid("note", "say why the balance changes"))?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Conditional, like a spend: a checkout running meanwhile is never undercut.
        let moved = gift_cards::Entity::update_many()
            .col_expr(
                gift_cards::Column::BalanceCents,
                Expr::col(gift_cards::Column::BalanceCents).add(delta_cents),
            )
            .col_expr(gift_cards::Column::UpdatedAt, Expr::value(now))
            .filter(gift_cards::Column::Id.eq(id.uuid()))
            .filter(
                Expr::col(gift_cards::Column::BalanceCents)
                    .add(delta_cents)
                    .gte(0),
            )
            .filter(
                Expr::col(gift_cards::Column::BalanceCents)
                    .add(delta_cents)
                    .lte(MAX_BALANCE_CENTS),
            )
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            txn.rollback().await?;
            return Err(GiftCardError::invalid(
                "amountCents",
                format!(
                    "the balance would leave 0..={MAX_BALANCE_CENTS} (it is {} now)",
                    before.balance_cents
                ),
            ));
        }
        let balance = balance_of(&txn, id.uuid()).await?;
        staff_entry(
            &txn,
            id.uuid(),
            EntryKind::Adjust,
            delta_cents,
            balance,
            staff,
            Some(note),
            now,
        )
        .await?;
        let after = GiftCard {
            balance_cents: balance,
            ..before.clone()
        };
        audit::record(
            &txn,
            AuditEntry::new(
                Some(before.organisation_id),
                staff.user_id(),
                "gift_card.adjust",
                "gift_card",
                Some(id.uuid()),
            )
            .before(&before)
            .after(&after),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// An organisation's cards, newest first, each with its history (oldest first).
    pub async fn list(
        &self,
        staff: &Staff,
        organisation: OrganisationId,
        first: u64,
    ) -> Result<Vec<GiftCard>, GiftCardError> {
        staff.manage(Some(organisation))?;
        let mut cards: Vec<GiftCard> = gift_cards::Entity::find()
            .filter(gift_cards::Column::OrganisationId.eq(organisation.uuid()))
            .order_by_desc(gift_cards::Column::CreatedAt)
            .order_by_desc(gift_cards::Column::Id)
            .limit(first.clamp(1, MAX_LISTED))
            .all(&self.db)
            .await?
            .into_iter()
            .map(GiftCard::from)
            .collect();
        let ids: Vec<Uuid> = cards.iter().map(|c| c.id.uuid()).collect();
        let mut history: HashMap<Uuid, Vec<GiftCardEntry>> = HashMap::new();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            for e in gift_card_entries::Entity::find()
                .filter(gift_card_entries::Column::GiftCardId.is_in(chunk.iter().copied()))
                .order_by_asc(gift_card_entries::Column::Id)
                .all(&self.db)
                .await?
            {
                history
                    .entry(e.gift_card_id)
                    .or_default()
                    .push(GiftCardEntry::from(e));
            }
        }
        for card in &mut cards {
            card.history = history.remove(&card.id.uuid()).unwrap_or_default();
        }
        Ok(cards)
    }

    /// What the holder of `code` may know: balance, currency, expiry, whose it is, and
    /// whether it can be spent now. An unknown code is `NotFound`.
    pub async fn balance(&self, code: &GiftCardCode) -> Result<GiftCardBalance, GiftCardError> {
        let card = find_by_code(&self.db, code).await?;
        let org = organisations::Entity::find_by_id(card.organisation_id)
            .one(&self.db)
            .await?
            .ok_or(GiftCardError::NotFound("organisation"))?;
        let now: DateTime<Utc> = self.clock.now();
        // Asked as of its own organisation and currency: only state refuses it here.
        let why = refusal(&card, Some(org.id.into()), &card.currency, now);
        Ok(GiftCardBalance {
            balance_cents: card.balance_cents,
            currency: card.currency,
            expires_at: card.expires_at,
            organisation_name: org.name,
            refusal: why,
        })
    }

    async fn managed_card(&self, staff: &Staff, id: GiftCardId) -> Result<GiftCard, GiftCardError> {
        let card = gift_cards::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .ok_or(GiftCardError::NotFound("gift card"))?;
        // Another organisation's card reads as forbidden, as its other objects do.
        staff.manage(Some(card.organisation_id.into()))?;
        Ok(card.into())
    }
}

fn clean_note(note: Option<&str>) -> Result<Option<String>, GiftCardError> {
    let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_NOTE {
        return Err(GiftCardError::invalid(
            "note",
            format!("keep it under {MAX_NOTE} characters"),
        ));
    }
    Ok(Some(note.to_owned()))
}

#[allow(clippy::too_many_arguments)]
async fn staff_entry(
    txn: &impl sea_orm::ConnectionTrait,
    card: Uuid,
    kind: EntryKind,
    amount: i64,
    balance_after: i64,
    staff: &Staff,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), GiftCardError> {
    gift_card_entries::ActiveModel {
        id: Set(Uuid::now_v7()),
        gift_card_id: Set(card),
        kind: Set(kind.as_str().to_owned()),
        amount_cents: Set(amount),
        balance_after_cents: Set(balance_after),
        booking_id: Set(None),
        payment_id: Set(None),
        actor_id: Set(Some(staff.user_id().uuid())),
        note: Set(note),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}
