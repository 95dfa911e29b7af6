//! The staff side: the queue of the tickets a member of staff may see, and what they do to
//! one (assign, reply, note, resolve), each audited in its own transaction.

use marquee_entity::{organisation_members, support_tickets, users};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use super::notify::tell_buyer;
use super::tickets::{NewMessage, insert_message};
use super::{
    MAX_BODY, Message, QueueFilter, SupportError, SupportService, Ticket, TicketStatus, text,
};
use crate::ids::{TicketId, UserId};
use crate::inbox::{Added, push_added};
use crate::organisations::audit::{self, AuditEntry};
use crate::organisations::{Staff, Visibility};

impl SupportService {
    /// The tickets the caller may see that pass `filter`, oldest first.
    pub async fn queue(
        &self,
        staff: &Staff,
        filter: QueueFilter,
    ) -> Result<Vec<Ticket>, SupportError> {
        let now = self.clock.now();
        let mut query = support_tickets::Entity::find();
        if let Visibility::Only(ids) = staff.supported() {
            query = query.filter(
                support_tickets::Column::OrganisationId
                    .is_in(ids.iter().map(|id| id.uuid()).collect::<Vec<_>>()),
            );
        }
        if let Some(org) = filter.organisation {
            staff.support(Some(org))?;
            query = query.filter(support_tickets::Column::OrganisationId.eq(org.uuid()));
        }
        let statuses: Vec<&str> = if filter.statuses.is_empty() {
            vec![
                TicketStatus::Open.as_str(),
                TicketStatus::WaitingOnCustomer.as_str(),
                TicketStatus::Resolved.as_str(),
            ]
        } else {
            filter.statuses.iter().map(|s| s.as_str()).collect()
        };
        query = query.filter(support_tickets::Column::Status.is_in(statuses));
        if let Some(age) = filter.older_than {
            query = query.filter(support_tickets::Column::CreatedAt.lt(now - age));
        }
        if let Some(assignee) = filter.assignee {
            query = query.filter(support_tickets::Column::AssigneeId.eq(assignee.uuid()));
        }
        if filter.unassigned {
            query = query.filter(support_tickets::Column::AssigneeId.is_null());
        }
        if filter.overdue {
            query = query.filter(
                Condition::all()
                    .add(support_tickets::Column::FirstResponseAt.is_null())
                    .add(support_tickets::Column::Status.is_in([
                        TicketStatus::Open.as_str(),
                        TicketStatus::WaitingOnCustomer.as_str(),
                    ]))
                    .add(
                        support_tickets::Column::CreatedAt
                            .lt(now - self.settings.first_response_target),
                    ),
            );
        }
        Ok(query
            .order_by_asc(support_tickets::Column::CreatedAt)
            .order_by_asc(support_tickets::Column::Id)
            .limit(filter.limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| self.ticket_of(m))
            .collect())
    }

    /// One ticket the caller may see; another organisation's reads as unknown.
    pub async fn ticket_for_staff(
        &self,
        staff: &Staff,
        id: TicketId,
    ) -> Result<Ticket, SupportError> {
        let ticket = self.ticket_of(self.row(&self.db, id).await?);
        if !staff.supported().covers(ticket.organisation_id) {
            return Err(SupportError::NotFound("ticket"));
        }
        Ok(ticket)
    }

