//! Refunds from a ticket: the agent looks up the ticket's booking and refunds it, up to
//! their limit, through the booking's own cancellation path; the ticket's record of it and
//! the audit entry commit in the transaction that ends the booking.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tickets::{NewMessage, insert_message};
use super::{SupportError, SupportService, Ticket};
use crate::booking::{AlongsideEnding, Booking};
use crate::ids::{OrganisationId, TicketId, UserId};
use crate::organisations::Staff;
use crate::organisations::audit::{self, AuditEntry};

impl SupportService {
    /// The booking a ticket is about, for staff who may see the ticket.
    pub async fn ticket_booking(
        &self,
        staff: &Staff,
        id: TicketId,
    ) -> Result<Option<Booking>, SupportError> {
        let ticket = self.ticket_for_staff(staff, id).await?;
        match ticket.booking_id {
            Some(booking) => Ok(Some(self.bookings.booking_for_staff(booking).await?)),
            None => Ok(None),
        }
    }

    /// Refunds the ticket's booking: `amount` minor units (its whole total when `None`), at
    /// most the caller's refund limit in the ticket's organisation. The booking is cancelled
    /// (seats back on sale, tickets void) and the buyer told as for any cancellation.
    #[tracing::instrument(skip_all, fields(ticket_id = %id), err)]
    pub async fn refund(
        &self,
        staff: &Staff,
        id: TicketId,
        amount: Option<i64>,
    ) -> Result<(Ticket, Booking), SupportError> {
        let ticket = self.ticket_for_staff(staff, id).await?;
        let Some(booking_id) = ticket.booking_id else {
            return Err(SupportError::Conflict(
                "this ticket is not about a booking".into(),
            ));
        };
        let limit = staff.refund_limit(ticket.organisation_id)?;
        let booking = self.bookings.booking_for_staff(booking_id).await?;
        let amount = amount.unwrap_or(booking.total_cents);
        if amount <= 0 {
            return Err(SupportError::invalid("amountCents", "must be positive"));
        }
        if let Some(limit) = limit
            && amount > limit
        {
            return Err(SupportError::OverRefundLimit {
                asked: amount,
                limit,
            });
        }
        let record = TicketRefund {
            ticket: ticket.clone(),
            actor: staff.user_id(),
            organisation: ticket.organisation_id,
            amount,
            currency: booking.currency.clone(),
            total: booking.total_cents,
            now: self.clock.now(),
        };
        let after = self
            .bookings
            .refund_by_staff(
                booking_id,
                amount,
                format!("cancelled by support; {amount} refunded"),
                Box::new(record),
            )
            .await?;
        let ticket = self.ticket_for_staff(staff, id).await?;
        Ok((ticket, after))
    }
}

/// The ticket's message and the audit entry of a refund, written with the booking's end.
struct TicketRefund {
    ticket: Ticket,
    actor: UserId,
    organisation: Option<OrganisationId>,
    amount: i64,
    currency: String,
    total: i64,
    now: DateTime<Utc>,
}

#[derive(serde::Serialize)]
struct RefundState<'a> {
    booking_id: Option<crate::ids::BookingId>,
    amount_cents: i64,
    currency: &'a str,
    booking_total_cents: i64,
    refund_id: Option<Uuid>,
}

#[async_trait::async_trait]
impl AlongsideEnding for TicketRefund {
    async fn write(
        self: Box<Self>,
        txn: &sea_orm::DatabaseTransaction,
        refund: Option<Uuid>,
    ) -> Result<(), sea_orm::DbErr> {
        let major = self.amount / 100;
        let minor = self.amount % 100;
        let mut note = NewMessage::staff(
            self.ticket.id,
            self.actor,
            false,
            format!(
                "We cancelled your booking and refunded {major}.{minor:02} {}.",
                self.currency
            ),
        );
        note.refund = refund;
        insert_message(txn, note, self.now).await?;
        audit::record(
            txn,
            AuditEntry::new(
                self.organisation,
                self.actor,
                "support.refund",
                "support_ticket",
                Some(self.ticket.id.uuid()),
            )
            .before(&self.ticket)
            .after(&RefundState {
                booking_id: self.ticket.booking_id,
                amount_cents: self.amount,
                currency: &self.currency,
                booking_total_cents: self.total,
                refund_id: refund,
            }),
            self.now,
        )
        .await
    }
}
