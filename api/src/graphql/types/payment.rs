use async_graphql::{Enum, Object, SimpleObject};
use marquee_domain::booking;

/// Where a booking's latest payment stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PaymentStatus {
    /// Sent to the gateway; its outcome is not known yet.
    Pending,
    /// The buyer must authenticate it (3-D Secure) with `clientSecret`, then call
    /// `confirmCheckout`. Nothing is taken until then.
    RequiresAction,
    /// Taken.
    Succeeded,
    /// Declined, authentication failed, or not authenticated in time: nothing taken.
    Failed,
    /// Taken and given back in full.
    Refunded,
}

impl From<booking::PaymentState> for PaymentStatus {
    fn from(s: booking::PaymentState) -> Self {
        use booking::PaymentState as S;
        match s {
            S::Pending => Self::Pending,
            S::RequiresAction => Self::RequiresAction,
            S::Succeeded => Self::Succeeded,
            S::Failed => Self::Failed,
            S::Refunded => Self::Refunded,
        }
    }
}

/// A booking's latest payment, as its owner (or an admin) sees it.
pub struct BookingPayment(pub booking::PaymentView);

#[Object]
impl BookingPayment {
    async fn status(&self) -> PaymentStatus {
        self.0.status.into()
    }
    /// What Stripe.js (`handleNextAction`) needs to run the authentication: the
    /// PaymentIntent's client secret. Only for the booking's owner, only while the status
    /// is REQUIRES_ACTION.
    async fn client_secret(&self) -> Option<&str> {
        self.0.client_secret.as_ref().map(|s| s.expose())
    }
    /// What the payment method is charged, in minor units of the booking's currency.
    async fn card_cents(&self) -> i64 {
        self.0.card_cents
    }
    /// What a gift card paid, in minor units (spent first; 0 without one).
    async fn gift_card_cents(&self) -> i64 {
        self.0.gift_card_cents
    }
}

/// How a client sets up payments in the browser.
#[derive(SimpleObject)]
pub struct PaymentConfig {
    /// `fake` (the embedded gateway: use Stripe's test payment method ids, and
    /// `POST /fake-gateway/authenticate` for 3-D Secure) or `stripe`.
    pub gateway: String,
    /// Stripe's publishable key for Stripe.js, when configured.
    pub publishable_key: Option<String>,
}
