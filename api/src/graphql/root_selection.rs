//! The fields an operation runs at its root: its own, and those of its inline fragments and
//! named fragments (each followed once, so a fragment that spreads itself ends).

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};

/// Every root field of `root` in `doc`, fragments followed.
pub(crate) fn root_fields<'a>(
    doc: &'a ExecutableDocument,
    root: &'a SelectionSet,
) -> Vec<&'a Field> {
    let mut fields = Vec::new();
    let mut followed = HashSet::new();
    let mut pending = vec![root];
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => fields.push(&field.node),
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if followed.insert(name.as_str())
                        && let Some(fragment) = doc.fragments.get(name)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    fields
}
