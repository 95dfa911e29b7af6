//! The buyer's side: opening a ticket, answering in it, and reading one's own tickets
//! (never the internal notes).

use marquee_entity::{bookings, support_messages, support_tickets};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::{
    MAX_BODY, MAX_SUBJECT, Message, MessageSource, SupportError, SupportService, Ticket,
    TicketStatus, text,
};
use crate::accounts::Principal;
use crate::ids::{BookingId, TicketId, UserId};
use crate::organisations::owners;

impl SupportService {
    /// Opens a ticket for the caller, about one of their bookings (then in its organisation's
    /// queue) or not (the platform's queue).
    #[tracing::instrument(skip_all, err)]
    pub async fn open(
        &self,
        who: &Principal,
        subject: &str,
        body: &str,
        booking: Option<BookingId>,
    ) -> Result<Ticket, SupportError> {
        let subject = text("subject", subject, MAX_SUBJECT)?;
        let body = text("body", body, MAX_BODY)?;
        let organisation = match booking {
            Some(id) => {
                let own = bookings::Entity::find_by_id(id.uuid())
                    .one(&self.db)
                    .await?
                    .is_some_and(|b| b.user_id == who.user_id.uuid());
                if !own {
                    return Err(SupportError::NotFound("booking"));
                }
                owners::of_booking(&self.db, id).await?
            }
            None => None,
        };
        let now = self.clock.now();
        let id = TicketId::generate();
        let txn = self.db.begin().await?;
        let row = support_tickets::ActiveModel {
            id: Set(id.uuid()),
            user_id: Set(who.user_id.uuid()),
            booking_id: Set(booking.map(BookingId::uuid)),
            organisation_id: Set(organisation.map(|o| o.uuid())),
            assignee_id: Set(None),
            subject: Set(subject),
            status: Set(TicketStatus::Open.as_str().to_owned()),
            reply_token: Set(Uuid::new_v4().simple().to_string()),
            created_at: Set(now),
            updated_at: Set(now),
            first_response_at: Set(None),
            resolved_at: Set(None),
            closed_at: Set(None),
        }
        .insert(&txn)
        .await?;
        let ticket = self.ticket_of(row);
        insert_message(
            &txn,
            NewMessage::buyer(&ticket, MessageSource::App, body),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(ticket)
    }

    /// The caller's tickets, newest first.
    pub async fn my_tickets(
        &self,
        who: &Principal,
        limit: u64,
    ) -> Result<Vec<Ticket>, SupportError> {
        Ok(support_tickets::Entity::find()
            .filter(support_tickets::Column::UserId.eq(who.user_id.uuid()))
            .order_by_desc(support_tickets::Column::CreatedAt)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| self.ticket_of(m))
            .collect())
    }

    /// One of the caller's tickets.
    pub async fn my_ticket(&self, who: &Principal, id: TicketId) -> Result<Ticket, SupportError> {
        let row = self.row(&self.db, id).await?;
        if row.user_id != who.user_id.uuid() {
            return Err(SupportError::NotFound("ticket"));
        }
        Ok(self.ticket_of(row))
    }

    /// The messages of a ticket, oldest first; internal notes only when `internal`.
    pub async fn messages(
        &self,
        id: TicketId,
        internal: bool,
    ) -> Result<Vec<Message>, SupportError> {
        let mut query = support_messages::Entity::find()
            .filter(support_messages::Column::TicketId.eq(id.uuid()))
            .order_by_asc(support_messages::Column::CreatedAt)
            .order_by_asc(support_messages::Column::Id);
        if !internal {
            query = query.filter(support_messages::Column::Internal.eq(false));
        }
        Ok(query
            .all(&self.db)
            .await?
            .into_iter()
            .map(Message::from)
            .collect())
    }

    /// The caller answers in their ticket from the app; the ticket goes back to staff.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn add_message(
        &self,
        who: &Principal,
        id: TicketId,
        body: &str,
    ) -> Result<Message, SupportError> {
        let body = text("body", body, MAX_BODY)?;
        let ticket = self.my_ticket(who, id).await?;
        self.append_buyer_message(ticket, body, MessageSource::App)
            .await
    }

    /// Appends the buyer's message and reopens the ticket, unless it is closed for good.
    pub(super) async fn append_buyer_message(
        &self,
        ticket: Ticket,
        body: String,
        source: MessageSource,
    ) -> Result<Message, SupportError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let reopened = support_tickets::Entity::update_many()
            .col_expr(
                support_tickets::Column::Status,
                Expr::value(TicketStatus::Open.as_str()),
            )
            .col_expr(support_tickets::Column::UpdatedAt, Expr::value(now))
            .filter(support_tickets::Column::Id.eq(ticket.id.uuid()))
            .filter(support_tickets::Column::Status.ne(TicketStatus::Closed.as_str()))
            .exec(&txn)
            .await?;
        if reopened.rows_affected != 1 {
            return Err(SupportError::Conflict(
                "this ticket is closed; please open a new one".into(),
            ));
        }
        let message = insert_message(&txn, NewMessage::buyer(&ticket, source, body), now).await?;
        txn.commit().await?;
        Ok(message)
    }
}

/// A message about to be written.
pub(super) struct NewMessage {
    pub ticket: TicketId,
    pub author: UserId,
    pub from_staff: bool,
    pub internal: bool,
    pub source: MessageSource,
    pub body: String,
    pub refund: Option<Uuid>,
}

impl NewMessage {
    /// From the buyer.
    pub(super) fn buyer(ticket: &Ticket, source: MessageSource, body: String) -> Self {
        Self {
            ticket: ticket.id,
            author: ticket.user_id,
            from_staff: false,
            internal: false,
            source,
            body,
            refund: None,
        }
    }

    /// From staff, written in the app; an internal note when `internal`.
    pub(super) fn staff(ticket: TicketId, author: UserId, internal: bool, body: String) -> Self {
        Self {
            ticket,
            author,
            from_staff: true,
            internal,
            source: MessageSource::App,
            body,
            refund: None,
        }
    }
}

/// Writes one message.
pub(super) async fn insert_message(
    conn: &impl ConnectionTrait,
    m: NewMessage,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Message, sea_orm::DbErr> {
    Ok(support_messages::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(m.ticket.uuid()),
        author_id: Set(m.author.uuid()),
        from_staff: Set(m.from_staff),
        internal: Set(m.internal),
        source: Set(m.source.as_str().to_owned()),
        body: Set(m.body),
        refund_id: Set(m.refund),
        created_at: Set(now),
    }
    .insert(conn)
    .await?
    .into())
}
