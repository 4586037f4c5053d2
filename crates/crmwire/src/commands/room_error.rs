//! [`RoomError`]: why a single-service command (`crmwire strax|pv|neto …`, and
//! `crmwire wire … <service>`) failed, with its exit code: one error for every
//! service's room, each room naming itself through [`Room`]. A failed call is
//! read by the shared [`failure`] module.

use std::fmt;
use std::path::PathBuf;

use facade::transport::{Backend, TransportBuildError};

use crate::commands::failure::{self, Problem};
use crate::config::ServiceKind;
use crate::exit::Exit;

/// What a service's room tells [`RoomError`] about itself.
pub(crate) trait Room: fmt::Debug {
    /// The command, as in `crmwire <COMMAND> …`.
    const COMMAND: &'static str;
    /// The service its profiles must be for.
    const SERVICE: ServiceKind;
    /// The service's name in sentences.
    const NAME: &'static str;
    /// Why a profile's settings cannot make the service's endpoint.
    type EndpointError: std::error::Error + 'static;
    /// The room's own failures, beyond the ones every room has.
    type Own: OwnFailure;

    /// The broken rules an endpoint error carries, when it is made of them.
    fn endpoint_problems(_error: &Self::EndpointError) -> Option<&[Problem]> {
        None
    }
}

/// A room's own failures: their exit code and `--json` kind.
pub(crate) trait OwnFailure: std::error::Error + 'static {
    /// The exit code.
    fn exit(&self) -> Exit;
    /// A short, stable name for `--json` error documents.
    fn kind(&self) -> &'static str;
}

/// A room with no failures of its own.
impl OwnFailure for std::convert::Infallible {
    fn exit(&self) -> Exit {
        match *self {}
    }

    fn kind(&self) -> &'static str {
        match *self {}
    }
}

/// Why a command of room `R` failed.
#[derive(Debug)]
#[non_exhaustive]
pub(crate) enum RoomError<R: Room> {
    /// The input breaks rules; one problem per broken rule, each naming the
    /// option (or the record), the service's field and the rule.
    InvalidInput(Vec<Problem>),
    /// An input document (`crmwire wire`) cannot be read or is not the
    /// documented shape.
    Document {
        /// What the document is (`operation`, `request`, `answer`, …).
        what: &'static str,
        /// The file, `None` for stdin.
        path: Option<PathBuf>,
        /// What is wrong.
        message: String,
    },
    /// The selected profile is for another service.
    WrongService {
        /// The profile.
        profile: String,
        /// Its service.
        service: ServiceKind,
    },
    /// The profile's settings cannot make the service's endpoint.
    Endpoint {
        /// The profile.
        profile: String,
        /// Why.
        source: R::EndpointError,
    },
    /// The HTTP backend could not be built.
    Transport {
        /// The backend.
        backend: Backend,
        /// Why.
        source: TransportBuildError,
    },
    /// The embedded sandbox does not simulate the service (a build without it).
    NoSandboxService,
    /// The call failed; the message says what is known about the request's
    /// fate, then what lies below it (the transport's detail).
    Call(facade::Error),
    /// A failure of the room's own.
    Own(R::Own),
}

impl<R: Room> fmt::Display for RoomError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(problems) => write!(
                f,
                "invalid input, nothing was sent: {}",
                failure::joined(problems)
            ),
            Self::Document {
                what,
                path,
                message,
            } => match path {
                Some(path) => write!(f, "{what} {}: {message}", path.display()),
                None => write!(f, "{what} on stdin: {message}"),
            },
            Self::WrongService { profile, service } => write!(
                f,
                "profile `{profile}` is a `{service}` profile; `crmwire {}` needs a `{}` profile \
                 (choose one with --profile)",
                R::COMMAND,
                R::SERVICE
            ),
            Self::Endpoint { profile, source } => match R::endpoint_problems(source) {
                Some(problems) => write!(f, "profile `{profile}`: {}", failure::joined(problems)),
                None => write!(f, "profile `{profile}`: {source}"),
            },
            Self::Transport { backend, source } => {
                write!(f, "cannot build the `{backend}` HTTP transport: {source}")
            }
            Self::NoSandboxService => {
                write!(f, "the embedded sandbox does not simulate {}", R::NAME)
            }
            Self::Call(error) => f.write_str(&failure::chain(error)),
            Self::Own(own) => fmt::Display::fmt(own, f),
        }
    }
}

