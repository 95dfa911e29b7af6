//! Help-center articles in the search index: published ones are documents of their own kind,
//! found only by a search that asks for them, so title searches and the search box never
//! mix them with movies.

use marquee_entity::help_articles;
use marquee_search::index::{Kind, SearchDoc, SearchRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{DiscoveryError, DiscoveryService};

fn article_doc(a: help_articles::Model) -> SearchDoc {
    SearchDoc {
        kind: Some(Kind::Article),
        id: a.id.to_string(),
        title: a.title,
        body: a.body,
        genres: vec![a.category],
        ..SearchDoc::default()
    }
}

/// Every published article.
pub(super) async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<SearchDoc>, DbErr> {
    Ok(help_articles::Entity::find()
        .filter(help_articles::Column::Published.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(article_doc)
        .collect())
}

/// The documents of some articles as they are now: (published, drafted or gone).
pub(super) async fn some<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<(Vec<SearchDoc>, Vec<(Kind, String)>), DbErr> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let found = help_articles::Entity::find()
        .filter(help_articles::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for id in ids {
        match found.iter().find(|a| a.id == *id && a.published) {
            Some(a) => docs.push(article_doc(a.clone())),
            None => gone.push((Kind::Article, id.to_string())),
        }
    }
    Ok((docs, gone))
}

impl DiscoveryService {
    /// Published help articles matching `text` (typos forgiven), best first, optionally of
    /// one category; their ids.
    pub async fn search_articles(
        &self,
        text: String,
        category: Option<String>,
        limit: usize,
    ) -> Result<Vec<Uuid>, DiscoveryError> {
        let mut request = SearchRequest {
            text,
            limit,
            ..SearchRequest::default()
        };
        request.filters.kinds = vec![Kind::Article];
        request.filters.genres = category.into_iter().collect();
        Ok(self
            .search(request)
            .await?
            .into_iter()
            .filter_map(|hit| Uuid::parse_str(&hit.id).ok())
            .collect())
    }
}
