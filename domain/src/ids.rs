//! Typed identifiers: a `ShowtimeId` can never be passed where a `SeatId` is expected.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// An id string that is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {what} id")]
pub struct InvalidId {
    /// Which kind of id was expected.
    pub what: &'static str,
    /// The rejected input (truncated).
    pub value: String,
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            /// Parses the textual form used in the API.
            pub fn parse(value: &str) -> Result<Self, InvalidId> {
                Uuid::from_str(value.trim()).map(Self).map_err(|_| InvalidId {
                    what: $what,
                    value: value.chars().take(64).collect(),
                })
            }

            /// The underlying UUID, for storage.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl From<$name> for Uuid {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl From<$name> for sea_orm::Value {
            fn from(value: $name) -> Self {
                value.0.into()
            }
        }

        // Audit entries and exported reports carry ids in their textual form.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(/// A user account.
    UserId, "user");
typed_id!(/// A theatre (venue).
    TheatreId, "theatre");
typed_id!(/// A screen (auditorium) of a theatre.
    ScreenId, "screen");
typed_id!(/// A physical seat of a screen.
    SeatId, "seat");
typed_id!(/// A section of a venue (a screen is one reserved section).
    SectionId, "section");
typed_id!(/// A movie.
    MovieId, "movie");
typed_id!(/// A live event.
    EventId, "event");
typed_id!(/// One performance on a screen.
    ShowtimeId, "showtime");
typed_id!(/// A booking (hold, then purchase).
    BookingId, "booking");
typed_id!(/// A review of a movie.
    ReviewId, "review");
typed_id!(/// A promotion code.
    PromotionId, "promotion");
typed_id!(/// A buyer's support ticket.
    TicketId, "support ticket");
typed_id!(/// A help-center article.
    ArticleId, "help article");
typed_id!(/// A theatre chain or promoter.
    OrganisationId, "organisation");
typed_id!(/// A gift card an organisation issued.
    GiftCardId, "gift card");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_rejects_garbage() {
        let id = ShowtimeId::generate();
        assert_eq!(ShowtimeId::parse(&id.to_string()), Ok(id));
        let err = ShowtimeId::parse("seat-12").unwrap_err();
        assert_eq!(err.what, "showtime");
        assert!(err.to_string().contains("seat-12"));
    }
}
