//! Keyset pagination shared by list queries: an opaque cursor plus a bounded page size.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

/// The most items one page may hold.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Page size when the client names none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// What the client asked for.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// How many items, at most [`MAX_PAGE_SIZE`].
    pub first: Option<u64>,
    /// The cursor of the last item already seen.
    pub after: Option<String>,
}

/// A cursor that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Not produced by this server.
    #[error("`after` is not a cursor returned by this API")]
    BadCursor,
    /// Zero or too many items asked for.
    #[error("`first` must be between 1 and {MAX_PAGE_SIZE}")]
    BadSize,
}

impl PageRequest {
    /// The validated page size.
    pub fn size(&self) -> Result<u64, PageError> {
        match self.first {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
            Some(_) => Err(PageError::BadSize),
        }
    }
}

/// One page of results, each with the cursor that resumes after it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items with their cursors.
    pub items: Vec<(String, T)>,
    /// Whether more items follow the last one.
    pub has_next_page: bool,
}

/// Encodes a sort key (for example a title and an id) as an opaque cursor.
pub fn encode_cursor(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join("\u{1f}"))
}

/// Decodes a cursor made by [`encode_cursor`] with exactly `n` parts.
pub fn decode_cursor(cursor: &str, n: usize) -> Result<Vec<String>, PageError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| PageError::BadCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| PageError::BadCursor)?;
    let parts: Vec<String> = text.split('\u{1f}').map(str::to_owned).collect();
    if parts.len() == n {
        Ok(parts)
    } else {
        Err(PageError::BadCursor)
    }
}

/// Newest-first lists keyed by (creation time, id): the rows before the position `after`
/// names, if any.
pub fn newest_first_after<C: ColumnTrait>(
    after: Option<&str>,
    created_at: C,
    id: C,
) -> Result<Option<Condition>, PageError> {
    let Some(after) = after else {
        return Ok(None);
    };
    let parts = decode_cursor(after, 2)?;
    let at = DateTime::parse_from_rfc3339(&parts[0])
        .map_err(|_| PageError::BadCursor)?
        .with_timezone(&Utc);
    let last = Uuid::parse_str(&parts[1]).map_err(|_| PageError::BadCursor)?;
    Ok(Some(Condition::any().add(created_at.lt(at)).add(
        Condition::all().add(created_at.eq(at)).add(id.lt(last)),
    )))
}

/// A page of newest-first rows fetched with one more than `size` (that one only tells
/// whether a next page exists), each with the cursor of its (creation time, id).
pub fn newest_first_page<M, T>(
    mut rows: Vec<M>,
    size: u64,
    key: impl Fn(&M) -> (DateTime<Utc>, Uuid),
    view: impl Fn(M) -> T,
) -> Page<T> {
    let has_next_page = rows.len() as u64 > size;
    rows.truncate(size as usize);
    Page {
        items: rows
            .into_iter()
            .map(|m| {
                let (at, id) = key(&m);
                (encode_cursor(&[&at.to_rfc3339(), &id.to_string()]), view(m))
            })
            .collect(),
        has_next_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_rejection() {
        let c = encode_cursor(&["The Last Horizon", "0193"]);
        assert_eq!(
            decode_cursor(&c, 2).unwrap(),
            vec!["The Last Horizon", "0193"]
        );
        assert_eq!(decode_cursor(&c, 3), Err(PageError::BadCursor));
        assert_eq!(decode_cursor("%%%", 2), Err(PageError::BadCursor));
        assert_eq!(
            PageRequest {
                first: Some(0),
                after: None
            }
            .size(),
            Err(PageError::BadSize)
        );
    }
}
