//! Field checks shared by the admin operations.

use chrono_tz::Tz;

use super::CatalogError;

/// Trimmed text of 1..=max characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String, CatalogError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(CatalogError::invalid(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(CatalogError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// Like [`text`] but empty is allowed.
pub(crate) fn optional_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, CatalogError> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(CatalogError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// An `http(s)` URL, or nothing.
pub(crate) fn url(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, CatalogError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v)
            if (v.starts_with("https://") || v.starts_with("http://"))
                && v.len() <= 500
                && !v.contains(char::is_whitespace) =>
        {
            Ok(Some(v.to_owned()))
        }
        Some(_) => Err(CatalogError::invalid(
            field,
            "must be an http(s) URL of at most 500 characters",
        )),
    }
}

/// A whole number of minutes in range.
pub(crate) fn minutes(field: &'static str, value: i32, max: i32) -> Result<i32, CatalogError> {
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(CatalogError::invalid(
            field,
            format!("must be between 1 and {max} minutes"),
        ))
    }
}

/// Latitude and longitude within the globe.
pub(crate) fn coordinates(lat: f64, lon: f64) -> Result<(f64, f64), CatalogError> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(CatalogError::invalid(
            "latitude",
            "must be between -90 and 90",
        ));
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(CatalogError::invalid(
            "longitude",
            "must be between -180 and 180",
        ));
    }
    Ok((lat, lon))
}

/// An IANA time zone name known to the tz database.
pub(crate) fn timezone(value: &str) -> Result<String, CatalogError> {
    value
        .trim()
        .parse::<Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| {
            CatalogError::invalid(
                "timezone",
                format!("`{value}` is not an IANA time zone such as America/New_York"),
            )
        })
}

/// A postal code: 3-10 letters, digits, spaces or hyphens.
pub(crate) fn zip(value: &str) -> Result<String, CatalogError> {
    let v = value.trim().to_uppercase();
    let ok = (3..=10).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if ok {
        Ok(v)
    } else {
        Err(CatalogError::invalid(
            "zip",
            "must be a postal code of 3-10 letters or digits",
        ))
    }
}
