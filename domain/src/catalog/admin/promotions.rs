//! Promotion codes.

use marquee_entity::promotions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::db::is_unique_violation;
use crate::ids::PromotionId;
use crate::money::{Currency, PriceCents};
use crate::organisations::{Staff, Visibility, audit};
use crate::page::{Page, PageRequest, newest_first_after, newest_first_page};

use super::super::validate::optional_text;
use super::super::{CatalogError, Promotion};
use super::inputs::PromotionInput;
use super::{CatalogAdmin, audited};

impl CatalogAdmin {
    /// Creates a promotion code.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_promotion(
        &self,
        staff: &Staff,
        input: PromotionInput,
    ) -> Result<Promotion, CatalogError> {
        let owner = self.owner_for_new(staff, input.organisation).await?;
        let code = input.code.trim().to_uppercase();
        if !(3..=32).contains(&code.len())
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(CatalogError::invalid(
                "code",
                "use 3-32 letters, digits, hyphens or underscores",
            ));
        }
        let currency = match input.kind.as_str() {
            "percent" if (1..=100).contains(&input.value) => None,
            "percent" => return Err(CatalogError::invalid("value", "a percentage must be 1-100")),
            "fixed" => {
                PriceCents::parse(input.value)
                    .ok()
                    .filter(|p| p.cents() > 0)
                    .ok_or_else(|| {
                        CatalogError::invalid("value", "a fixed discount must be a positive amount")
                    })?;
                let c = input.currency.as_deref().ok_or_else(|| {
                    CatalogError::invalid("currency", "a fixed discount needs a currency")
                })?;
                Some(
                    Currency::parse(c)
                        .map_err(|e| CatalogError::invalid("currency", e.to_string()))?
                        .as_str()
                        .to_owned(),
                )
            }
            _ => return Err(CatalogError::invalid("kind", "must be percent or fixed")),
        };
        if input.ends_at <= input.starts_at {
            return Err(CatalogError::invalid("endsAt", "must be after startsAt"));
        }
        for (field, v) in [
            ("maxUses", input.max_uses),
            ("maxUsesPerUser", input.max_uses_per_user),
        ] {
            if v.is_some_and(|n| n < 1) {
                return Err(CatalogError::invalid(field, "must be at least 1"));
            }
        }
        let model = promotions::ActiveModel {
            id: Set(PromotionId::generate().uuid()),
            code: Set(code),
            description: Set(optional_text("description", &input.description, 500)?),
            kind: Set(input.kind),
            value: Set(input.value),
            currency: Set(currency),
            starts_at: Set(crate::clock::to_micros(input.starts_at)),
            ends_at: Set(crate::clock::to_micros(input.ends_at)),
            max_uses: Set(input.max_uses),
            max_uses_per_user: Set(input.max_uses_per_user),
            uses: Set(0),
            created_at: Set(self.clock.now()),
            organisation_id: Set(owner.map(|o| o.uuid())),
        };
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let saved = match model.insert(&txn).await {
            Ok(m) => m,
            Err(e) if is_unique_violation(&e) => {
                return Err(CatalogError::invalid("code", "this code already exists"));
            }
            Err(e) => return Err(e.into()),
        };
        let entry = audited(
            staff,
            saved.organisation_id,
            "promotion.create",
            "promotion",
            saved.id,
        )
        .after(&saved);
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(saved.into())
    }

    /// The promotion codes the caller manages, newest first, expired ones included.
    pub async fn list_promotions(
        &self,
        staff: &Staff,
        page: &PageRequest,
    ) -> Result<Page<Promotion>, CatalogError> {
        let size = page.size()?;
        let mut q = promotions::Entity::find();
        if let Visibility::Only(ids) = staff.managed() {
            q = q.filter(promotions::Column::OrganisationId.is_in(ids.iter().map(|id| id.uuid())));
        }
        if let Some(before) = newest_first_after(
            page.after.as_deref(),
            promotions::Column::CreatedAt,
            promotions::Column::Id,
        )? {
            q = q.filter(before);
        }
        let rows = q
            .order_by_desc(promotions::Column::CreatedAt)
            .order_by_desc(promotions::Column::Id)
            .limit(size + 1)
            .all(&self.db)
            .await?;
        Ok(newest_first_page(
            rows,
            size,
            |m| (m.created_at, m.id),
            Promotion::from,
        ))
    }
}
