//! What a member of staff may see and change. Every staff service takes a [`Staff`] and asks
//! it about the owner of the object at hand, so scoping is decided here and nowhere else.

use crate::accounts::{Principal, Role};
use crate::ids::{OrganisationId, UserId};

use super::OrganisationError;

/// A role within one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberRole {
    /// Its theatres, screens, showtimes, prices, promotions, events, analytics and staff.
    Manager,
    /// Its support tickets and bookings, and refunds up to a limit.
    Support,
}

impl MemberRole {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Support => "support",
        }
    }

    /// Reads the stored form; anything unknown is the least privileged role.
    pub fn from_stored(value: &str) -> Self {
        if value == "manager" {
            Self::Manager
        } else {
            Self::Support
        }
    }
}

/// One organisation a user works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Membership {
    /// Which organisation.
    pub organisation: OrganisationId,
    /// As what.
    pub role: MemberRole,
    /// Largest refund at once for a support agent, in the organisation's minor units;
    /// `None` is no refunds for an agent (managers are not limited).
    pub refund_limit_cents: Option<i64>,
}

/// The organisations a staff member's reads cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every organisation and the platform's own objects.
    All,
    /// Only these.
    Only(Vec<OrganisationId>),
}

impl Visibility {
    /// Whether an object owned by `owner` (`None`: the platform) is covered.
    pub fn covers(&self, owner: Option<OrganisationId>) -> bool {
        match (self, owner) {
            (Self::All, _) => true,
            (Self::Only(ids), Some(owner)) => ids.contains(&owner),
            (Self::Only(_), None) => false,
        }
    }
}

/// A signed-in member of staff: a platform admin or a member of one or more organisations.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Staff {
    user_id: UserId,
    platform: bool,
    memberships: Vec<Membership>,
}

impl Staff {
    /// Staff from a principal and its memberships; `Forbidden` for a buyer with none.
    pub fn new(
        principal: Principal,
        memberships: Vec<Membership>,
    ) -> Result<Self, OrganisationError> {
        let platform = principal.role == Role::Admin;
        if !platform && memberships.is_empty() {
            return Err(OrganisationError::Forbidden(
                "this needs a staff role in an organisation",
            ));
        }
        Ok(Self {
            user_id: principal.user_id,
            platform,
            memberships,
        })
    }

    /// Who, for audit fields.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// Whether this is a platform admin (every organisation).
    pub fn is_platform(&self) -> bool {
        self.platform
    }

    /// The organisations this user works for.
    pub fn memberships(&self) -> &[Membership] {
        &self.memberships
    }

    fn role_in(&self, organisation: OrganisationId) -> Option<&Membership> {
        self.memberships
            .iter()
            .find(|m| m.organisation == organisation)
    }

    /// `Forbidden` unless this is a platform admin.
    pub fn platform(&self) -> Result<(), OrganisationError> {
        if self.platform {
            Ok(())
        } else {
            Err(OrganisationError::Forbidden(
                "this needs the platform admin role",
            ))
        }
    }

    /// `Forbidden` unless the caller manages what `owner` owns (`None`: the platform's own).
    pub fn manage(&self, owner: Option<OrganisationId>) -> Result<(), OrganisationError> {
        if self.platform {
            return Ok(());
        }
        match owner.and_then(|o| self.role_in(o)) {
            Some(m) if m.role == MemberRole::Manager => Ok(()),
            Some(_) => Err(OrganisationError::Forbidden(
                "this needs the manager role in its organisation",
            )),
            None => Err(OrganisationError::Forbidden(
                "this belongs to another organisation",
            )),
        }
    }

    /// `Forbidden` unless the caller supports (or manages) what `owner` owns.
    pub fn support(&self, owner: Option<OrganisationId>) -> Result<(), OrganisationError> {
        if self.platform || owner.and_then(|o| self.role_in(o)).is_some() {
            Ok(())
        } else {
            Err(OrganisationError::Forbidden(
                "this belongs to another organisation",
            ))
        }
    }

    /// The largest refund the caller may issue on what `owner` owns: `None` is no limit
    /// (platform admins and managers), `Some(0)` is none at all.
    pub fn refund_limit(
        &self,
        owner: Option<OrganisationId>,
    ) -> Result<Option<i64>, OrganisationError> {
        self.support(owner)?;
        if self.platform {
            return Ok(None);
        }
        let member = owner.and_then(|o| self.role_in(o)).copied();
        Ok(match member {
            Some(m) if m.role == MemberRole::Manager => None,
            Some(m) => Some(m.refund_limit_cents.unwrap_or(0)),
            None => Some(0),
        })
    }

    /// The organisations whose management data (analytics, audit, staff) the caller reads.
    pub fn managed(&self) -> Visibility {
        self.visible(|m| m.role == MemberRole::Manager)
    }

    /// The organisations whose support data (tickets, bookings) the caller reads.
    pub fn supported(&self) -> Visibility {
        self.visible(|_| true)
    }

    fn visible(&self, keep: impl Fn(&Membership) -> bool) -> Visibility {
        if self.platform {
            return Visibility::All;
        }
        Visibility::Only(
            self.memberships
                .iter()
                .filter(|m| keep(m))
                .map(|m| m.organisation)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(org: OrganisationId, role: MemberRole, limit: Option<i64>) -> Staff {
        let principal = Principal {
            user_id: UserId::generate(),
            role: Role::Customer,
        };
        Staff::new(
            principal,
            vec![Membership {
                organisation: org,
                role,
                refund_limit_cents: limit,
            }],
        )
        .unwrap()
    }

    #[test]
    fn a_manager_manages_only_their_organisation() {
        let (own, other) = (OrganisationId::generate(), OrganisationId::generate());
        let staff = member(own, MemberRole::Manager, None);
        assert!(staff.manage(Some(own)).is_ok());
        assert!(staff.manage(Some(other)).is_err());
        assert!(staff.manage(None).is_err());
        assert!(staff.platform().is_err());
        assert_eq!(staff.managed(), Visibility::Only(vec![own]));
        assert!(!staff.managed().covers(Some(other)));
    }

    #[test]
    fn a_support_agent_supports_but_does_not_manage_and_refunds_up_to_the_limit() {
        let own = OrganisationId::generate();
        let staff = member(own, MemberRole::Support, Some(5_000));
        assert!(staff.support(Some(own)).is_ok());
        assert!(staff.manage(Some(own)).is_err());
        assert_eq!(staff.refund_limit(Some(own)).unwrap(), Some(5_000));
        assert!(
            staff
                .refund_limit(Some(OrganisationId::generate()))
                .is_err()
        );
        assert_eq!(staff.managed(), Visibility::Only(vec![]));
    }

    #[test]
    fn a_buyer_is_not_staff_and_a_platform_admin_sees_everything() {
        let buyer = Principal {
            user_id: UserId::generate(),
            role: Role::Customer,
        };
        assert!(Staff::new(buyer, vec![]).is_err());
        let admin = Staff::new(
            Principal {
                user_id: UserId::generate(),
                role: Role::Admin,
            },
            vec![],
        )
        .unwrap();
        assert!(admin.manage(None).is_ok());
        assert!(admin.manage(Some(OrganisationId::generate())).is_ok());
        assert_eq!(admin.refund_limit(None).unwrap(), None);
        assert_eq!(admin.supported(), Visibility::All);
    }
}
