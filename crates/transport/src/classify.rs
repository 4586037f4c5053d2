//! Turning an HTTP stack's failure into a [`TransportError`].
//!
//! Each backend reduces its own error type to a [`Failure`] (how far the
//! exchange got, whether a timer fired, a URL-free description); the mapping
//! from there is shared, so both backends classify alike and the mapping is
//! unit-tested without sockets.

use std::error::Error;
use std::time::Duration;

use crate::{ErrorKind, TimeoutPhase, TransportError};

/// How far an exchange got before it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The stack refused the request before opening anything.
    Refused,
    /// Opening the connection: DNS, TCP connect, TLS handshake.
    Connecting,
    /// Writing the request or waiting for the response head.
    Exchanging,
    /// Reading the response body.
    ReadingBody,
}

/// A backend failure reduced to what matters for classification, with the
/// backend's own error (URL removed) kept as the source.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) stage: Stage,
    pub(crate) timed_out: bool,
    pub(crate) source: Box<dyn Error + Send + Sync>,
}

/// Maps a failure to the error that says what is known about the request's
/// fate; the backend's error becomes its source.
pub(crate) fn classify(failure: Failure, connect_timeout: Duration) -> TransportError {
    let Failure {
        stage,
        timed_out,
        source,
    } = failure;
    let error = match stage {
        Stage::Refused => TransportError::invalid_request("the HTTP stack refused the request"),
        Stage::Connecting if timed_out => {
            TransportError::timeout(TimeoutPhase::Connect, connect_timeout)
        }
        Stage::Connecting => TransportError::new(ErrorKind::NotSent),
        Stage::Exchanging | Stage::ReadingBody => TransportError::new(ErrorKind::MaybeReceived),
    };
    error.with_source(source)
}

/// The messages of an error and its sources, joined with `": "`, skipping a
/// message that repeats the previous one.
#[cfg_attr(not(feature = "reqwest"), allow(dead_code))]
pub(crate) fn describe_chain(error: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(error) = current {
        let message = error.to_string();
        if parts.last() != Some(&message) {
            parts.push(message);
        }
        current = error.source();
    }
    parts.join(": ")
}

/// Whether an I/O error of kind `TimedOut` is in the chain.
#[cfg_attr(not(feature = "hyper"), allow(dead_code))]
pub(crate) fn chain_has_io_timeout(error: &(dyn Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        current = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONNECT: Duration = Duration::from_secs(3);

    fn failure(stage: Stage, timed_out: bool, detail: &str) -> Failure {
        Failure {
            stage,
            timed_out,
            source: detail.into(),
        }
    }

    #[test]
    fn dns_failure_is_not_sent_and_retry_safe() {
        let error = classify(
            failure(
                Stage::Connecting,
                false,
                "dns error: failed to lookup address",
            ),
            CONNECT,
        );
        assert_eq!(
            error,
            TransportError::not_sent("dns error: failed to lookup address")
        );
        assert!(error.is_retry_safe());
    }

    #[test]
    fn connect_timeout_is_retry_safe_and_names_the_deadline() {
        let error = classify(failure(Stage::Connecting, true, "timed out"), CONNECT);
        assert_eq!(
            error.kind(),
            &ErrorKind::Timeout {
                phase: TimeoutPhase::Connect,
                after: CONNECT
            }
        );
        assert_eq!(error.source().unwrap().to_string(), "timed out");
        assert!(error.is_retry_safe());
    }

    #[test]
    fn failures_after_connecting_have_an_unknown_outcome() {
        for stage in [Stage::Exchanging, Stage::ReadingBody] {
            for timed_out in [false, true] {
                let error = classify(failure(stage, timed_out, "connection reset"), CONNECT);
                assert_eq!(error.kind(), &ErrorKind::MaybeReceived, "{stage:?}");
                assert!(!error.is_retry_safe());
                assert!(error.outcome_unknown());
            }
        }
    }

    #[test]
    fn refused_by_the_stack_is_an_invalid_request_with_the_stack_error_as_source() {
        let error = classify(failure(Stage::Refused, false, "bad method"), CONNECT);
        assert!(matches!(error.kind(), ErrorKind::InvalidRequest { .. }));
        assert_eq!(error.source().unwrap().to_string(), "bad method");
        assert!(!error.is_retry_safe());
    }

    #[derive(Debug)]
    struct Wrapper(std::io::Error);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl Error for Wrapper {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn chains_are_described_and_searched_for_timeouts() {
        let timed_out = Wrapper(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "connect timed out",
        ));
        assert_eq!(
            describe_chain(&timed_out),
            "client error (Connect): connect timed out"
        );
        assert!(chain_has_io_timeout(&timed_out));
        let refused = Wrapper(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!chain_has_io_timeout(&refused));
    }
}
