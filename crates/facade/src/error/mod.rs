//! [`Error`]: everything a facade call can fail with, for any service, sorted
//! by what it means for the request's [`Fate`].

mod convert;
mod service;
mod unsupported;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use transport::{ErrorKind, TimeoutPhase, TransportError};
use wire_core::validation::Violations;

pub use service::{Service, ServiceError, StraxFailure};
pub use unsupported::Unsupported;

/// An underlying error kept for [`std::error::Error::source`]: shared, so
/// [`Error`] stays `Clone`.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What a user is told whenever a request may have been acted on.
const CHECK_BEFORE_RESENDING: &str =
    "the request may have been received and acted on: check the CRM before sending it again";

/// What is known about a request that failed: the one question a caller (or
/// a script reading crmwire's exit code) must answer before doing it again.
///
/// Which error has which fate, and what to do about each, is stated once, in
/// the table "The fate of a failed request" of crmwire's `docs/architecture.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fate {
    /// Refused before sending: invalid input, a request that cannot be
    /// built, or a client that cannot be set up.
    Rejected,
    /// Nothing was done, and sending it again is safe: the request provably
    /// never left this process, or it only reads (a read that broke off or
    /// ran out of time changed nothing).
    NotSent,
    /// May have been received and acted on: check before sending again.
    Unknown,
    /// The service answered and did not do it (or a read's answer was unusable).
    Answered,
}

impl Fate {
    /// A short, stable name (`rejected`, `not_sent`, `unknown`, `answered`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rejected => "rejected",
            Self::NotSent => "not_sent",
            Self::Unknown => "unknown",
            Self::Answered => "answered",
        }
    }
}

impl fmt::Display for Fate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a facade call failed, for any service.
///
/// Each variant is one fate-relevant situation; what the service itself said
/// travels in a per-service [`ServiceError`]. [`fate`](Self::fate) sorts
/// them (see [`Fate`]); [`is_retry_safe`](Self::is_retry_safe) and
/// [`outcome_unknown`](Self::outcome_unknown) are its two questions.
///
/// Messages never contain a secret, a URL query, a header value or a request
/// body, and every text a service sent has passed the caller's redaction
/// (its secrets removed). They may still hold what the service wrote about
/// the record (personal data): show them to the user, do not log them above
/// `trace`. The underlying error, when there is one, is
/// [`source`](std::error::Error::source).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks the protocol's rules; every broken rule is listed,
    /// each naming its record, field and rule. Nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(Violations),
    /// The client cannot be set up (a bad base URL, an HTTP backend that is
    /// not compiled in). Nothing was sent.
    #[error("cannot set up the client: {what}")]
    Setup {
        /// What is wrong (names only, never secrets).
        what: String,
        /// The underlying error.
        #[source]
        source: Option<Source>,
    },
    /// The request was refused before any IO: it cannot be written (a value
    /// the validation let through), or the HTTP layer refuses it (plain
    /// `http://` to a host that is not loopback). Sending it again fails the
    /// same way.
    #[error("the request was refused before sending: {reason}")]
    NotSendable {
        /// Which rule the request broke.
        reason: String,
        /// The underlying error.
        #[source]
        source: Option<Source>,
    },
    /// The request never left this process (connection refused, DNS or TLS
    /// failure), after every attempt the retry policy allowed. Safe to send
    /// again.
    #[error("{0}; it is safe to send it again")]
    NotSent(#[source] TransportError),
    /// The connection broke after the request was sent: it may or may not
    /// have been processed. Never resent blindly.
    #[error("{0}: {CHECK_BEFORE_RESENDING}")]
    OutcomeUnknown(#[source] TransportError),
    /// A deadline ran out. A `Connect` timeout means nothing was sent, and a
    /// read changes nothing (both safe to send again); a `Total` timeout of a
    /// write means the outcome is unknown.
    #[error(
        "{phase} timeout after {} ms{}",
        after.as_millis(),
        timeout_advice(*phase, *may_have_executed)
    )]
    Timeout {
        /// Which deadline ran out.
        phase: TimeoutPhase,
        /// The configured deadline.
        after: Duration,
        /// Whether a write may have been executed (never for a `Connect`
        /// timeout, never for a read).
        may_have_executed: bool,
    },
    /// A read broke off after it was sent (the connection failed before the
    /// whole answer arrived), after every attempt the retry policy allowed.
    /// A read changes nothing: safe to send again.
    #[error(
        "the connection broke before the answer was read; the request only reads, so nothing was changed and it is safe to send it again"
    )]
    ReadInterrupted(#[source] TransportError),
    /// The service answered with an HTTP error status.
    #[error(
        "the service answered HTTP status {status}{}{}",
        status_detail(service.as_ref(), body_excerpt),
        unknown_outcome_advice(*may_have_executed)
    )]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The service's decoded error body, when it sends one in a known shape.
        service: Option<ServiceError>,
        /// The start of the answer: printable, whitespace collapsed, the
        /// caller's secrets removed, bounded.
        body_excerpt: String,
        /// Whether a write may have been executed (a `5xx` to a write).
        may_have_executed: bool,
    },
    /// The service's answer cannot be used: too large to read, not the
    /// service's format, or an answer that contradicts the question (another
    /// record than the one asked about).
    #[error("the service's answer cannot be used: {detail}{}", unknown_outcome_advice(*may_have_executed))]
    Unreadable {
        /// What is wrong with the answer (names, never values).
        detail: String,
        /// Whether a write may have been executed.
        may_have_executed: bool,
        /// The underlying error.
        #[source]
        source: Option<Source>,
    },
    /// The service refused the credentials; nothing was executed.
    #[error(
        "authentication failed{}; nothing was executed",
        service_texts(service)
    )]
    Authentication {
        /// What the service said.
        service: ServiceError,
    },
    /// The service refused the request (SecurityTrax `success="false"`, Neto
    /// `Ack=Error`, a Peoplevine error answer): nothing was done.
    #[error("the service refused {}{}", service.subject(), service_texts(service))]
    Refused {
        /// What the service said.
        service: ServiceError,
    },
    /// A service-neutral operation the service does not have, asked of a
    /// client over it (see [`crate::neutral`]). Nothing was sent; asking
    /// again fails the same way.
    #[error("{0}")]
    Unsupported(Unsupported),
}

