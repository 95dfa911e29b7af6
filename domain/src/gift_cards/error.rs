use crate::error::{Classify, ErrorKind};
use crate::organisations::OrganisationError;

/// Everything that can go wrong with gift cards, for staff and at checkout.
#[derive(Debug, thiserror::Error)]
pub enum GiftCardError {
    /// Signed in, but the card's organisation is not the caller's to manage.
    #[error("{0}")]
    Forbidden(&'static str),
    /// No such card (or organisation), or a code that matches none.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A value outside what is accepted.
    #[error("{field}: {message}")]
    Invalid {
        /// The input field, as the API names it.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A card that cannot pay for this booking.
    #[error("giftCardCode: {0}")]
    Refused(GiftCardRefusal),
    /// Another checkout spent the balance between reading and spending it.
    #[error("the gift card's balance changed meanwhile; check it and try again")]
    BalanceChanged,
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

/// Why a gift card was refused at checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GiftCardRefusal {
    /// The card is past its expiry.
    #[error("this gift card has expired")]
    Expired,
    /// Staff disabled the card.
    #[error("this gift card has been disabled")]
    Disabled,
    /// Nothing left on it.
    #[error("this gift card has no balance left")]
    Empty,
    /// The card is another organisation's than the showtime's.
    #[error("this gift card is not valid at this theatre")]
    OtherOrganisation,
    /// The card is in another currency than the booking.
    #[error("this gift card is in another currency")]
    OtherCurrency,
}

impl GiftCardRefusal {
    /// The reason as clients match on it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Expired => "GIFT_CARD_EXPIRED",
            Self::Disabled => "GIFT_CARD_DISABLED",
            Self::Empty => "GIFT_CARD_EMPTY",
            Self::OtherOrganisation => "GIFT_CARD_OTHER_ORGANISATION",
            Self::OtherCurrency => "GIFT_CARD_OTHER_CURRENCY",
        }
    }
}

impl GiftCardError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<OrganisationError> for GiftCardError {
    fn from(e: OrganisationError) -> Self {
        match e {
            OrganisationError::Forbidden(why) => Self::Forbidden(why),
            OrganisationError::NotFound(what) => Self::NotFound(what),
            OrganisationError::Invalid { field, message } => Self::Invalid { field, message },
            OrganisationError::Conflict(_) => Self::Forbidden("this is not yours to manage"),
            OrganisationError::Database(e) => Self::Database(e),
        }
    }
}

impl Classify for GiftCardError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Invalid { .. } | Self::Refused(_) => ErrorKind::BadInput,
            Self::BalanceChanged => ErrorKind::Conflict,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Refused(_) => Some("giftCardCode"),
            _ => None,
        }
    }

    fn reason(&self) -> Option<&'static str> {
        match self {
            Self::Refused(why) => Some(why.code()),
            _ => None,
        }
    }
}
