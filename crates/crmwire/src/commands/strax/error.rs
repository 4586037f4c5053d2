//! [`StraxError`]: why a `crmwire strax` (or `crmwire wire … strax`) command failed,
//! with its exit code. A failed call is read by the shared [`failure`] module, like
//! every service's.

use std::path::PathBuf;

use facade::securitytrax::EndpointError;
use facade::transport::{Backend, TransportBuildError};

use crate::commands::failure::{self, Problem};
use crate::config::ServiceKind;
use crate::exit::Exit;

/// Why a `crmwire strax` command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum StraxError {
    /// The input breaks rules; one problem per broken rule, each naming the
    /// option, the SecurityTrax field and the rule.
    #[error("invalid input, nothing was sent: {}", failure::joined(.0))]
    InvalidInput(Vec<Problem>),
    /// An input document (`crmwire wire`) cannot be read or is not the documented
    /// shape.
    #[error("{what} {}: {message}", shown(path.as_ref()))]
    Document {
        /// What the document is (`operation`, `response`).
        what: &'static str,
        /// The file, `None` for stdin.
        path: Option<PathBuf>,
        /// What is wrong.
        message: String,
    },
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
    /// The call failed; the message says what is known about the request's
    /// fate, then what lies below it (the transport's detail).
    #[error("{}", failure::chain(.0))]
    Call(facade::Error),
    /// A lead or customer post from a file could not run.
    #[error(transparent)]
    Lead(#[from] super::lead::LeadError),
}

fn shown(path: Option<&PathBuf>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "on stdin".to_owned(),
    }
}

impl StraxError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::InvalidInput(_)
            | Self::Document { .. }
            | Self::WrongService { .. }
            | Self::Endpoint { .. } => Exit::Invalid,
            Self::Transport { .. } | Self::NoSandboxService => Exit::Failed,
            Self::Call(error) => failure::exit_of(error),
            Self::Lead(error) => error.exit(),
        }
    }

    /// A short, stable name for `--json` error documents.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) | Self::Document { .. } => "invalid_input",
            Self::WrongService { .. } | Self::Endpoint { .. } => "config",
            Self::Transport { .. } => "transport_build",
            Self::NoSandboxService => "sandbox",
            Self::Call(error) => failure::kind_of(error),
            Self::Lead(error) => error.kind(),
        }
    }

    /// The request's fate, when a call failed: `rejected`, `not_sent`, `unknown`
    /// or `answered`.
    pub(crate) fn fate(&self) -> Option<&'static str> {
        match self {
            Self::Call(error) => Some(error.fate().as_str()),
            _ => None,
        }
    }

    /// Whether running the same command again cannot act twice and may succeed.
    pub(crate) fn retry_safe(&self) -> bool {
        matches!(self, Self::Call(error) if failure::retry_safe(error))
    }

    /// The broken rules, when the input is invalid.
    pub(crate) fn problems(&self) -> Option<&[Problem]> {
        match self {
            Self::InvalidInput(problems) => Some(problems),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use facade::transport::TimeoutPhase;
    use wire_core::validation::Rule;

    use super::*;

    #[test]
    fn input_and_profile_problems_exit_2() {
        let problem = Problem::of_option("--start", "StartTime", &Rule::Required, "x");
        let errors = [
            StraxError::InvalidInput(vec![problem]),
            StraxError::WrongService {
                profile: "shop".into(),
                service: ServiceKind::Neto,
            },
            StraxError::Document {
                what: "operation",
                path: None,
                message: "expected value".into(),
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
        let unknown = StraxError::Call(facade::Error::from(
            facade::transport::TransportError::maybe_received("connection closed"),
        ));
        assert_eq!(unknown.exit(), Exit::OutcomeUnknown);
        assert_eq!(unknown.kind(), "outcome_unknown");
        let message = unknown.to_string();
        assert!(
            message.contains("may have been received")
                && message.contains("before sending it again"),
            "{message}"
        );

        let not_sent = StraxError::Call(facade::Error::from(
            facade::transport::TransportError::not_sent("connection refused").with_attempts(3),
        ));
        assert_eq!(not_sent.exit(), Exit::NotSent);
        assert!(
            not_sent.to_string().contains("(after 3 attempts)")
                && not_sent.to_string().ends_with(": connection refused"),
            "{not_sent}"
        );
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
