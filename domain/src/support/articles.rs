//! Help-center articles: staff write them (platform admins the platform's, managers their
//! organisation's), buyers read and search the published ones. Every write is audited and
//! announced on the change feed, which keeps the search index current.

use chrono::{DateTime, Utc};
use marquee_entity::help_articles;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::{
    ARTICLE_CATEGORIES, Article, ArticleInput, MAX_BODY, SupportError, SupportService, text,
};
use crate::events::{catalog_changed_row, insert_catalog_row};
use crate::ids::{ArticleId, OrganisationId};
use crate::organisations::audit::{self, AuditEntry};
use crate::organisations::{Staff, Visibility};

/// Longest article, in characters.
const MAX_ARTICLE: usize = 20_000;

struct Checked {
    category: String,
    title: String,
    body: String,
    published: bool,
}

fn check(input: ArticleInput) -> Result<Checked, SupportError> {
    let category = input.category.trim().to_ascii_lowercase();
    if !ARTICLE_CATEGORIES.contains(&category.as_str()) {
        return Err(SupportError::invalid(
            "category",
            format!("must be one of {}", ARTICLE_CATEGORIES.join(", ")),
        ));
    }
    Ok(Checked {
        category,
        title: text("title", &input.title, 200)?,
        body: text("body", &input.body, MAX_ARTICLE.max(MAX_BODY))?,
        published: input.published,
    })
}

