//! The one error type every [`Transport`](crate::Transport) returns.

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The underlying error of a [`TransportError`], shared so the error stays
/// cheap to clone.
pub type Cause = Arc<dyn Error + Send + Sync + 'static>;

/// Which deadline ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection (DNS, TCP connect and TLS handshake) took too long.
    /// Nothing was sent, so a retry cannot cause a duplicate.
    Connect,
    /// The whole exchange (connect, send, wait, read the body) took too long.
    /// The request may have been received and processed: outcome unknown.
    Total,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Total => "total",
        })
    }
}

/// What is known about a failed request's fate: the part of a
/// [`TransportError`] a caller decides on.
///
/// | kind | sent? | [`is_retry_safe`](TransportError::is_retry_safe) | [`outcome_unknown`](TransportError::outcome_unknown) |
/// |---|---|---|---|
/// | [`NotSent`](Self::NotSent) | no | yes | no |
/// | [`MaybeReceived`](Self::MaybeReceived) | maybe | no | yes |
/// | [`Timeout`](Self::Timeout) `Connect` | no | yes | no |
/// | [`Timeout`](Self::Timeout) `Total` | maybe | no | yes |
/// | [`BodyTooLarge`](Self::BodyTooLarge) | yes, received and answered | no | yes (the status is known, the body unread) |
/// | [`InvalidRequest`](Self::InvalidRequest) | no | no (it would fail again) | no |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request never left this process: connection refused, DNS failure,
    /// TLS handshake failure. Safe to send again.
    NotSent,
    /// The connection broke after the request was (at least partly) written:
    /// reset, closed before a response, or a response body cut short. The
    /// server may have acted on it; never resend blindly.
    MaybeReceived,
    /// A deadline ran out; see [`TimeoutPhase`] for what that implies.
    Timeout {
        /// Which deadline ran out.
        phase: TimeoutPhase,
        /// The configured deadline.
        after: Duration,
    },
    /// The response body is larger than the configured limit; the rest of it
    /// was not read.
    ///
    /// The request **was** received and answered: the server may have acted
    /// on it (a `POST` may have created something), but its result cannot be
    /// read. `status` is the answer's status code, the only part of the
    /// result that is known (a `201` and a `400` mean very different things).
    /// The outcome counts as unknown; sending the request again is not safe.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The status code of the response whose body was too large.
        status: u16,
    },
    /// The request was refused before any IO: not an absolute `http`/`https`
    /// URL, plain `http://` to a non-loopback host, a header the HTTP stack
    /// refuses, a request a test double did not expect, ….
    InvalidRequest {
        /// Which rule the request broke (no URL, no header value).
        reason: String,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSent => f.write_str("request not sent"),
            Self::MaybeReceived => {
                f.write_str("connection failed after the request was sent, outcome unknown")
            }
            Self::Timeout { phase, after } => {
                write!(f, "{phase} timeout after {} ms", after.as_millis())
            }
            Self::BodyTooLarge { limit, status } => write!(
                f,
                "the {status} response's body exceeds the limit of {limit} bytes: the request was received, its result cannot be read"
            ),
            Self::InvalidRequest { reason } => write!(f, "invalid request: {reason}"),
        }
    }
}

/// Why an HTTP exchange failed: an [`ErrorKind`] (what is known about the
/// request's fate), how many times the request was sent
/// ([`attempts`](Self::attempts)), and the underlying error, reachable
/// through [`Error::source`].
///
/// **Messages.** `Display` says the kind and, after retries, the number of
/// attempts (`"request not sent (after 3 attempts)"`); it does not repeat
/// the source, whose message is one step down the
/// [`source`](Error::source) chain (print the chain to show everything).
/// Neither the message nor any error in the chain contains a URL, a query
/// string, a header value or a body: the backends remove URLs from the HTTP
/// stack's errors (`reqwest::Error::without_url`), and crmwire's own reasons
/// never quote them.
///
/// **Comparing.** The error is `Clone` (the source is shared) and
/// `PartialEq`: two errors are equal when they have the same kind, the same
/// attempt count and source chains with the same messages (sources have no
/// equality of their own).
///
/// ```
/// use std::error::Error as _;
/// use transport::{ErrorKind, TransportError};
///
/// let error = TransportError::not_sent("connection refused").with_attempts(3);
/// assert_eq!(error.kind(), &ErrorKind::NotSent);
/// assert!(error.is_retry_safe());
/// assert_eq!(error.to_string(), "request not sent (after 3 attempts)");
/// assert_eq!(error.source().unwrap().to_string(), "connection refused");
/// ```
#[derive(Clone)]
pub struct TransportError {
    kind: ErrorKind,
    attempts: usize,
    source: Option<Cause>,
}