    /// The ticket locked in for a staff write: scope checked, and `Conflict` once closed.
    async fn for_write(
        &self,
        staff: &Staff,
        txn: &DatabaseTransaction,
        id: TicketId,
    ) -> Result<Ticket, SupportError> {
        // Written first: the row is locked for this write on PostgreSQL (two replies cannot
        // both be first), and SQLite takes its write lock now rather than failing to upgrade
        // a read snapshot that another writer moved past.
        let locked = support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::UpdatedAt,
                Expr::col(support_tickets::Column::UpdatedAt),
            )
            .filter(support_tickets::Column::Id.eq(id.uuid()))
            .exec(txn)
            .await?;
        if locked.rows_affected == 0 {
            return Err(SupportError::NotFound("ticket"));
        }
        let ticket = self.ticket_of(self.row(txn, id).await?);
        if !staff.supported().covers(ticket.organisation_id) {
            return Err(SupportError::NotFound("ticket"));
        }
        staff.support(ticket.organisation_id)?;
        if ticket.status == TicketStatus::Closed {
            return Err(SupportError::Conflict("this ticket is closed".into()));
        }
        Ok(ticket)
    }

    /// Hands the ticket to `assignee` (who must work on its queue), or to nobody.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn assign(
        &self,
        staff: &Staff,
        id: TicketId,
        assignee: Option<UserId>,
    ) -> Result<Ticket, SupportError> {
        let txn = self.db.begin().await?;
        let before = self.for_write(staff, &txn, id).await?;
        if let Some(user) = assignee
            && !works_on(&txn, user, &before).await?
        {
            return Err(SupportError::invalid(
                "assigneeId",
                "is not staff of this ticket's organisation",
            ));
        }
        let now = self.clock.now();
        support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::AssigneeId,
                Expr::value(assignee.map(UserId::uuid)),
            )
            .col_expr(support_tickets::Column::UpdatedAt, Expr::value(now))
            .filter(support_tickets::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        let after = self.ticket_of(self.row(&txn, id).await?);
        self.audit(&txn, staff, "support.assign", &before, &after)
            .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Answers the buyer: the message, the ticket waiting on them, the first-response time
    /// when this is the first answer, and the buyer told by inbox and email.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn reply(
        &self,
        staff: &Staff,
        id: TicketId,
        body: &str,
    ) -> Result<Message, SupportError> {
        let body = text("body", body, MAX_BODY)?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let before = self.for_write(staff, &txn, id).await?;
        let message = insert_message(
            &txn,
            NewMessage::staff(id, staff.user_id(), false, body),
            now,
        )
        .await?;
        support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::Status,
                Expr::value(TicketStatus::WaitingOnCustomer.as_str()),
            )
            .col_expr(
                support_tickets::Column::FirstResponseAt,
                Expr::value(before.first_response_at.unwrap_or(now)),
            )
            .col_expr(support_tickets::Column::UpdatedAt, Expr::value(now))
            .filter(support_tickets::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        let row = self.row(&txn, id).await?;
        let after = self.ticket_of(row.clone());
        let (entry, emailed) = tell_buyer(
            &txn,
            &after,
            &message,
            self.reply_address(&row.reply_token),
            now,
            self.email_hourly_cap,
        )
        .await?;
        audit::record(
            &txn,
            AuditEntry::new(
                after.organisation_id,
                staff.user_id(),
                "support.reply",
                "support_ticket",
                Some(id.uuid()),
            )
            .before(&before)
            .after(&message),
            now,
        )
        .await?;
        txn.commit().await?;
        if emailed {
            self.mail_wake.notify_one();
        }
        push_added(self.bus.as_ref(), &[Added::from(&entry)]).await;
        Ok(message)
    }

    /// Adds a note for staff only; the buyer never sees it and is not told.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn note(
        &self,
        staff: &Staff,
        id: TicketId,
        body: &str,
    ) -> Result<Message, SupportError> {
        let body = text("body", body, MAX_BODY)?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let ticket = self.for_write(staff, &txn, id).await?;
        let message = insert_message(
            &txn,
            NewMessage::staff(id, staff.user_id(), true, body),
            now,
        )
        .await?;
        audit::record(
            &txn,
            AuditEntry::new(
                ticket.organisation_id,
                staff.user_id(),
                "support.note",
                "support_ticket",
                Some(id.uuid()),
            )
            .after(&message),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(message)
    }

    /// Marks the ticket resolved; it closes by itself after the configured wait unless the
    /// buyer answers.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn resolve(&self, staff: &Staff, id: TicketId) -> Result<Ticket, SupportError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let before = self.for_write(staff, &txn, id).await?;
        support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::Status,
                Expr::value(TicketStatus::Resolved.as_str()),
            )
            .col_expr(support_tickets::Column::ResolvedAt, Expr::value(now))
            .col_expr(support_tickets::Column::UpdatedAt, Expr::value(now))
            .filter(support_tickets::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        let after = self.ticket_of(self.row(&txn, id).await?);
        self.audit(&txn, staff, "support.resolve", &before, &after)
            .await?;
        txn.commit().await?;
        Ok(after)
    }

    async fn audit(
        &self,
        txn: &DatabaseTransaction,
        staff: &Staff,
        action: &'static str,
        before: &Ticket,
        after: &Ticket,
    ) -> Result<(), SupportError> {
        audit::record(
            txn,
            AuditEntry::new(
                after.organisation_id,
                staff.user_id(),
                action,
                "support_ticket",
                Some(after.id.uuid()),
            )
            .before(before)
            .after(after),
            self.clock.now(),
        )
        .await?;
        Ok(())
    }
}

/// Whether `user` may work on `ticket`'s queue: a platform admin, or a member of its
/// organisation.
async fn works_on(
    txn: &DatabaseTransaction,
    user: UserId,
    ticket: &Ticket,
) -> Result<bool, SupportError> {
    let admin = users::Entity::find_by_id(user.uuid())
        .one(txn)
        .await?
        .is_some_and(|u| u.role == "admin" && u.deleted_at.is_none());
    if admin {
        return Ok(true);
    }
    let Some(org) = ticket.organisation_id else {
        return Ok(false);
    };
    Ok(organisation_members::Entity::find()
        .filter(organisation_members::Column::OrganisationId.eq(org.uuid()))
        .filter(organisation_members::Column::UserId.eq(user.uuid()))
        .one(txn)
        .await?
        .is_some())
}
