//! Staff of an organisation: invitations by email, acceptance, role changes, removal.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{
    organisation_invitations as invitations, organisation_members as members, users,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::accounts::{EmailAddress, Principal};
use crate::ids::{OrganisationId, UserId};

use super::audit::{self, AuditEntry};
use super::service::{Organisation, OrganisationService};
use super::{MemberRole, OrganisationError, Staff};

/// How long an invitation can be accepted.
const INVITATION_VALID_FOR: Duration = Duration::days(7);

/// Largest refund limit a manager may grant an agent (minor units): a typo guard.
const MAX_REFUND_LIMIT: i64 = 100_000_000;

/// A member of staff as managers see them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    /// The account.
    pub user_id: UserId,
    /// Its name.
    pub name: String,
    /// Its address.
    pub email: String,
    /// Role in the organisation.
    #[serde(serialize_with = "role_str")]
    pub role: MemberRole,
    /// Refund limit of a support agent (minor units).
    pub refund_limit_cents: Option<i64>,
    /// Since when.
    pub since: DateTime<Utc>,
}

fn role_str<S: serde::Serializer>(role: &MemberRole, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(role.as_str())
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its id.
    pub id: Uuid,
    /// Where it went.
    pub email: String,
    /// The role it grants.
    pub role: MemberRole,
    /// Refund limit it grants an agent.
    pub refund_limit_cents: Option<i64>,
    /// Until when it can be accepted.
    pub expires_at: DateTime<Utc>,
}

impl From<invitations::Model> for Invitation {
    fn from(m: invitations::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            role: MemberRole::from_stored(&m.role),
            refund_limit_cents: m.refund_limit_cents,
            expires_at: m.expires_at,
        }
    }
}

/// A new invitation and the secret its email carries (shown nowhere else).
#[derive(Debug, Clone)]
pub struct IssuedInvitation {
    /// The stored invitation.
    pub invitation: Invitation,
    /// The one-time token.
    pub token: String,
    /// Whether the email was handed to the mail server (invite again to resend).
    pub emailed: bool,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn new_token() -> Result<String, OrganisationError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        OrganisationError::Database(sea_orm::DbErr::Custom(format!("no randomness: {e}")))
    })?;
    Ok(hex::encode(bytes))
}

fn refund_limit(role: MemberRole, limit: Option<i64>) -> Result<Option<i64>, OrganisationError> {
    match (role, limit) {
        (MemberRole::Manager, _) => Ok(None),
        (MemberRole::Support, Some(l)) if !(0..=MAX_REFUND_LIMIT).contains(&l) => Err(
            OrganisationError::invalid("refundLimitCents", "must be between 0 and 100000000"),
        ),
        (MemberRole::Support, l) => Ok(Some(l.unwrap_or(0))),
    }
}

