//! The one error type every [`Transport`](crate::Transport) returns.

use std::fmt;
use std::time::Duration;

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

/// Why an HTTP exchange failed.
///
/// The variants say what is known about the request's fate, which is what a
/// caller needs to decide whether sending it again is safe:
///
/// | variant | sent? | [`is_retry_safe`](Self::is_retry_safe) | [`outcome_unknown`](Self::outcome_unknown) |
/// |---|---|---|---|
/// | [`NotSent`](Self::NotSent) | no | yes | no |
/// | [`MaybeReceived`](Self::MaybeReceived) | maybe | no | yes |
/// | [`Timeout`](Self::Timeout) `Connect` | no | yes | no |
/// | [`Timeout`](Self::Timeout) `Total` | maybe | no | yes |
/// | [`BodyTooLarge`](Self::BodyTooLarge) | yes, received and answered | no | yes (the status is known, the body unread) |
/// | [`InvalidRequest`](Self::InvalidRequest) | no | no (it would fail again) | no |
/// | [`UnexpectedRequest`](Self::UnexpectedRequest) | no (test double) | no | no |
///
/// Messages never contain a URL query string, a header value or a body: the
/// details come from the HTTP stack with URLs removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The request never left this process: connection refused, DNS failure,
    /// TLS handshake failure. Safe to retry.
    #[error("request not sent: {detail}")]
    NotSent {
        /// What the HTTP stack reported (no URL, no secrets).
        detail: String,
    },
    /// The connection broke after the request was (at least partly) written:
    /// reset, closed before a response, or a response body cut short. The
    /// server may have acted on it; never retry blindly.
    #[error("connection failed after the request was sent, outcome unknown: {detail}")]
    MaybeReceived {
        /// What the HTTP stack reported (no URL, no secrets).
        detail: String,
    },
    /// A deadline ran out; see [`TimeoutPhase`] for what that implies.
    #[error("{phase} timeout after {} ms", after.as_millis())]
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
    /// read. `status` is the answer's status code, the only part of the result
    /// that is known (a `201` and a `400` mean very different things). The
    /// outcome counts as unknown; sending the request again is not safe.
    #[error(
        "the {status} response's body exceeds the limit of {limit} bytes: the request was received, its result cannot be read"
    )]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The status code of the response whose body was too large.
        status: u16,
    },
    /// The request was refused before any IO: not an absolute `http`/`https`
    /// URL, plain `http://` to a non-loopback host, a bad header, ….
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// Which rule the request broke.
        reason: String,
    },
    /// A [`Replay`](crate::Replay) transport got a request its recording did
    /// not expect (or ran out of recorded exchanges).
    #[error("unexpected request: {message}")]
    UnexpectedRequest {
        /// What came and what was expected.
        message: String,
    },
}

impl TransportError {
    /// `true` when sending the same request again cannot cause it to be
    /// processed twice and may succeed: [`NotSent`](Self::NotSent) and a
    /// connect [`Timeout`](Self::Timeout).
    pub fn is_retry_safe(&self) -> bool {
        matches!(
            self,
            Self::NotSent { .. }
                | Self::Timeout {
                    phase: TimeoutPhase::Connect,
                    ..
                }
        )
    }

    /// `true` when the server may have processed the request but the caller
    /// cannot read the result: [`MaybeReceived`](Self::MaybeReceived), a total
    /// [`Timeout`](Self::Timeout), and [`BodyTooLarge`](Self::BodyTooLarge)
    /// (answered, body unread). Check the remote state before sending again.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::MaybeReceived { .. }
                | Self::BodyTooLarge { .. }
                | Self::Timeout {
                    phase: TimeoutPhase::Total,
                    ..
                }
        )
    }

    #[cfg_attr(not(any(feature = "reqwest", feature = "hyper")), allow(dead_code))]
    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            reason: reason.into(),
        }
    }
}

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
            TransportError::NotSent {
                detail: "refused".into(),
            },
            TransportError::MaybeReceived {
                detail: "reset".into(),
            },
            TransportError::Timeout {
                phase: TimeoutPhase::Connect,
                after: Duration::from_secs(1),
            },
            TransportError::Timeout {
                phase: TimeoutPhase::Total,
                after: Duration::from_secs(1),
            },
            TransportError::BodyTooLarge {
                limit: 10,
                status: 201,
            },
            TransportError::invalid("bad"),
            TransportError::UnexpectedRequest {
                message: "x".into(),
            },
        ]
    }

    #[test]
    fn only_unsent_failures_are_retry_safe() {
        let safe: Vec<bool> = all().iter().map(TransportError::is_retry_safe).collect();
        assert_eq!(safe, [true, false, true, false, false, false, false]);
    }

    #[test]
    fn outcome_unknown_marks_possibly_processed_requests() {
        let unknown: Vec<bool> = all().iter().map(TransportError::outcome_unknown).collect();
        assert_eq!(unknown, [false, true, false, true, true, false, false]);
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
        let t = TransportError::Timeout {
            phase: TimeoutPhase::Connect,
            after: Duration::from_millis(250),
        };
        assert_eq!(t.to_string(), "connect timeout after 250 ms");
        assert_eq!(
            TransportError::BodyTooLarge {
                limit: 4,
                status: 201
            }
            .to_string(),
            "the 201 response's body exceeds the limit of 4 bytes: the request was received, its result cannot be read"
        );
    }
}
