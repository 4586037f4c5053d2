//! [`NetoError`]: why a `crmwire neto` (or `crmwire wire … neto`) command
//! failed, with its exit code. A failed call is read by the shared
//! [`failure`] module, like every service's.

use std::path::PathBuf;

use facade::transport::{Backend, TransportBuildError};

use crate::commands::failure::{self, Problem};
use crate::config::ServiceKind;
use crate::exit::Exit;

/// Why a `crmwire neto` command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum NetoError {
    /// The input breaks rules; one problem per broken rule, each naming the
    /// option (or the log), the Neto field and the rule.
    #[error("invalid input, nothing was sent: {}", failure::joined(.0))]
    InvalidInput(Vec<Problem>),
    /// An input document (`crmwire wire`) cannot be read.
    #[error("{what} {}: {message}", path.as_ref().map_or_else(|| "on stdin".to_owned(), |p| p.display().to_string()))]
    Document {
        /// What the document is (`request`, `answer`).
        what: &'static str,
        /// The file, `None` for stdin.
        path: Option<PathBuf>,
        /// What is wrong.
        message: String,
    },
    /// The selected profile is for another service.
    #[error(
        "profile `{profile}` is a `{service}` profile; `crmwire neto` needs a `neto` profile (choose one with --profile)"
    )]
    WrongService {
        /// The profile.
        profile: String,
        /// Its service.
        service: ServiceKind,
    },
    /// The profile's base URL cannot make a Neto endpoint.
    #[error("profile `{profile}`: {source}")]
    Endpoint {
        /// The profile.
        profile: String,
        /// Why.
        #[source]
        source: neto_api::EndpointError,
    },
    /// The HTTP backend could not be built.
    #[error("cannot build the `{backend}` HTTP transport: {source}")]
    Transport {
        /// The backend.
        backend: Backend,
        /// Why.
        #[source]
        source: TransportBuildError,
    },
    /// The embedded sandbox has no Neto service.
    #[error("the embedded sandbox does not simulate Neto")]
    NoSandboxService,
    /// The call failed; the message says what is known about the request's fate.
    #[error("{}", failure::chain(.0))]
    Call(facade::Error),
}

impl NetoError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::InvalidInput(_)
            | Self::Document { .. }
            | Self::WrongService { .. }
            | Self::Endpoint { .. } => Exit::Invalid,
            Self::Transport { .. } | Self::NoSandboxService => Exit::Failed,
            Self::Call(error) => failure::exit_of(error),
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
        }
    }

    /// The request's fate, when a call failed.
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