impl TransportError {
    /// An error of `kind`, sent once, without a source.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            attempts: 1,
            source: None,
        }
    }

    /// [`NotSent`](ErrorKind::NotSent), caused by `source`.
    pub fn not_sent(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(ErrorKind::NotSent).with_source(source)
    }

    /// [`MaybeReceived`](ErrorKind::MaybeReceived), caused by `source`.
    pub fn maybe_received(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(ErrorKind::MaybeReceived).with_source(source)
    }

    /// A [`Timeout`](ErrorKind::Timeout) of `phase` after `after`.
    pub fn timeout(phase: TimeoutPhase, after: Duration) -> Self {
        Self::new(ErrorKind::Timeout { phase, after })
    }

    /// [`BodyTooLarge`](ErrorKind::BodyTooLarge): a `status` response whose
    /// body passed `limit` bytes.
    pub fn body_too_large(limit: usize, status: u16) -> Self {
        Self::new(ErrorKind::BodyTooLarge { limit, status })
    }

    /// [`InvalidRequest`](ErrorKind::InvalidRequest) for `reason` (which must
    /// not quote the URL, a header value or the body).
    pub fn invalid_request(reason: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest {
            reason: reason.into(),
        })
    }

    /// This error with `source` as its underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// This error with `cause` (already shared) as its underlying cause.
    #[must_use]
    pub fn with_cause(mut self, cause: Cause) -> Self {
        self.source = Some(cause);
        self
    }

    /// This error, saying the request was sent `attempts` times in all (at
    /// least 1). [`Retrying`](crate::Retrying) sets it on the error it
    /// returns.
    #[must_use]
    pub fn with_attempts(mut self, attempts: usize) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// What is known about the request's fate.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// How many times the request was sent (or tried) in all, this last
    /// failure included: 1 unless a [`Retrying`](crate::Retrying) sent it
    /// again.
    pub fn attempts(&self) -> usize {
        self.attempts
    }

    /// The underlying error, shared.
    pub fn cause(&self) -> Option<&Cause> {
        self.source.as_ref()
    }

    /// `true` when sending the same request again cannot cause it to be
    /// processed twice and may succeed: [`NotSent`](ErrorKind::NotSent) and
    /// a connect [`Timeout`](ErrorKind::Timeout).
    pub fn is_retry_safe(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::NotSent
                | ErrorKind::Timeout {
                    phase: TimeoutPhase::Connect,
                    ..
                }
        )
    }

    /// `true` when the server may have processed the request but the caller
    /// cannot read the result: [`MaybeReceived`](ErrorKind::MaybeReceived), a
    /// total [`Timeout`](ErrorKind::Timeout), and
    /// [`BodyTooLarge`](ErrorKind::BodyTooLarge) (answered, body unread).
    /// Check the remote state before sending again.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::MaybeReceived
                | ErrorKind::BodyTooLarge { .. }
                | ErrorKind::Timeout {
                    phase: TimeoutPhase::Total,
                    ..
                }
        )
    }

    /// The messages of the source chain, outermost first.
    fn source_messages(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::successors(self.source(), |&error| error.source()).map(ToString::to_string)
    }
}

