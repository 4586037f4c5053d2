//! The service-neutral commands: `crmwire note add|list`, `crmwire appointment
//! book` and `crmwire followup log`.
//!
//! Each sends the same record to every profile named with `--profile` (or,
//! with `--sandbox`, to the embedded sandbox's services) through
//! `facade::neutral`: one [`CrmSet`](facade::neutral::CrmSet) built from the
//! profiles, every entry called at once, each paced at its own vendor's limit.
//! The report has one outcome per profile, and the exit code is the worst of
//! them ([`Exit::worst`]). A profile whose service lacks the operation is
//! reported `unsupported` and nothing is sent to it.
//!
//! The room: [`args`] (clap), [`plan`] (which profiles, which customer each),
//! [`clients`] (the set), [`request`] (the record), [`run`] (sending),
//! [`report`] (the outcomes).

pub(crate) mod args;
mod clients;
mod plan;
mod report;
mod request;
mod run;

pub(crate) use args::{AppointmentArgs, FollowupArgs, NoteArgs};

use args::{AppointmentCommand, FollowupCommand, NoteCommand};

use super::failure::Problem;
use super::{CommandError, Context};
use crate::exit::Exit;
use crate::output::Output;

/// Why a neutral command failed before any outcome was printed, or that it
/// printed its outcomes and only the exit code remains.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum NeutralError {
    /// `--customer` does not give every profile exactly one customer.
    #[error("{0}")]
    Customer(String),
    /// `--sandbox --profile NAME` names no service of the sandbox.
    #[error(
        "with --sandbox, --profile names a sandbox service (securitytrax, peoplevine or neto); got `{0}`"
    )]
    UnknownSandboxService(String),
    /// The same profile is named twice.
    #[error("profile `{0}` is named twice")]
    Twice(String),
    /// A date-time or instant option cannot be read.
    #[error("{}", super::failure::joined(.0))]
    InvalidInput(Vec<Problem>),
    /// A profile's endpoint cannot be built from its settings.
    #[error("profile `{profile}`: {detail}")]
    Endpoint { profile: String, detail: String },
    /// A profile's client cannot be built (e.g. the HTTP backend).
    #[error("profile `{profile}`: {source}")]
    Build {
        profile: String,
        #[source]
        source: Box<facade::Error>,
    },
    /// The embedded sandbox has no such service.
    #[error("the embedded sandbox has no {0} service")]
    NoSandboxService(&'static str),
    /// The outcomes were printed; only the exit code remains.
    #[error("see the outcomes above")]
    Reported(Exit),
}

impl NeutralError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::Customer(_)
            | Self::UnknownSandboxService(_)
            | Self::Twice(_)
            | Self::InvalidInput(_)
            | Self::Endpoint { .. } => Exit::Invalid,
            Self::Build { .. } | Self::NoSandboxService(_) => Exit::Failed,
            Self::Reported(exit) => *exit,
        }
    }

    /// A short, stable name for `--json` error documents.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Customer(_) | Self::UnknownSandboxService(_) | Self::Twice(_) => "usage",
            Self::InvalidInput(_) => "invalid_input",
            Self::Endpoint { .. } => "config",
            Self::Build { .. } => "transport_build",
            Self::NoSandboxService(_) => "sandbox",
            Self::Reported(_) => "reported",
        }
    }

    /// Whether the outcomes were printed already.
    pub(crate) fn is_reported(&self) -> bool {
        matches!(self, Self::Reported(_))
    }

    /// The broken rules, for invalid input.
    pub(crate) fn problems(&self) -> Option<&[Problem]> {
        match self {
            Self::InvalidInput(problems) => Some(problems),
            _ => None,
        }
    }
}

/// Runs `crmwire note …`.
pub(crate) async fn run_note(
    output: &Output,
    context: &Context,
    args: &NoteArgs,
) -> Result<(), CommandError> {
    let (command, request, customers) = match &args.command {
        NoteCommand::Add(add) => ("note add", request::add_note(add), &add.customer),
        NoteCommand::List(list) => ("note list", request::list_notes(list), &list.customer),
    };
    run::run(output, context, &args.common, command, request, customers).await
}

/// Runs `crmwire appointment …`.
pub(crate) async fn run_appointment(
    output: &Output,
    context: &Context,
    args: &AppointmentArgs,
) -> Result<(), CommandError> {
    let AppointmentCommand::Book(book) = &args.command;
    let request = request::book(book)?;
    run::run(
        output,
        context,
        &args.common,
        "appointment book",
        request,
        &book.customer,
    )
    .await
}

/// Runs `crmwire followup …`.
pub(crate) async fn run_followup(
    output: &Output,
    context: &Context,
    args: &FollowupArgs,
) -> Result<(), CommandError> {
    let FollowupCommand::Log(log) = &args.command;
    let request = request::follow_up(log)?;
    run::run(
        output,
        context,
        &args.common,
        "followup log",
        request,
        &log.customer,
    )
    .await
}
