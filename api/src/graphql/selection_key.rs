//! A selection written as a key: the fields asked for under their response names, nested.
//! Renderings kept for one selection are found again by it; a selection with anything a
//! kept rendering cannot stand for (an argument, a directive, a fragment, a field not
//! allowed) has no key and is resolved per request.

use async_graphql::Positioned;
use async_graphql::parser::types::{Selection, SelectionSet};

/// What a field of a type is to a kept rendering: `None` when not allowed, `Some(None)` a
/// leaf, `Some(Some(type))` an object of that type whose own fields are checked in turn.
pub(super) type Allowed = fn(ty: &str, field: &str) -> Option<Option<&'static str>>;

/// Writes `set`, of type `ty`, into `key`; whether `allowed` admits every field in it and
/// it has no argument, directive or fragment.
pub(super) fn write(
    set: &Positioned<SelectionSet>,
    ty: &str,
    allowed: Allowed,
    key: &mut String,
) -> bool {
    for item in &set.node.items {
        let Selection::Field(field) = &item.node else {
            return false;
        };
        let field = &field.node;
        if !field.arguments.is_empty() || !field.directives.is_empty() {
            return false;
        }
        let Some(child) = allowed(ty, field.name.node.as_str()) else {
            return false;
        };
        key.push_str(field.response_key().node.as_str());
        key.push(':');
        key.push_str(field.name.node.as_str());
        match (child, field.selection_set.node.items.is_empty()) {
            (None, true) => {}
            (Some(child), false) => {
                key.push('{');
                if !write(&field.selection_set, child, allowed, key) {
                    return false;
                }
                key.push('}');
            }
            _ => return false,
        }
        key.push(' ');
    }
    true
}