fn timeout_advice(phase: TimeoutPhase, may_have_executed: bool) -> String {
    match phase {
        TimeoutPhase::Connect => "; nothing was sent, it is safe to send it again".to_owned(),
        _ if !may_have_executed => {
            "; the request only reads, so nothing was changed and it is safe to send it again"
                .to_owned()
        }
        _ => format!(", outcome unknown: {CHECK_BEFORE_RESENDING}"),
    }
}

fn unknown_outcome_advice(may_have_executed: bool) -> String {
    if may_have_executed {
        format!(" ({CHECK_BEFORE_RESENDING})")
    } else {
        String::new()
    }
}

fn status_detail(service: Option<&ServiceError>, body_excerpt: &str) -> String {
    match service {
        Some(service) => service_texts(service),
        None if body_excerpt.is_empty() => String::new(),
        None => format!(": {body_excerpt}"),
    }
}

fn service_texts(service: &ServiceError) -> String {
    let messages = service.messages();
    if messages.is_empty() {
        format!(" ({})", service.service())
    } else {
        format!(" ({}: {})", service.service(), messages.join("; "))
    }
}

impl Error {
    /// What is known about the request (see [`Fate`]).
    #[must_use]
    pub fn fate(&self) -> Fate {
        match self {
            Self::InvalidInput(_)
            | Self::Setup { .. }
            | Self::NotSendable { .. }
            | Self::Unsupported(_) => Fate::Rejected,
            Self::NotSent(_) | Self::ReadInterrupted(_) => Fate::NotSent,
            Self::Timeout {
                phase,
                may_have_executed,
                ..
            } if *phase == TimeoutPhase::Connect || !*may_have_executed => Fate::NotSent,
            Self::OutcomeUnknown(_) | Self::Timeout { .. } => Fate::Unknown,
            Self::HttpStatus {
                may_have_executed, ..
            }
            | Self::Unreadable {
                may_have_executed, ..
            } if *may_have_executed => Fate::Unknown,
            Self::HttpStatus { .. }
            | Self::Unreadable { .. }
            | Self::Authentication { .. }
            | Self::Refused { .. } => Fate::Answered,
        }
    }

    /// `true` when sending the same request again cannot cause it to be
    /// processed twice and may succeed ([`Fate::NotSent`]).
    #[must_use]
    pub fn is_retry_safe(&self) -> bool {
        self.fate() == Fate::NotSent
    }

    /// `true` when a write may or may not have been executed: check the CRM
    /// before sending again ([`Fate::Unknown`]).
    #[must_use]
    pub fn outcome_unknown(&self) -> bool {
        self.fate() == Fate::Unknown
    }

    /// The validation errors, for [`InvalidInput`](Self::InvalidInput).
    #[must_use]
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            Self::InvalidInput(violations) => Some(violations),
            _ => None,
        }
    }

    /// The unsupported operation, for [`Unsupported`](Self::Unsupported).
    #[must_use]
    pub fn unsupported(&self) -> Option<Unsupported> {
        match self {
            Self::Unsupported(unsupported) => Some(*unsupported),
            _ => None,
        }
    }

    /// What the service said, when it said something in a known shape.
    #[must_use]
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Authentication { service } | Self::Refused { service } => Some(service),
            Self::HttpStatus { service, .. } => service.as_ref(),
            _ => None,
        }
    }

    /// A short, fixed name of the variant, safe to log at any level and
    /// stable for machine-readable output.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "invalid_input",
            Self::Setup { .. } => "setup",
            Self::NotSendable { .. } => "not_sendable",
            Self::NotSent(_) => "not_sent",
            Self::OutcomeUnknown(_) => "outcome_unknown",
            Self::ReadInterrupted(_) => "read_interrupted",
            Self::Timeout { .. } => "timeout",
            Self::HttpStatus { .. } => "http_status",
            Self::Unreadable { .. } => "unreadable",
            Self::Authentication { .. } => "authentication",
            Self::Refused { .. } => "refused",
            Self::Unsupported(_) => "unsupported",
        }
    }

    /// Maps the transport's failure of a request; `writes` says whether the
    /// request may change the service's data.
    pub(crate) fn from_transport(error: TransportError, writes: bool) -> Self {
        match error.kind() {
            ErrorKind::Timeout { phase, after } => Self::Timeout {
                phase: *phase,
                after: *after,
                may_have_executed: writes && *phase != TimeoutPhase::Connect,
            },
            ErrorKind::BodyTooLarge { .. } => Self::Unreadable {
                detail: error.to_string(),
                may_have_executed: writes,
                source: Some(Arc::new(error)),
            },
            _ if error.is_retry_safe() => Self::NotSent(error),
            _ if error.outcome_unknown() && !writes => Self::ReadInterrupted(error),
            _ if error.outcome_unknown() => Self::OutcomeUnknown(error),
            _ => Self::NotSendable {
                reason: error.to_string(),
                source: Some(Arc::new(error)),
            },
        }
    }
}

#[cfg(test)]
mod tests;
