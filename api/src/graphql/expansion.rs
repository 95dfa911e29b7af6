//! How many field selections a document stands for once its fragment spreads are expanded.
//! Fragments may spread other fragments several times each, so a short text can stand for
//! billions of fields ("a fragment fan": each fragment spreads the next twice); validation
//! and execution walk the expansion, so such a text must be refused before either runs.
//! Sizes are computed once per fragment, so this costs time linear in the text.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Field selections a document may stand for: far above every operation of the apps (a
/// seat map with its showtime and titles selects well under a hundred), far below what
/// makes validation slow.
pub const MAX_EXPANDED_FIELDS: usize = 5_000;

/// The document stands for more field selections than allowed (or spreads a fragment
/// into itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// Checks every operation of `doc` against [`MAX_EXPANDED_FIELDS`].
pub fn check(doc: &ExecutableDocument) -> Result<usize, TooLarge> {
    let mut sizes = Sizes {
        doc,
        known: HashMap::new(),
    };
    let mut total = 0usize;
    for (_, op) in doc.operations.iter() {
        total = total.saturating_add(sizes.of_set(&op.node.selection_set.node)?);
        if total > MAX_EXPANDED_FIELDS {
            return Err(TooLarge);
        }
    }
    Ok(total)
}

struct Sizes<'a> {
    doc: &'a ExecutableDocument,
    /// Each fragment's expanded size; `None` while it is being expanded (a cycle).
    known: HashMap<&'a str, Option<usize>>,
}

impl<'a> Sizes<'a> {
    fn of_set(&mut self, set: &'a SelectionSet) -> Result<usize, TooLarge> {
        let mut size = 0usize;
        for item in &set.items {
            let more = match &item.node {
                Selection::Field(field) => {
                    1usize.saturating_add(self.of_set(&field.node.selection_set.node)?)
                }
                Selection::InlineFragment(inline) => {
                    self.of_set(&inline.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.of_fragment(spread.node.fragment_name.node.as_str())?
                }
            };
            size = size.saturating_add(more);
            if size > MAX_EXPANDED_FIELDS {
                return Err(TooLarge);
            }
        }
        Ok(size)
    }

    fn of_fragment(&mut self, name: &'a str) -> Result<usize, TooLarge> {
        match self.known.get(name) {
            Some(Some(size)) => return Ok(*size),
            Some(None) => return Err(TooLarge),
            None => {}
        }
        // An unknown fragment is validation's to refuse; it stands for nothing here.
        let Some((key, fragment)) = self.doc.fragments.get_key_value(name) else {
            return Ok(0);
        };
        self.known.insert(key.as_str(), None);
        let size = self.of_set(&fragment.node.selection_set.node)?;
        self.known.insert(key.as_str(), Some(size));
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn fan(depth: usize) -> String {
        let mut text = String::from("query { ...F0 }\n");
        for i in 0..depth {
            text.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        text.push_str(&format!("fragment F{depth} on Query {{ me {{ id }} }}\n"));
        text
    }

    #[test]
    fn an_operation_of_the_apps_is_counted_in_full() {
        let doc = parse_query(
            "query($s: ID!) { showtime(id: $s) { id ...Map } } fragment Map on Showtime { seatMap { seats { id status } } }",
        )
        .unwrap();
        assert_eq!(check(&doc), Ok(6));
    }

    #[test]
    fn a_fragment_fan_is_refused_in_time_linear_in_its_text() {
        assert_eq!(check(&parse_query(fan(10)).unwrap()), Ok(2 * 1024));
        assert_eq!(check(&parse_query(fan(12)).unwrap()), Err(TooLarge));
        // 2^200 fields: refused after a few hundred fragments are sized.
        assert_eq!(check(&parse_query(fan(200)).unwrap()), Err(TooLarge));
    }

    #[test]
    fn a_fragment_spread_into_itself_is_refused() {
        let doc = parse_query(
            "query { ...A } fragment A on Query { me { id } ...B } fragment B on Query { ...A }",
        )
        .unwrap();
        assert_eq!(check(&doc), Err(TooLarge));
    }
}