impl From<ErrorKind> for TransportError {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("TransportError");
        debug
            .field("kind", &self.kind)
            .field("attempts", &self.attempts);
        if let Some(source) = &self.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

impl PartialEq for TransportError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.attempts == other.attempts
            && self.source_messages().eq(other.source_messages())
    }
}

impl Eq for TransportError {}

/// Why an HTTP backend could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportBuildError {
    /// The TLS configuration could not be built.
    #[error("TLS configuration failed: {detail}")]
    Tls {
        /// What rustls reported.
        detail: String,
    },
    /// The HTTP client could not be built.
    #[error("HTTP client could not be built: {detail}")]
    Client {
        /// What the HTTP stack reported.
        detail: String,
    },
    /// The chosen backend was not compiled in (its cargo feature is off).
    #[error(
        "backend `{backend}` is not available: enable the `{backend}` feature of the transport crate"
    )]
    BackendNotCompiled {
        /// The backend's name.
        backend: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<TransportError> {
        vec![
            TransportError::not_sent("refused"),
            TransportError::maybe_received("reset"),
            TransportError::timeout(TimeoutPhase::Connect, Duration::from_secs(1)),
            TransportError::timeout(TimeoutPhase::Total, Duration::from_secs(1)),
            TransportError::body_too_large(10, 201),
            TransportError::invalid_request("bad"),
        ]
    }

    #[test]
    fn only_unsent_failures_are_retry_safe() {
        let safe: Vec<bool> = all().iter().map(TransportError::is_retry_safe).collect();
        assert_eq!(safe, [true, false, true, false, false, false]);
    }

    #[test]
    fn outcome_unknown_marks_possibly_processed_requests() {
        let unknown: Vec<bool> = all().iter().map(TransportError::outcome_unknown).collect();
        assert_eq!(unknown, [false, true, false, true, true, false]);
    }

    #[test]
    fn no_error_is_both_retry_safe_and_of_unknown_outcome() {
        assert!(
            all()
                .iter()
                .all(|e| !(e.is_retry_safe() && e.outcome_unknown()))
        );
    }

    #[test]
    fn messages_name_the_phase_and_limit() {
        let t = TransportError::timeout(TimeoutPhase::Connect, Duration::from_millis(250));
        assert_eq!(t.to_string(), "connect timeout after 250 ms");
        assert_eq!(
            TransportError::body_too_large(4, 201).to_string(),
            "the 201 response's body exceeds the limit of 4 bytes: the request was received, its result cannot be read"
        );
    }

    #[test]
    fn the_source_is_kept_and_not_repeated_in_the_message() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused by peer");
        let error = TransportError::not_sent(io);
        assert_eq!(error.to_string(), "request not sent");
        let source = error.source().expect("a source");
        assert_eq!(
            source.downcast_ref::<std::io::Error>().map(|e| e.kind()),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
        // Clones share the source.
        let copy = error.clone();
        assert!(Arc::ptr_eq(copy.cause().unwrap(), error.cause().unwrap()));
    }

    #[test]
    fn attempts_default_to_one_and_are_shown_only_after_retries() {
        let once = TransportError::not_sent("refused");
        assert_eq!(once.attempts(), 1);
        assert_eq!(once.to_string(), "request not sent");
        let thrice = once.with_attempts(3);
        assert_eq!(thrice.attempts(), 3);
        assert_eq!(thrice.to_string(), "request not sent (after 3 attempts)");
        assert_eq!(TransportError::not_sent("x").with_attempts(0).attempts(), 1);
    }

    #[test]
    fn equality_compares_kind_attempts_and_source_messages() {
        assert_eq!(
            TransportError::not_sent("refused"),
            TransportError::not_sent("refused")
        );
        assert_ne!(
            TransportError::not_sent("refused"),
            TransportError::not_sent("reset")
        );
        assert_ne!(
            TransportError::not_sent("refused"),
            TransportError::not_sent("refused").with_attempts(2)
        );
        assert_ne!(
            TransportError::not_sent("refused"),
            TransportError::new(ErrorKind::NotSent)
        );
    }
}
