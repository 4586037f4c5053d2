//! [`StraxError`]: why a `crmwire strax` command failed, with its exit code.

use facade::securitytrax::EndpointError;
use facade::transport::{Backend, TimeoutPhase, TransportBuildError};

use crate::config::ServiceKind;
use crate::exit::Exit;

/// Why a `crmwire strax` command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum StraxError {
    /// An option's value cannot be read (date-times).
    #[error("invalid input, nothing was sent: {option} `{value}` {rule}")]
    InvalidOption {
        option: &'static str,
        value: String,
        rule: &'static str,
    },
    /// The input breaks the protocol's rules; one message per broken rule, each
    /// naming the option, the SecurityTrax field and the rule.
    #[error("invalid input, nothing was sent: {}", .0.join("; "))]
    InvalidFields(Vec<String>),
    /// The selected profile is for another service.
    #[error(
        "profile `{profile}` is a `{service}` profile; `crmwire strax` needs a `securitytrax` profile (choose one with --profile)"
    )]
    WrongService {
        profile: String,
        service: ServiceKind,
    },
    /// The profile's base URL or site cannot make a SecurityTrax endpoint.
    #[error("profile `{profile}`: {source}")]
    Endpoint {
        profile: String,
        #[source]
        source: EndpointError,
    },
    /// The HTTP backend could not be built.
    #[error("cannot build the `{backend}` HTTP transport: {source}")]
    Transport {
        backend: Backend,
        #[source]
        source: TransportBuildError,
    },
    /// The embedded sandbox has no SecurityTrax service (a build without it).
    #[error("the embedded sandbox does not simulate SecurityTrax")]
    NoSandboxService,
    /// The service's answer is not the operation's (a decoder bug guard).
    #[error(transparent)]
    Mismatch(#[from] super::report::Mismatch),
    /// The call failed; the message says what is known about the request's fate.
    #[error("{0}")]
    Call(facade::Error),
}

impl StraxError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::InvalidOption { .. }
            | Self::InvalidFields(_)
            | Self::WrongService { .. }
            | Self::Endpoint { .. } => Exit::Invalid,
            Self::Transport { .. } | Self::NoSandboxService | Self::Mismatch(_) => Exit::Failed,
            Self::Call(error) => Exit::of_call(error),
        }
    }

    /// A short, stable name for `--json` error documents.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::InvalidOption { .. } | Self::InvalidFields(_) => "invalid_input",
            Self::WrongService { .. } | Self::Endpoint { .. } => "config",
            Self::Transport { .. } => "transport_build",
            Self::NoSandboxService => "sandbox",
            Self::Mismatch(_) => "protocol",
            Self::Call(error) => call_kind(error),
        }
    }

    /// Whether running the same command again cannot act twice and may succeed.
    pub(crate) fn retry_safe(&self) -> bool {
        matches!(self, Self::Call(error) if error.is_retry_safe())
    }
}

/// The kind of a failed call, by what it means.
fn call_kind(error: &facade::Error) -> &'static str {
    match error {
        facade::Error::InvalidInput(_) | facade::Error::Encode { .. } => "invalid_input",
        facade::Error::RequestRefused { .. } => "request_refused",
        facade::Error::NotSent { .. } => "not_sent",
        facade::Error::OutcomeUnknown { .. } => "outcome_unknown",
        facade::Error::Timeout {
            phase: TimeoutPhase::Connect,
            ..
        } => "connect_timeout",
        facade::Error::Timeout { .. } => "timeout",
        facade::Error::HttpStatus { .. } => "http_status",
        facade::Error::ResponseTooLarge { .. } => "response_too_large",
        facade::Error::Protocol { .. } => "protocol",
        facade::Error::AuthenticationFailed { .. } => "authentication_failed",
        facade::Error::OperationFailed(_) => "operation_failed",
        _ => "failed",
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn input_and_profile_problems_exit_2() {
        let errors = [
            StraxError::InvalidFields(vec!["--customer (SecurityTraxUniqueID) x".into()]),
            StraxError::InvalidOption {
                option: "--start",
                value: "x".into(),
                rule: "r",
            },
            StraxError::WrongService {
                profile: "shop".into(),
                service: ServiceKind::Neto,
            },
        ];
        for error in errors {
            assert_eq!(error.exit(), Exit::Invalid, "{error}");
            assert!(!error.retry_safe());
        }
        let wrong = StraxError::WrongService {
            profile: "shop".into(),
            service: ServiceKind::Neto,
        };
        assert_eq!(wrong.kind(), "config");
        assert!(wrong.to_string().contains("`neto` profile"), "{wrong}");
    }

    #[test]
    fn call_failures_keep_the_facade_message_and_advice() {
        let unknown = StraxError::Call(facade::Error::OutcomeUnknown {
            detail: "connection closed".into(),
        });
        assert_eq!(unknown.exit(), Exit::OutcomeUnknown);
        assert_eq!(unknown.kind(), "outcome_unknown");
        let message = unknown.to_string();
        assert!(
            message.contains("may have been received")
                && message.contains("before sending it again"),
            "{message}"
        );

        let not_sent = StraxError::Call(facade::Error::NotSent {
            detail: "connection refused".into(),
            attempts: 3,
        });
        assert_eq!(not_sent.exit(), Exit::NotSent);
        assert!(not_sent.retry_safe());
        assert_eq!(not_sent.kind(), "not_sent");

        let timeout = StraxError::Call(facade::Error::Timeout {
            phase: TimeoutPhase::Connect,
            after: Duration::from_secs(2),
        });
        assert_eq!(timeout.kind(), "connect_timeout");
        assert_eq!(timeout.exit(), Exit::NotSent);
    }
}
