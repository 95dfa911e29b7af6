//! Genres are stored bar-wrapped (`|action|sci-fi|`) so that one `LIKE '%|g|%'` filters
//! by genre on SQLite and PostgreSQL alike.

use super::CatalogError;

/// Validates, normalises (lower case, deduplicated) and encodes genre slugs.
pub(crate) fn encode(genres: &[String]) -> Result<String, CatalogError> {
    if genres.len() > 8 {
        return Err(CatalogError::invalid("genres", "at most 8 genres"));
    }
    let mut out: Vec<String> = Vec::with_capacity(genres.len());
    for g in genres {
        let slug = normalise(g).ok_or_else(|| {
            CatalogError::invalid(
                "genres",
                format!("`{g}` is not a genre: use 1-30 letters, digits or hyphens"),
            )
        })?;
        if !out.contains(&slug) {
            out.push(slug);
        }
    }
    Ok(if out.is_empty() {
        String::new()
    } else {
        format!("|{}|", out.join("|"))
    })
}

/// The slug form of one genre, if it is acceptable.
pub(crate) fn normalise(genre: &str) -> Option<String> {
    let slug = genre.trim().to_lowercase().replace(' ', "-");
    let ok = (1..=30).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then_some(slug)
}

/// Decodes the stored form.
pub(crate) fn decode(stored: &str) -> Vec<String> {
    stored
        .split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The `LIKE` pattern that matches titles having `slug`.
pub(crate) fn like_pattern(slug: &str) -> String {
    format!("%|{slug}|%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let enc = encode(&["Sci Fi".into(), "action".into(), "action".into()]).unwrap();
        assert_eq!(enc, "|sci-fi|action|");
        assert_eq!(decode(&enc), vec!["sci-fi", "action"]);
        assert!(encode(&["rock|roll".into()]).is_err());
    }
}