impl OrganisationService {
    /// The organisation's staff (its managers, and platform admins).
    pub async fn members(
        &self,
        staff: &Staff,
        org: OrganisationId,
    ) -> Result<Vec<Member>, OrganisationError> {
        staff.manage(Some(org))?;
        let rows = members::Entity::find()
            .filter(members::Column::OrganisationId.eq(org.uuid()))
            .order_by_asc(members::Column::CreatedAt)
            .find_also_related(users::Entity)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, u)| {
                let u = u?;
                Some(Member {
                    user_id: m.user_id.into(),
                    name: u.name,
                    email: u.email,
                    role: MemberRole::from_stored(&m.role),
                    refund_limit_cents: m.refund_limit_cents,
                    since: m.created_at,
                })
            })
            .collect())
    }

    /// Invitations of the organisation still open.
    pub async fn invitations(
        &self,
        staff: &Staff,
        org: OrganisationId,
    ) -> Result<Vec<Invitation>, OrganisationError> {
        staff.manage(Some(org))?;
        Ok(invitations::Entity::find()
            .filter(invitations::Column::OrganisationId.eq(org.uuid()))
            .filter(invitations::Column::AcceptedAt.is_null())
            .filter(invitations::Column::ExpiresAt.gt(self.clock.now()))
            .order_by_desc(invitations::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Invitation::from)
            .collect())
    }

    /// Invites `email` as `role`; inviting the same address again replaces the open
    /// invitation (a new link, the old one stops working).
    pub async fn invite(
        &self,
        staff: &Staff,
        org: OrganisationId,
        email: &str,
        role: MemberRole,
        limit: Option<i64>,
    ) -> Result<IssuedInvitation, OrganisationError> {
        staff.manage(Some(org))?;
        let organisation = self.get(staff, org).await?;
        let email = EmailAddress::parse(email)
            .map_err(|e| OrganisationError::invalid("email", e.to_string()))?;
        let limit = refund_limit(role, limit)?;
        let now = self.clock.now();
        let token = new_token()?;
        let txn = self.db.begin().await?;
        invitations::Entity::delete_many()
            .filter(invitations::Column::OrganisationId.eq(org.uuid()))
            .filter(invitations::Column::Email.eq(email.as_str()))
            .filter(invitations::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        let saved = invitations::ActiveModel {
            id: Set(Uuid::now_v7()),
            organisation_id: Set(org.uuid()),
            email: Set(email.as_str().to_owned()),
            role: Set(role.as_str().to_owned()),
            refund_limit_cents: Set(limit),
            token_hash: Set(token_hash(&token)),
            invited_by: Set(staff.user_id().uuid()),
            created_at: Set(now),
            expires_at: Set(now + INVITATION_VALID_FOR),
            accepted_at: Set(None),
            accepted_by: Set(None),
        }
        .insert(&txn)
        .await?;
        let entry = AuditEntry::new(
            Some(org),
            staff.user_id(),
            "member.invite",
            "invitation",
            Some(saved.id),
        )
        .after(&serde_json::json!({
            "email": saved.email, "role": saved.role, "refundLimitCents": saved.refund_limit_cents,
        }));
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        let emailed = self
            .invitations_mail
            .send(
                &organisation,
                email.as_str(),
                role,
                &token,
                saved.expires_at,
            )
            .await;
        Ok(IssuedInvitation {
            invitation: saved.into(),
            token,
            emailed,
        })
    }

    /// Accepts an invitation as the signed-in user, whose address must be the one invited.
    pub async fn accept(
        &self,
        principal: Principal,
        token: &str,
    ) -> Result<Organisation, OrganisationError> {
        let now = self.clock.now();
        let invalid = || {
            OrganisationError::invalid(
                "token",
                "this invitation is not valid (used, replaced or expired)",
            )
        };
        // Read before the transaction, which starts with the claim: on SQLite a transaction
        // that has read cannot become a writer once another connection has committed.
        let invitation = invitations::Entity::find()
            .filter(invitations::Column::TokenHash.eq(token_hash(token)))
            .one(&self.db)
            .await?
            .filter(|i| i.accepted_at.is_none() && i.expires_at > now)
            .ok_or_else(invalid)?;
        let user = users::Entity::find_by_id(principal.user_id.uuid())
            .one(&self.db)
            .await?
            .ok_or(OrganisationError::NotFound("user"))?;
        if user.email != invitation.email {
            return Err(OrganisationError::Forbidden(
                "this invitation was sent to another e-mail address",
            ));
        }
        // Claimed once: two acceptances racing add one member.
        let txn = self.db.begin().await?;
        let claimed = invitations::Entity::update_many()
            .col_expr(invitations::Column::AcceptedAt, now.into())
            .col_expr(
                invitations::Column::AcceptedBy,
                principal.user_id.uuid().into(),
            )
            .filter(invitations::Column::Id.eq(invitation.id))
            .filter(invitations::Column::AcceptedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(invalid());
        }
        let existing = members::Entity::find()
            .filter(members::Column::OrganisationId.eq(invitation.organisation_id))
            .filter(members::Column::UserId.eq(user.id))
            .one(&txn)
            .await?;
        let entry = AuditEntry::new(
            Some(invitation.organisation_id.into()),
            principal.user_id,
            "member.join",
            "member",
            Some(user.id),
        );
        let entry = match existing {
            Some(current) => {
                let before = serde_json::json!({ "role": current.role, "refundLimitCents": current.refund_limit_cents });
                let mut m: members::ActiveModel = current.into();
                m.role = Set(invitation.role.clone());
                m.refund_limit_cents = Set(invitation.refund_limit_cents);
                m.update(&txn).await?;
                entry.before(&before)
            }
            None => {
                members::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    organisation_id: Set(invitation.organisation_id),
                    user_id: Set(user.id),
                    role: Set(invitation.role.clone()),
                    refund_limit_cents: Set(invitation.refund_limit_cents),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
                entry
            }
        };
        let entry = entry.after(&serde_json::json!({
            "role": invitation.role, "refundLimitCents": invitation.refund_limit_cents,
        }));
        audit::record(&txn, entry, now).await?;
        let organisation =
            marquee_entity::organisations::Entity::find_by_id(invitation.organisation_id)
                .one(&txn)
                .await?
                .ok_or(OrganisationError::NotFound("organisation"))?;
        txn.commit().await?;
        Ok(organisation.into())
    }

    /// Changes a member's role or refund limit.
    pub async fn update_member(
        &self,
        staff: &Staff,
        org: OrganisationId,
        user: UserId,
        role: MemberRole,
        limit: Option<i64>,
    ) -> Result<Member, OrganisationError> {
        staff.manage(Some(org))?;
        let limit = refund_limit(role, limit)?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let current = self.member_row(&txn, org, user).await?;
        if current.role == MemberRole::Manager.as_str() && role != MemberRole::Manager {
            self.keep_a_manager(&txn, org).await?;
        }
        let before = serde_json::json!({ "role": current.role, "refundLimitCents": current.refund_limit_cents });
        let mut m: members::ActiveModel = current.into();
        m.role = Set(role.as_str().to_owned());
        m.refund_limit_cents = Set(limit);
        let saved = m.update(&txn).await?;
        let entry = AuditEntry::new(Some(org), staff.user_id(), "member.update", "member", Some(user.uuid()))
            .before(&before)
            .after(&serde_json::json!({ "role": saved.role, "refundLimitCents": saved.refund_limit_cents }));
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        self.members(staff, org)
            .await?
            .into_iter()
            .find(|m| m.user_id == user)
            .ok_or(OrganisationError::NotFound("member"))
    }

    /// Removes a member; the last manager stays.
    pub async fn remove_member(
        &self,
        staff: &Staff,
        org: OrganisationId,
        user: UserId,
    ) -> Result<(), OrganisationError> {
        staff.manage(Some(org))?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let current = self.member_row(&txn, org, user).await?;
        if current.role == MemberRole::Manager.as_str() {
            self.keep_a_manager(&txn, org).await?;
        }
        let before = serde_json::json!({ "role": current.role, "refundLimitCents": current.refund_limit_cents });
        members::Entity::delete_by_id(current.id).exec(&txn).await?;
        let entry = AuditEntry::new(
            Some(org),
            staff.user_id(),
            "member.remove",
            "member",
            Some(user.uuid()),
        )
        .before(&before);
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn member_row(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        org: OrganisationId,
        user: UserId,
    ) -> Result<members::Model, OrganisationError> {
        members::Entity::find()
            .filter(members::Column::OrganisationId.eq(org.uuid()))
            .filter(members::Column::UserId.eq(user.uuid()))
            .one(txn)
            .await?
            .ok_or(OrganisationError::NotFound("member"))
    }

    /// `Conflict` unless another manager remains (checked under the members' lock on
    /// PostgreSQL; two managers demoting each other at once on SQLite are serialised by its
    /// single writer).
    async fn keep_a_manager(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        org: OrganisationId,
    ) -> Result<(), OrganisationError> {
        use sea_orm::{ConnectionTrait, QuerySelect};
        let mut query = members::Entity::find()
            .filter(members::Column::OrganisationId.eq(org.uuid()))
            .filter(members::Column::Role.eq(MemberRole::Manager.as_str()));
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            query = query.lock_exclusive();
        }
        let managers = query.all(txn).await?.len();
        if managers < 2 {
            return Err(OrganisationError::Conflict(
                "an organisation keeps at least one manager".into(),
            ));
        }
        Ok(())
    }
}