impl SupportService {
    /// Writes a new article for `organisation` (`None`: the platform's).
    #[tracing::instrument(skip_all, err)]
    pub async fn create_article(
        &self,
        staff: &Staff,
        organisation: Option<OrganisationId>,
        input: ArticleInput,
    ) -> Result<Article, SupportError> {
        staff.manage(organisation)?;
        let input = check(input)?;
        let now = self.clock.now();
        let id = ArticleId::generate();
        let txn = self.db.begin().await?;
        let saved: Article = help_articles::ActiveModel {
            id: Set(id.uuid()),
            organisation_id: Set(organisation.map(OrganisationId::uuid)),
            category: Set(input.category),
            title: Set(input.title),
            body: Set(input.body),
            published: Set(input.published),
            author_id: Set(Some(staff.user_id().uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?
        .into();
        audit::record(
            &txn,
            AuditEntry::new(
                organisation,
                staff.user_id(),
                "help_article.create",
                "help_article",
                Some(id.uuid()),
            )
            .after(&saved),
            now,
        )
        .await?;
        insert_catalog_row(&txn, catalog_changed_row("article", id.uuid(), now)).await?;
        txn.commit().await?;
        self.outbox_wake.notify_one();
        Ok(saved)
    }

    /// Rewrites an article (publishing or withdrawing it too).
    #[tracing::instrument(skip_all, fields(article_id = %id), err)]
    pub async fn update_article(
        &self,
        staff: &Staff,
        id: ArticleId,
        input: ArticleInput,
    ) -> Result<Article, SupportError> {
        let input = check(input)?;
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Written first, so SQLite takes its write lock before the read (see the tickets).
        help_articles::Entity::update_many()
            .col_expr(
                help_articles::Column::UpdatedAt,
                Expr::col(help_articles::Column::UpdatedAt),
            )
            .filter(help_articles::Column::Id.eq(id.uuid()))
            .exec(&txn)
            .await?;
        let row = help_articles::Entity::find_by_id(id.uuid())
            .one(&txn)
            .await?
            .ok_or(SupportError::NotFound("help article"))?;
        let owner = row.organisation_id.map(OrganisationId::from);
        if !staff.managed().covers(owner) {
            return Err(SupportError::NotFound("help article"));
        }
        staff.manage(owner)?;
        let before = Article::from(row.clone());
        let mut model = row.into_active_model();
        model.category = Set(input.category);
        model.title = Set(input.title);
        model.body = Set(input.body);
        model.published = Set(input.published);
        model.updated_at = Set(now);
        let after: Article = model.update(&txn).await?.into();
        audit::record(
            &txn,
            AuditEntry::new(
                owner,
                staff.user_id(),
                "help_article.update",
                "help_article",
                Some(id.uuid()),
            )
            .before(&before)
            .after(&after),
            now,
        )
        .await?;
        insert_catalog_row(&txn, catalog_changed_row("article", id.uuid(), now)).await?;
        txn.commit().await?;
        self.outbox_wake.notify_one();
        Ok(after)
    }

    /// A published article.
    pub async fn article(&self, id: ArticleId) -> Result<Article, SupportError> {
        help_articles::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await?
            .filter(|a| a.published)
            .map(Article::from)
            .ok_or(SupportError::NotFound("help article"))
    }

    /// Published articles, by category then title.
    pub async fn articles(
        &self,
        category: Option<String>,
        limit: u64,
    ) -> Result<Vec<Article>, SupportError> {
        let mut query =
            help_articles::Entity::find().filter(help_articles::Column::Published.eq(true));
        if let Some(category) = category {
            query = query.filter(help_articles::Column::Category.eq(category.to_ascii_lowercase()));
        }
        Ok(query
            .order_by_asc(help_articles::Column::Category)
            .order_by_asc(help_articles::Column::Title)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Article::from)
            .collect())
    }

    /// Every article the caller manages, drafts included.
    pub async fn articles_for_staff(&self, staff: &Staff) -> Result<Vec<Article>, SupportError> {
        let mut query = help_articles::Entity::find();
        if let Visibility::Only(ids) = staff.managed() {
            query = query.filter(
                help_articles::Column::OrganisationId
                    .is_in(ids.iter().map(|id| id.uuid()).collect::<Vec<_>>()),
            );
        }
        Ok(query
            .order_by_asc(help_articles::Column::Category)
            .order_by_asc(help_articles::Column::Title)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Article::from)
            .collect())
    }

    /// Published articles matching `text` through the search index, best first.
    pub async fn search_articles(
        &self,
        text: &str,
        category: Option<String>,
        limit: usize,
    ) -> Result<Vec<Article>, SupportError> {
        let ids = self
            .discovery
            .search_articles(text.to_owned(), category, limit)
            .await?;
        let found = help_articles::Entity::find()
            .filter(help_articles::Column::Id.is_in(ids.clone()))
            .filter(help_articles::Column::Published.eq(true))
            .all(&self.db)
            .await?;
        // In the index's order; one withdrawn since it was indexed is left out.
        Ok(ids
            .into_iter()
            .filter_map(|id| found.iter().find(|a| a.id == id).cloned())
            .map(Article::from)
            .collect())
    }
}

/// The frequently asked questions every new platform starts with.
const FAQ: [(&str, &str, &str); 4] = [
    (
        "refunds",
        "How do refunds work?",
        "Cancel a confirmed booking from My bookings. Up to a day before the show you get the whole price back; up to two hours before, half. Refunds reach your card in 5 to 10 business days. If the theatre cancels a show, you are refunded in full automatically.",
    ),
    (
        "lost-tickets",
        "I lost my tickets",
        "Your tickets are always in My bookings, with a QR code for each seat, and in the confirmation email. Show the code at the door from your phone; a printed copy works too. If you cannot find the email, check your spam folder or open a support ticket about the booking.",
    ),
    (
        "accessibility",
        "Wheelchair and companion seats",
        "Accessible seats and companion seats are marked on the seat map. Choose an accessible seat and the companion seat beside it in the same booking. Theatres keep step-free access to these seats; ask the theatre through a support ticket about hearing loops or other needs.",
    ),
    (
        "payments",
        "My payment failed",
        "If your bank declines a payment, your seats are released and you are not charged. Try another card, or complete the bank's security check (3-D Secure) when asked. A charge that shows without a confirmation is refunded automatically within a few minutes.",
    ),
];

/// Writes the platform's starting FAQ articles (the demo data), announced like any other.
pub async fn seed_help_articles(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, sea_orm::DbErr> {
    for (category, title, body) in FAQ {
        let id = ArticleId::generate();
        help_articles::ActiveModel {
            id: Set(id.uuid()),
            organisation_id: Set(None),
            category: Set(category.to_owned()),
            title: Set(title.to_owned()),
            body: Set(body.to_owned()),
            published: Set(true),
            author_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
        insert_catalog_row(conn, catalog_changed_row("article", id.uuid(), now)).await?;
    }
    Ok(FAQ.len())
}
