use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::booking;

/// How much of the total a cancellation gives back.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum RefundShare {
    /// All of it.
    Full,
    /// Half of it.
    Half,
    /// Nothing: cancelling is refused.
    None,
}

/// What cancelling a booking would refund now, by the cancellation policy: shown to the
/// buyer before `cancelBooking`, which applies the same rule.
#[derive(SimpleObject)]
pub struct Cancellation {
    /// Whether `cancelBooking` would be accepted now.
    allowed: bool,
    /// The refund, in minor units of the booking's currency (0 when refused).
    refund_cents: i64,
    /// The refund's share of the total.
    refund_share: RefundShare,
    /// Why cancelling is refused, when it is.
    reason: Option<String>,
    /// Until when cancelling refunds in full (null for a show the theatre cancelled).
    full_refund_until: Option<DateTime<Utc>>,
    /// Until when cancelling refunds half.
    partial_refund_until: Option<DateTime<Utc>>,
}

impl From<booking::CancellationQuote> for Cancellation {
    fn from(q: booking::CancellationQuote) -> Self {
        let (allowed, refund_cents, refund_share, reason) = match q.refund {
            Ok(r) => (
                true,
                r.cents,
                if r.full {
                    RefundShare::Full
                } else {
                    RefundShare::Half
                },
                None,
            ),
            Err(why) => (false, 0, RefundShare::None, Some(why)),
        };
        Self {
            allowed,
            refund_cents,
            refund_share,
            reason,
            full_refund_until: q.full_refund_until,
            partial_refund_until: q.partial_refund_until,
        }
    }
}
