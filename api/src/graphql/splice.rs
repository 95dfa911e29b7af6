//! Parts of a response written as JSON once and copied into every response that carries
//! them. A seat map of three hundred seats is the same for every buyer between two
//! changes; cloning its resolved value and encoding it again for each of a thousand
//! requests a second cost more than the rest of those requests. Over HTTP, a resolver
//! that has such a part answers a placeholder (a string no one else can write: it names
//! this process's secret) and leaves the part's JSON here; the response, once encoded,
//! gets the part's JSON where the placeholder stands. Where no `Splices` is given (the
//! WebSocket), the resolver answers the value itself.

use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::Value;

/// Placeholders begin with this, then the process's secret, then the part's number.
const MARK: &str = "@part-";

/// A secret of this process: user input cannot name a placeholder without it.
fn secret() -> &'static str {
    static SECRET: OnceLock<String> = OnceLock::new();
    SECRET.get_or_init(|| uuid::Uuid::new_v4().simple().to_string())
}

/// A value and its JSON, encoded the first time a response needs it.
pub struct Part {
    value: Value,
    json: OnceLock<Arc<str>>,
}

impl Part {
    pub fn new(value: Value) -> Self {
        Self {
            value,
            json: OnceLock::new(),
        }
    }

    fn json(&self) -> Arc<str> {
        self.json
            .get_or_init(|| {
                serde_json::to_string(&self.value)
                    .unwrap_or_else(|_| "null".into())
                    .into()
            })
            .clone()
    }
}

/// The parts one HTTP request's responses carry.
#[derive(Default)]
pub struct Splices {
    parts: Mutex<Vec<Arc<str>>>,
}

impl Splices {
    /// What a resolver answers for `part`: a placeholder where the response is spliced,
    /// the value itself otherwise.
    pub fn answer(splices: Option<&Splices>, part: &Part) -> Value {
        let Some(splices) = splices else {
            return part.value.clone();
        };
        let Ok(mut parts) = splices.parts.lock() else {
            return part.value.clone();
        };
        parts.push(part.json());
        Value::String(format!("{MARK}{}-{}", secret(), parts.len() - 1))
    }

    /// `body` with each placeholder replaced by its part's JSON.
    pub fn apply(&self, body: String) -> String {
        let parts = match self.parts.lock() {
            Ok(mut parts) if !parts.is_empty() => std::mem::take(&mut *parts),
            _ => return body,
        };
        let opening = format!("\"{MARK}{}-", secret());
        let mut out =
            String::with_capacity(body.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        let mut rest = body.as_str();
        while let Some(at) = rest.find(&opening) {
            let after = &rest[at + opening.len()..];
            let part = after
                .find('"')
                .and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)))
                .and_then(|(n, end)| Some((parts.get(n)?, end)));
            match part {
                Some((json, end)) => {
                    out.push_str(&rest[..at]);
                    out.push_str(json);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[..at + opening.len()]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats() -> Value {
        Value::from_json(serde_json::json!([{"id": "a", "row": "A"}, {"id": "b", "row": "\"B\""}]))
            .unwrap()
    }

    #[test]
    fn a_spliced_response_reads_as_the_value_would() {
        let part = Part::new(seats());
        let splices = Splices::default();
        let data = Value::from_json(serde_json::json!({
            "one": null, "two": null, "name": "@part-guess-0"
        }))
        .unwrap();
        let Value::Object(mut fields) = data else {
            unreachable!()
        };
        fields.insert(
            async_graphql::Name::new("one"),
            Splices::answer(Some(&splices), &part),
        );
        fields.insert(
            async_graphql::Name::new("two"),
            Splices::answer(Some(&splices), &part),
        );
        let body = splices.apply(serde_json::to_string(&Value::Object(fields)).unwrap());
        let read: serde_json::Value = serde_json::from_str(&body).unwrap();
        let want = seats().into_json().unwrap();
        assert_eq!(read["one"], want);
        assert_eq!(read["two"], want);
        // A string that looks like a placeholder without the secret stays as written.
        assert_eq!(read["name"], "@part-guess-0");
    }

    #[test]
    fn without_splices_the_value_is_answered() {
        let part = Part::new(seats());
        assert_eq!(Splices::answer(None, &part), seats());
        assert_eq!(Splices::default().apply("{}".into()), "{}");
    }
}
