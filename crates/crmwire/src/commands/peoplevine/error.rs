//! [`PvError`]: why a `crmwire peoplevine` (or `crmwire wire … peoplevine`)
//! command failed, with its exit code; a failed call is read by the shared
//! [`failure`] module, like every service's.

use std::path::PathBuf;

use facade::transport::{Backend, TransportBuildError};
use wire_core::validation::{Record, Violations};

use crate::commands::failure::{self, Problem};
use crate::config::ServiceKind;
use crate::exit::Exit;

/// Why a `crmwire peoplevine` command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum PvError {
    /// The input breaks rules; one problem per broken rule, naming the option.
    #[error("invalid input, nothing was sent: {}", failure::joined(.0))]
    InvalidInput(Vec<Problem>),
    /// An input document (`crmwire wire`) cannot be read or is not the documented shape.
    #[error("{what} {}: {message}", shown(path.as_ref()))]
    Document {
        /// What the document is.
        what: &'static str,
        /// The file, `None` for stdin.
        path: Option<PathBuf>,
        /// What is wrong.
        message: String,
    },
    /// The selected profile is for another service.
    #[error(
        "profile `{profile}` is a `{service}` profile; `crmwire peoplevine` needs a `peoplevine` profile (choose one with --profile)"
    )]
    WrongService {
        profile: String,
        service: ServiceKind,
    },
    /// The profile's base URL or region cannot make an endpoint.
    #[error("profile `{profile}`: {}", failure::joined(problems))]
    Endpoint {
        profile: String,
        problems: Vec<Problem>,
    },
    /// The HTTP backend could not be built.
    #[error("cannot build the `{backend}` HTTP transport: {source}")]
    Transport {
        backend: Backend,
        #[source]
        source: TransportBuildError,
    },
    /// The embedded sandbox has no Peoplevine service.
    #[error("the embedded sandbox does not simulate Peoplevine")]
    NoSandboxService,
    /// The call failed; the message says what is known about the request's fate.
    #[error("{}", failure::chain(.0))]
    Call(facade::Error),
}

impl From<facade::Error> for PvError {
    fn from(error: facade::Error) -> Self {
        match error.violations() {
            Some(violations) => Self::invalid(violations),
            None => Self::Call(error),
        }
    }
}

fn shown(path: Option<&PathBuf>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "on stdin".to_owned(),
    }
}

/// The command-line option that sets a Peoplevine field.
fn option_of(_record: Option<&Record>, field: &str) -> Option<&'static str> {
    Some(match field {
        "page_number" => "--page",
        "page_size" => "--page-size",
        "subject" => "--subject",
        "details" => "--details",
        "type" => "--type",
        "status" => "--status",
        "reminder" => "--reminder",
        "reference_type" => "--reference-type",
        "reference_id" => "--reference-id",
        "customer_id" => "--customer",
        "confidential" => "--confidential",
        "priority" => "--priority",
        "tags" => "--tag",
        "clear" => "--clear",
        "region" => "region",
        "base_url" => "base_url",
        _ => return None,
    })
}

impl PvError {
    /// Invalid input, each broken rule named by its option.
    pub(crate) fn invalid(violations: &Violations) -> Self {
        Self::InvalidInput(failure::describe(violations, &option_of))
    }

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
            Self::InvalidInput(problems) | Self::Endpoint { problems, .. } => Some(problems),
            _ => None,
        }
    }
}