impl<R: Room> std::error::Error for RoomError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Endpoint { source, .. } => Some(source),
            Self::Transport { source, .. } => Some(source),
            // The call's own chain is already in the message (`failure::chain`);
            // a room's own failure shows through as itself.
            Self::Own(own) => own.source(),
            _ => None,
        }
    }
}

impl<R: Room> RoomError<R> {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::InvalidInput(_)
            | Self::Document { .. }
            | Self::WrongService { .. }
            | Self::Endpoint { .. } => Exit::Invalid,
            Self::Transport { .. } | Self::NoSandboxService => Exit::Failed,
            Self::Call(error) => failure::exit_of(error),
            Self::Own(own) => own.exit(),
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
            Self::Own(own) => own.kind(),
        }
    }

    /// The request's fate, when a call failed: `rejected`, `not_sent`,
    /// `unknown` or `answered`.
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

    /// The broken rules, when the input (or the profile's endpoint) is invalid.
    pub(crate) fn problems(&self) -> Option<&[Problem]> {
        match self {
            Self::InvalidInput(problems) => Some(problems),
            Self::Endpoint { source, .. } => R::endpoint_problems(source),
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

    /// A room for the tests, with no failures of its own.
    #[derive(Debug)]
    struct TestRoom;

    impl Room for TestRoom {
        const COMMAND: &'static str = "neto";
        const SERVICE: ServiceKind = ServiceKind::Neto;
        const NAME: &'static str = "Neto";
        type EndpointError = std::io::Error;
        type Own = std::convert::Infallible;
    }

    type TestError = RoomError<TestRoom>;

    #[test]
    fn input_and_profile_problems_exit_2() {
        let problem = Problem::of_option("--start", "StartTime", &Rule::Required, "x");
        let errors = [
            TestError::InvalidInput(vec![problem]),
            TestError::WrongService {
                profile: "acme".into(),
                service: ServiceKind::SecurityTrax,
            },
            TestError::Document {
                what: "request",
                path: None,
                message: "expected value".into(),
            },
            TestError::Endpoint {
                profile: "shop".into(),
                source: std::io::Error::other("no host"),
            },
        ];
        for error in errors {
            assert_eq!(error.exit(), Exit::Invalid, "{error}");
            assert!(!error.retry_safe());
        }
        let wrong = TestError::WrongService {
            profile: "acme".into(),
            service: ServiceKind::SecurityTrax,
        };
        assert_eq!(wrong.kind(), "config");
        assert_eq!(
            wrong.to_string(),
            "profile `acme` is a `securitytrax` profile; `crmwire neto` needs a `neto` profile \
             (choose one with --profile)"
        );
        let endpoint = TestError::Endpoint {
            profile: "shop".into(),
            source: std::io::Error::other("no host"),
        };
        assert_eq!(endpoint.to_string(), "profile `shop`: no host");
        assert!(
            std::error::Error::source(&endpoint).is_some(),
            "the cause is kept"
        );
        assert_eq!(
            TestError::NoSandboxService.to_string(),
            "the embedded sandbox does not simulate Neto"
        );
        assert_eq!(
            TestError::Document {
                what: "answer",
                path: Some("a.xml".into()),
                message: "not XML".into(),
            }
            .to_string(),
            "answer a.xml: not XML"
        );
    }

    #[test]
    fn call_failures_keep_the_facade_message_and_advice() {
        let unknown = TestError::Call(facade::Error::from(
            facade::transport::TransportError::maybe_received("connection closed"),
        ));
        assert_eq!(unknown.exit(), Exit::OutcomeUnknown);
        assert_eq!(unknown.kind(), "outcome_unknown");
        assert_eq!(unknown.fate(), Some("unknown"));
        let message = unknown.to_string();
        assert!(
            message.contains("may have been received")
                && message.contains("before sending it again"),
            "{message}"
        );

        let not_sent = TestError::Call(facade::Error::from(
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

        let timeout = TestError::Call(facade::Error::Timeout {
            phase: TimeoutPhase::Connect,
            after: Duration::from_secs(2),
            may_have_executed: false,
        });
        assert_eq!(timeout.kind(), "connect_timeout");
        assert_eq!(timeout.exit(), Exit::NotSent);
    }
}
