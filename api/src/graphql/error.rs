//! The one place where domain errors become GraphQL errors with `extensions.code`.

use async_graphql::ErrorExtensions;
use marquee_domain::ids::InvalidId;
use marquee_domain::{Classify, ErrorKind};

/// A resolver error. Deliberately not `Display`, so that async-graphql's blanket
/// conversion (which would drop the code) cannot apply: every error passes through here.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: &'static str,
    message: String,
    field: Option<String>,
    reason: Option<&'static str>,
    ids: Option<(&'static str, Vec<String>)>,
}

/// Result of a resolver.
pub type ApiResult<T> = Result<T, ApiError>;

/// The GraphQL code of each kind of domain error.
pub fn code_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::BadInput => "BAD_USER_INPUT",
        ErrorKind::NotFound => "NOT_FOUND",
        ErrorKind::Unauthenticated => "UNAUTHENTICATED",
        ErrorKind::Forbidden => "FORBIDDEN",
        ErrorKind::Conflict => "CONFLICT",
        ErrorKind::EmailTaken => "EMAIL_TAKEN",
        ErrorKind::SeatUnavailable => "SEAT_UNAVAILABLE",
        ErrorKind::HoldExpired => "HOLD_EXPIRED",
        ErrorKind::AdmissionRequired => "ADMISSION_REQUIRED",
        ErrorKind::LimitReached => "LIMIT_REACHED",
        ErrorKind::Unavailable | ErrorKind::DatabaseUnavailable => "SERVICE_UNAVAILABLE",
        ErrorKind::Internal => "INTERNAL_SERVER_ERROR",
    }
}

impl ApiError {
    /// An error with an explicit code.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            reason: None,
            ids: None,
        }
    }

    /// The GraphQL code (`BAD_USER_INPUT`, `FORBIDDEN`, …).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message shown to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A bad argument, naming it.
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: "BAD_USER_INPUT",
            message: message.into(),
            field: Some(field.to_owned()),
            reason: None,
            ids: None,
        }
    }

    /// Parses a typed id argument.
    pub fn parse_id<T>(
        field: &str,
        raw: &str,
        parse: fn(&str) -> Result<T, InvalidId>,
    ) -> ApiResult<T> {
        parse(raw).map_err(|e| Self::bad_input(field, e.to_string()))
    }
}

impl<E: Classify> From<E> for ApiError {
    fn from(err: E) -> Self {
        let kind = err.kind();
        if matches!(kind, ErrorKind::Internal | ErrorKind::DatabaseUnavailable) {
            // The cause chain goes to the log; the client sees a generic message.
            let mut chain = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                source = s.source();
            }
            if kind == ErrorKind::DatabaseUnavailable {
                tracing::warn!(error = %chain, "database unavailable");
                return Self::new(
                    code_of(kind),
                    "the database cannot be reached for now; try again shortly",
                );
            }
            tracing::error!(error = %chain, "internal error");
            return Self::new(code_of(kind), "internal error; it has been logged");
        }
        Self {
            code: code_of(kind),
            message: err.to_string(),
            field: err.field().map(str::to_owned),
            reason: err.reason(),
            ids: err.ids(),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        async_graphql::Error::new(err.message).extend_with(|_, ext| {
            ext.set("code", err.code);
            if let Some(field) = &err.field {
                ext.set("field", field.as_str());
            }
            if let Some(reason) = err.reason {
                ext.set("reason", reason);
            }
            if let Some((name, ids)) = &err.ids {
                ext.set(*name, ids.clone());
            }
        })
    }
}
