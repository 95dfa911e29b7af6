//! Parsed operations kept by their text. Apps send the same few operation texts over and
//! over with other variables, and parsing is a large part of a small request's cost (a
//! search spent an eighth of the server's CPU in the GraphQL parser). A document depends
//! on the text alone, so one parse serves every request with the same text.

use std::sync::Arc;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ErrorExtensionValues, ServerError};
use moka::sync::Cache;

/// Distinct operation texts kept; beyond, the least used go first (a client making up new
/// texts costs a parse each, as without it, and does not push out the apps' texts).
const KEPT: u64 = 1_024;
/// Longer texts are parsed every time: apps' operations are far shorter, and a huge text
/// should not pin memory.
const LONGEST_KEPT: usize = 16 * 1024;

/// Operation texts and their parsed documents.
pub struct ParsedQueries {
    kept: Cache<Arc<str>, ExecutableDocument>,
}

impl Default for ParsedQueries {
    fn default() -> Self {
        Self {
            kept: Cache::new(KEPT),
        }
    }
}

impl ParsedQueries {
    /// The document of `query`, parsed once per distinct text; a text that does not parse
    /// is a `GRAPHQL_PARSE_FAILED` error.
    pub fn parse(&self, query: &str) -> Result<ExecutableDocument, ServerError> {
        if let Some(doc) = self.kept.get(query) {
            return Ok(doc);
        }
        let doc = parse_query(query).map_err(|e| coded(e.to_string(), "GRAPHQL_PARSE_FAILED"))?;
        // Refused before validation, which would walk every expanded field.
        if super::expansion::check(&doc).is_err() {
            return Err(coded(
                format!(
                    "the operation stands for more than {} fields once its fragments are \
                     expanded, or spreads a fragment into itself",
                    super::expansion::MAX_EXPANDED_FIELDS
                ),
                "GRAPHQL_VALIDATION_FAILED",
            ));
        }
        if query.len() <= LONGEST_KEPT {
            self.kept.insert(Arc::from(query), doc.clone());
        }
        Ok(doc)
    }

    /// Distinct texts kept now.
    pub fn len(&self) -> u64 {
        self.kept.run_pending_tasks();
        self.kept.entry_count()
    }

    /// Whether no text is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn coded(message: String, code: &str) -> ServerError {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_parsed_once_and_its_document_reused() {
        let parsed = ParsedQueries::default();
        let a = parsed
            .parse("query A($x: ID!) { showtime(id: $x) { id } }")
            .unwrap();
        let again = parsed
            .parse("query A($x: ID!) { showtime(id: $x) { id } }")
            .unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(a.operations.iter().count(), again.operations.iter().count());
        parsed.parse("{ me { id } }").unwrap();
        assert_eq!(parsed.len(), 2);
    }

    #[test]
    fn a_text_that_does_not_parse_is_a_coded_error_and_is_not_kept() {
        let parsed = ParsedQueries::default();
        let err = parsed.parse("{ showtime(").unwrap_err();
        let code = err.extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(
            code,
            Some(async_graphql::Value::String("GRAPHQL_PARSE_FAILED".into()))
        );
        assert!(parsed.is_empty());
    }

    #[test]
    fn the_kept_texts_stay_bounded() {
        let parsed = ParsedQueries::default();
        for i in 0..(KEPT + 10) {
            parsed.parse(&format!("{{ a{i}: me {{ id }} }}")).unwrap();
        }
        assert!(parsed.len() <= KEPT);
        let long = format!("{{ me {{ id }} }}{}", " ".repeat(LONGEST_KEPT));
        parsed.parse(&long).unwrap();
        assert!(parsed.len() <= KEPT);
        assert!(parsed.kept.iter().all(|(k, _)| k.len() <= LONGEST_KEPT));
    }
}
