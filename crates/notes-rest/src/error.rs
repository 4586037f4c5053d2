//! What can go wrong: invalid input, a service error answer, a failed
//! authentication, an answer that cannot be read.
//!
//! Every text here that came from the service has passed the caller's
//! [`Redactor`](wire_core::Redactor): no password or token reaches an error.

use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::StatusCode;
use wire_core::Redactor;
use wire_core::validation::Violations;

use crate::models::ErrorBody;

/// At most this many characters of an undecodable body are kept.
pub const EXCERPT_CHARS: usize = 120;

/// Markers after which a body may hold credentials in a form no redactor
/// knows (a header dump, a token echo): an excerpt is cut before them.
const CUT_BEFORE: &[&str] = &[
    "authorization",
    "bearer ",
    "access_token",
    "refresh_token",
    "password",
];

/// Everything a Peoplevine call can report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was not sent: the input breaks the service's rules.
    #[error("invalid request: {0}")]
    Invalid(Violations),
    /// The service answered with an error status.
    #[error("{0}")]
    Service(Box<ServiceError>),
    /// No valid token: the service refused the credentials, or refused a call
    /// again after one refresh and one resend.
    #[error("authentication failed: {0}")]
    Authentication(Box<ServiceError>),
    /// A success status with a body that is not what the operation answers.
    #[error("undecodable answer ({status}): {reason}; body starts: {excerpt}")]
    Undecodable {
        /// The status.
        status: StatusCode,
        /// What did not fit (serde's message, without values).
        reason: String,
        /// A short, redacted start of the body.
        excerpt: String,
    },
    /// A success answer about another record than the one the request named
    /// (see [`Subject`](crate::Subject)): not believed.
    #[error("the answer ({status}) is about another record than the request: {detail}")]
    Mismatch {
        /// The status.
        status: StatusCode,
        /// What contradicts the question (ids only).
        detail: String,
    },
}

impl From<Violations> for Error {
    fn from(violations: Violations) -> Self {
        Self::Invalid(violations)
    }
}

impl Error {
    /// The service's status, when it answered.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Invalid(_) => None,
            Self::Service(error) | Self::Authentication(error) => Some(error.status),
            Self::Undecodable { status, .. } | Self::Mismatch { status, .. } => Some(*status),
        }
    }

    /// The service error, when it answered with one.
    #[must_use]
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(error) | Self::Authentication(error) => Some(error),
            Self::Invalid(_) | Self::Undecodable { .. } | Self::Mismatch { .. } => None,
        }
    }
}

/// When the service says to try again (`Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// After this long.
    Delay(Duration),
    /// At this time.
    At(SystemTime),
}

impl RetryAfter {
    /// Reads a `Retry-After` value: delay-seconds or an HTTP date.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Self::Delay(Duration::from_secs(seconds)));
        }
        httpdate::parse_http_date(value).ok().map(Self::At)
    }
}

/// An error answer: the status and the decoded error body
/// `{error, error_description, error_details}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The status (`400`, `401`, `403`, `404`, `422`, `429`, `500`, …).
    pub status: StatusCode,
    /// `error`: a short code.
    pub error: Option<String>,
    /// `error_description`: what went wrong.
    pub description: Option<String>,
    /// `error_details`: for `422`, which fields are wrong.
    pub details: Option<serde_json::Value>,
    /// `Retry-After`, on `429` and `503`.
    pub retry_after: Option<RetryAfter>,
    /// When the body is not the error shape: its short, redacted start.
    pub excerpt: Option<String>,
}

impl ServiceError {
    /// A service error with only a status.
    #[must_use]
    pub fn with_status(status: StatusCode) -> Self {
        Self {
            status,
            error: None,
            description: None,
            details: None,
            retry_after: None,
            excerpt: None,
        }
    }

    /// Reads an error answer; every service text is redacted.
    #[must_use]
    pub fn from_response(response: &http::Response<Bytes>, redactor: &Redactor) -> Self {
        let mut error = Self::with_status(response.status());
        error.retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(RetryAfter::parse);
        let body = response.body();
        if body.iter().all(u8::is_ascii_whitespace) {
            return error;
        }
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(decoded) if decoded.error.is_some() || decoded.error_description.is_some() => {
                error.error = decoded
                    .error
                    .map(|text| redactor.redact(&text).into_owned());
                error.description = decoded
                    .error_description
                    .map(|text| redactor.redact(&text).into_owned());
                error.details = decoded
                    .error_details
                    .filter(|details| !details.is_null())
                    .map(|mut details| {
                        redactor.redact_json_in_place(&mut details);
                        details
                    });
            }
            _ => error.excerpt = Some(excerpt(body, redactor)),
        }
        error
    }

    /// Whether the service asked to slow down (`429`).
    #[must_use]
    pub fn is_rate_limited(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Peoplevine answered {}", self.status)?;
        if let Some(error) = &self.error {
            write!(f, " {error}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        if let Some(details) = &self.details {
            write!(f, " ({details})")?;
        }
        if let Some(excerpt) = &self.excerpt {
            write!(f, "; body starts: {excerpt}")?;
        }
        match self.retry_after {
            Some(RetryAfter::Delay(delay)) => write!(f, "; retry after {}s", delay.as_secs()),
            Some(RetryAfter::At(at)) => {
                write!(f, "; retry after {}", httpdate::fmt_http_date(at))
            }
            None => Ok(()),
        }
    }
}

/// A short, redacted, printable start of `body`.
#[must_use]
pub fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    wire_core::text::excerpt(body, EXCERPT_CHARS, redactor, CUT_BEFORE)
}
