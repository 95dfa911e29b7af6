//! The rate-limit cost of a GraphQL request, read from its parsed document before it runs:
//! every root field of the operation that will execute counts once in its class, so that
//! aliases (`a: logIn(…) b: logIn(…)`), fragments and batches cannot hide attempts.

use std::collections::HashMap;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Variables};
// The parser's values, which may be variables (async-graphql exports only constant ones).
use async_graphql_value::{ConstValue, Value};

/// Classes of root fields with limits of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CostClass {
    /// `logIn`: password guesses.
    Login,
    /// `signUp`: account creation.
    SignUp,
    /// `holdSeats`, `holdBestAvailable`.
    Hold,
    /// `checkout`.
    Checkout,
    /// `addReview`, `updateReview`.
    Review,
    /// `enterWaitingRoom`.
    WaitingRoom,
    /// `search`, `autocomplete`, `searchHelp`.
    Search,
    /// `giftCardBalance`: codes are guessed only by trying them.
    GiftCard,
    /// Every root field of a request without a signed-in account.
    Anonymous,
}

impl CostClass {
    /// Every class, in the order their limits are checked.
    pub const ALL: [Self; 9] = [
        Self::Login,
        Self::SignUp,
        Self::Hold,
        Self::Checkout,
        Self::Review,
        Self::WaitingRoom,
        Self::Search,
        Self::GiftCard,
        Self::Anonymous,
    ];

    /// The class's name in settings, keys and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::SignUp => "signup",
            Self::Hold => "hold",
            Self::Checkout => "checkout",
            Self::Review => "review",
            Self::WaitingRoom => "waiting_room",
            Self::Search => "search",
            Self::GiftCard => "gift_card",
            Self::Anonymous => "anonymous",
        }
    }

    /// The class of a root field, if it has one.
    pub fn of_field(name: &str) -> Option<Self> {
        Some(match name {
            "logIn" => Self::Login,
            "signUp" => Self::SignUp,
            "holdSeats" | "holdBestAvailable" => Self::Hold,
            "checkout" | "confirmCheckout" => Self::Checkout,
            "addReview" | "updateReview" => Self::Review,
            "enterWaitingRoom" => Self::WaitingRoom,
            "search" | "autocomplete" | "searchHelp" => Self::Search,
            "giftCardBalance" => Self::GiftCard,
            _ => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Root selections followed through fragments before counting stops: far more than any
/// real operation has; a document past it is charged what was counted so far, which is
/// already more than any limit allows.
const MAX_VISITS: usize = 10_000;
/// Fragments nested in fragments followed at most this deep (validation, which runs later,
/// refuses cycles; counting must stop on its own).
const MAX_NESTING: usize = 32;
/// Longest e-mail address kept as a bucket name.
const MAX_EMAIL: usize = 254;

/// The root fields of one request (a batch adds up its operations).
#[derive(Debug, Default, Clone)]
pub struct Costs {
    per_class: [u32; CostClass::ALL.len()],
    /// Root fields of every class, for the anonymous limit.
    pub fields: u32,
    /// `logIn` attempts per target address (lower case).
    pub login_targets: HashMap<String, u32>,
}

impl Costs {
    /// Root fields of `class`.
    pub fn of(&self, class: CostClass) -> u32 {
        self.per_class[class.index()]
    }

    /// Adds the operation of `doc` that a request with `operation_name` executes (all of
    /// them when that cannot be told, so that nothing escapes the count).
    pub fn add(
        &mut self,
        doc: &ExecutableDocument,
        operation_name: Option<&str>,
        vars: &Variables,
    ) {
        let chosen = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(op), None) => Some(&op.node),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
                ops.values().next().map(|op| &op.node)
            }
            _ => None,
        };
        let mut visits = 0;
        match chosen {
            Some(op) => self.add_operation(doc, op, vars, &mut visits),
            None => {
                for (_, op) in doc.operations.iter() {
                    self.add_operation(doc, &op.node, vars, &mut visits);
                }
            }
        }
    }

    /// Adds a request whose text does not parse: it runs nothing, but it is still one
    /// request for the anonymous limit.
    pub fn add_unreadable(&mut self) {
        self.fields = self.fields.saturating_add(1);
    }

    fn add_operation(
        &mut self,
        doc: &ExecutableDocument,
        op: &OperationDefinition,
        vars: &Variables,
        visits: &mut usize,
    ) {
        let defaults: HashMap<&Name, &ConstValue> = op
            .variable_definitions
            .iter()
            .filter_map(|d| {
                let value = d.node.default_value.as_ref()?;
                Some((&d.node.name.node, &value.node))
            })
            .collect();
        let ctx = Lookup { vars, defaults };
        self.add_selections(doc, &op.selection_set.node, &ctx, visits, 0);
    }

    fn add_selections(
        &mut self,
        doc: &ExecutableDocument,
        set: &SelectionSet,
        ctx: &Lookup<'_>,
        visits: &mut usize,
        nesting: usize,
    ) {
        if nesting > MAX_NESTING {
            return;
        }
        for item in &set.items {
            *visits += 1;
            if *visits > MAX_VISITS {
                return;
            }
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    self.fields = self.fields.saturating_add(1);
                    // A quote with a gift card code answers whether the code exists: it
                    // counts as a balance check.
                    if field.name.node.as_str() == "checkoutQuote"
                        && field.arguments.iter().any(|(name, value)| {
                            name.node.as_str() == "giftCardCode"
                                && ctx.string(&value.node).is_some()
                        })
                    {
                        let count = &mut self.per_class[CostClass::GiftCard.index()];
                        *count = count.saturating_add(1);
                    }
                    let Some(class) = CostClass::of_field(field.name.node.as_str()) else {
                        continue;
                    };
                    let count = &mut self.per_class[class.index()];
                    *count = count.saturating_add(1);
                    if class == CostClass::Login {
                        let email = field
                            .arguments
                            .iter()
                            .find(|(name, _)| name.node.as_str() == "email")
                            .and_then(|(_, value)| ctx.string(&value.node));
                        if let Some(email) = email {
                            let key: String = email
                                .trim()
                                .to_lowercase()
                                .chars()
                                .take(MAX_EMAIL)
                                .collect();
                            let n = self.login_targets.entry(key).or_default();
                            *n = n.saturating_add(1);
                        }
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                        self.add_selections(
                            doc,
                            &fragment.node.selection_set.node,
                            ctx,
                            visits,
                            nesting + 1,
                        );
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.add_selections(
                        doc,
                        &inline.node.selection_set.node,
                        ctx,
                        visits,
                        nesting + 1,
                    );
                }
            }
        }
    }
}

