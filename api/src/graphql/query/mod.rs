//! Query roots, one per area, merged into [`Query`].

mod accounts;
mod catalog;

use async_graphql::MergedObject;

/// Every query.
#[derive(MergedObject, Default)]
pub struct Query(accounts::AccountQuery, catalog::CatalogQuery);
