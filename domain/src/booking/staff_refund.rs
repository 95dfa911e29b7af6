//! Refunds staff issue from a support ticket: the booking ends (seats back on sale, tickets
//! void) and the amount goes back through the same pending-refund path as a cancellation.

use super::cancel::{AlongsideEnding, Ending};
use super::{Booking, BookingError, BookingService, BookingStatus};
use crate::ids::BookingId;

impl BookingService {
    /// Any booking, for staff whose scope over it the caller has already checked.
    pub async fn booking_for_staff(&self, id: BookingId) -> Result<Booking, BookingError> {
        self.load(id).await
    }

    /// Cancels the confirmed booking `id`, `amount` (at most its total) going back to the
    /// buyer, with `record` written in the same transaction; the booking as it is after.
    #[tracing::instrument(skip_all, fields(booking_id = %id, amount), err)]
    pub async fn refund_by_staff(
        &self,
        id: BookingId,
        amount: i64,
        reason: String,
        record: Box<dyn AlongsideEnding>,
    ) -> Result<Booking, BookingError> {
        let booking = self.load(id).await?;
        if booking.status != BookingStatus::Confirmed {
            return Err(BookingError::Conflict(
                "only a confirmed booking can be refunded".into(),
            ));
        }
        if amount <= 0 || amount > booking.total_cents {
            return Err(BookingError::Conflict(format!(
                "the refund must be between 1 and the booking's total, {}",
                booking.total_cents
            )));
        }
        self.end_confirmed(
            booking,
            amount,
            Ending {
                // Told to the buyer as a cancellation with its refund: the `refunded` status
                // means a payment that could not become a booking.
                status: BookingStatus::Cancelled,
                reason,
                event_reason: None,
                refund_reason: "refunded by support",
                alongside: Some(record),
            },
        )
        .await
    }
}