/// Variables of the request, then the operation's defaults.
struct Lookup<'a> {
    vars: &'a Variables,
    defaults: HashMap<&'a Name, &'a ConstValue>,
}

impl Lookup<'_> {
    fn string(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Variable(name) => match self.vars.get(name) {
                Some(ConstValue::String(s)) => Some(s.clone()),
                Some(_) => None,
                None => match self.defaults.get(name) {
                    Some(ConstValue::String(s)) => Some(s.clone()),
                    _ => None,
                },
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn costs(query: &str, name: Option<&str>, vars: serde_json::Value) -> Costs {
        let mut c = Costs::default();
        let doc = parse_query(query).unwrap();
        c.add(&doc, name, &Variables::from_json(vars));
        c
    }

    #[test]
    fn every_alias_of_a_root_field_counts_once() {
        let c = costs(
            r#"mutation { a: logIn(email: "A@x.io", password: "1") { token } b: logIn(email: "a@x.io", password: "2") { token } signUp(input: {}) { token } }"#,
            None,
            serde_json::json!({}),
        );
        assert_eq!(c.of(CostClass::Login), 2);
        assert_eq!(c.of(CostClass::SignUp), 1);
        assert_eq!(c.fields, 3);
        assert_eq!(c.login_targets.get("a@x.io"), Some(&2));
    }

    #[test]
    fn fragments_and_inline_fragments_are_followed() {
        let c = costs(
            r#"mutation M($e: String!) { ...F ... on Mutation { x: logIn(email: $e, password: "p") { token } } }
               fragment F on Mutation { y: logIn(email: $e, password: "p") { token } ...G }
               fragment G on Mutation { holdSeats(showtimeId: "1", seatIds: []) { id } }"#,
            Some("M"),
            serde_json::json!({ "e": "v@x.io" }),
        );
        assert_eq!(c.of(CostClass::Login), 2);
        assert_eq!(c.of(CostClass::Hold), 1);
        assert_eq!(c.login_targets.get("v@x.io"), Some(&2));
    }

    #[test]
    fn only_the_named_operation_counts_and_an_unclear_choice_counts_all() {
        let doc = r#"query A { search(query: "x") { __typename } } query B { autocomplete(prefix: "x") { __typename } me { id } }"#;
        assert_eq!(costs(doc, Some("B"), serde_json::json!({})).fields, 2);
        let all = costs(doc, None, serde_json::json!({}));
        assert_eq!(all.of(CostClass::Search), 2);
        assert_eq!(all.fields, 3);
    }

    #[test]
    fn a_fragment_cycle_stops_counting_at_the_bound() {
        let c = costs(
            "query { ...F } fragment F on Query { me { id } ...F }",
            None,
            serde_json::json!({}),
        );
        assert!(c.fields as usize <= MAX_NESTING + 1);
    }
}
