use async_graphql::Enum;
use marquee_domain::accounts::Role as DomainRole;
use marquee_domain::catalog as domain;

macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident => $domain:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => <$domain>::$variant),+ }
            }
        }
    };
}

mirror_enum!(/// The kind of a seat, which decides its price.
    SeatCategory => domain::SeatCategory { Standard, Premium, Accessible, Companion });
mirror_enum!(/// How a section of a venue sells its places.
    SectionKind => domain::SectionKind { Reserved, General });
mirror_enum!(/// Where a seat stands at one showtime.
    SeatStatus => domain::SeatStatus { Available, Held, Sold, Blocked });
mirror_enum!(/// Whether a showtime takes place.
    ShowtimeStatus => domain::ShowtimeStatus { Scheduled, Cancelled });
mirror_enum!(/// Where a buyer stands in a showtime's waiting room.
    WaitingRoomStatus => marquee_domain::waiting_room::PlaceStatus { Waiting, Admitted, NotInLine, NotRequired });
mirror_enum!(/// Where a place in a showtime's waitlist stands.
    WaitlistStatus => marquee_domain::waitlist::EntryStatus { Waiting, Offered, Claimed, Lapsed, Left });
mirror_enum!(/// Where a "notify me" alert stands.
    AlertStatus => marquee_domain::alerts::AlertStatus { Active, Notified, Unsubscribed });
mirror_enum!(/// What an account may do: `ADMIN` is a platform admin; an organisation's staff
    /// are customers with a `StaffRole` there.
    Role => DomainRole { Customer, Admin });
mirror_enum!(/// A role in an organisation.
    StaffRole => marquee_domain::organisations::MemberRole { Manager, Support });

/// How a promotion discounts.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PromotionKind {
    /// A percentage of the subtotal.
    Percent,
    /// A fixed amount in minor units.
    Fixed,
}

impl PromotionKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Fixed => "fixed",
        }
    }
}
