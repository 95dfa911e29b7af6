//! Organisations and who works for them.

use marquee_entity::{organisation_members, organisations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::accounts::Principal;
use crate::clock::SharedClock;
use crate::ids::OrganisationId;

use super::audit::{self, AuditEntry};
use super::invitation_mail::InvitationMail;
use super::{MemberRole, Membership, OrganisationError, Staff, Visibility};

/// An organisation as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organisation {
    /// Its id.
    pub id: OrganisationId,
    /// Display name.
    pub name: String,
    /// URL-safe unique name.
    pub slug: String,
    /// ISO 4217 currency of its prices.
    pub currency: String,
}

impl From<organisations::Model> for Organisation {
    fn from(m: organisations::Model) -> Self {
        Self {
            id: m.id.into(),
            name: m.name,
            slug: m.slug,
            currency: m.currency,
        }
    }
}

/// Creates organisations and resolves callers to their staff roles.
#[derive(Clone)]
pub struct OrganisationService {
    pub(super) db: DatabaseConnection,
    pub(super) clock: SharedClock,
    pub(super) invitations_mail: InvitationMail,
}

impl OrganisationService {
    /// Builds the service.
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        invitations_mail: InvitationMail,
    ) -> Self {
        Self {
            db,
            clock,
            invitations_mail,
        }
    }

    /// The caller's staff roles; `Forbidden` for a buyer who works for no organisation.
    pub async fn staff(&self, principal: Principal) -> Result<Staff, OrganisationError> {
        let memberships = organisation_members::Entity::find()
            .filter(organisation_members::Column::UserId.eq(principal.user_id.uuid()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| Membership {
                organisation: m.organisation_id.into(),
                role: MemberRole::from_stored(&m.role),
                refund_limit_cents: m.refund_limit_cents,
            })
            .collect();
        Staff::new(principal, memberships)
    }

    /// Opens an organisation (platform admins only).
    pub async fn create(
        &self,
        staff: &Staff,
        name: &str,
        slug: &str,
        currency: &str,
    ) -> Result<Organisation, OrganisationError> {
        staff.platform()?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(OrganisationError::invalid(
                "name",
                "must be between 1 and 120 characters",
            ));
        }
        let slug = slug.trim().to_ascii_lowercase();
        if slug.is_empty()
            || slug.len() > 60
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(OrganisationError::invalid(
                "slug",
                "must be 1 to 60 lower-case letters, digits or hyphens",
            ));
        }
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(OrganisationError::invalid(
                "currency",
                "must be a three-letter ISO 4217 code",
            ));
        }
        let taken = organisations::Entity::find()
            .filter(organisations::Column::Slug.eq(&slug))
            .one(&self.db)
            .await?;
        if taken.is_some() {
            return Err(OrganisationError::Conflict(format!(
                "the slug `{slug}` is taken"
            )));
        }
        let now = self.clock.now();
        let id = OrganisationId::generate();
        let model = organisations::ActiveModel {
            id: Set(id.uuid()),
            name: Set(name.to_owned()),
            slug: Set(slug),
            currency: Set(currency),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let txn = sea_orm::TransactionTrait::begin(&self.db).await?;
        let saved: Organisation = model.insert(&txn).await?.into();
        audit::record(
            &txn,
            // The platform's log: opening organisations is the platform admins' business.
            AuditEntry::new(
                None,
                staff.user_id(),
                "organisation.create",
                "organisation",
                Some(id.uuid()),
            )
            .after(&saved),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// The organisations the caller works for (every one, for a platform admin).
    pub async fn list(&self, staff: &Staff) -> Result<Vec<Organisation>, OrganisationError> {
        let mut query = organisations::Entity::find().order_by_asc(organisations::Column::Name);
        if let Visibility::Only(ids) = staff.supported() {
            query = query.filter(organisations::Column::Id.is_in(super::owners::uuids(&ids)));
        }
        Ok(query
            .all(&self.db)
            .await?
            .into_iter()
            .map(Organisation::from)
            .collect())
    }

    /// One organisation the caller works for.
    pub async fn get(
        &self,
        staff: &Staff,
        id: OrganisationId,
    ) -> Result<Organisation, OrganisationError> {
        staff.support(Some(id))?;
        organisations::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .map(Organisation::from)
            .ok_or(OrganisationError::NotFound("organisation"))
    }
}
