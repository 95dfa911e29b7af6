use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::catalog;

/// A discount code.
#[derive(SimpleObject)]
pub struct Promotion {
    /// Id.
    pub id: ID,
    /// The organisation whose showtimes it applies to; none: every showtime.
    pub organisation_id: Option<ID>,
    /// The code buyers type.
    pub code: String,
    /// Description.
    pub description: String,
    /// `percent` or `fixed`.
    pub kind: String,
    /// Percent, or minor units for a fixed discount.
    pub value: i64,
    /// Currency of a fixed discount.
    pub currency: Option<String>,
    /// Valid from.
    pub starts_at: DateTime<Utc>,
    /// Valid until.
    pub ends_at: DateTime<Utc>,
    /// Total uses allowed.
    pub max_uses: Option<i32>,
    /// Uses allowed per buyer.
    pub max_uses_per_user: Option<i32>,
}

impl From<catalog::Promotion> for Promotion {
    fn from(p: catalog::Promotion) -> Self {
        Self {
            id: ID(p.id.to_string()),
            organisation_id: p.organisation.map(|o| ID(o.to_string())),
            code: p.code,
            description: p.description,
            kind: p.kind,
            value: p.value,
            currency: p.currency,
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            max_uses: p.max_uses,
            max_uses_per_user: p.max_uses_per_user,
        }
    }
}
