//! [`LeadError`]: why `lead post`, `customer post` or `lead unknown` could not
//! run (a refusal by the service is not one: it is in the report).

use std::path::PathBuf;

use super::deliver::DeliveryError;
use super::journal::JournalError;
use super::source::SourceError;
use crate::commands::CommandError;
use crate::commands::strax::StraxError;
use crate::exit::Exit;

/// Why a post command could not run, or how it ended once its report is printed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum LeadError {
    /// The input's format cannot be told from its name.
    #[error(
        "cannot tell the format of {} from its extension: name it .csv or .jsonl, or use --format",
        path.display()
    )]
    NoFormat {
        /// The input file.
        path: PathBuf,
    },
    /// The input file cannot be opened.
    #[error("cannot read {}: {source}", path.display())]
    Open {
        /// The input file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The input cannot be read as a whole.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The delivery journal cannot be used.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// `lead unknown` without a file or a journal.
    #[error("name the input file or the journal (--journal)")]
    NoJournal,
    /// Records that passed validation could not be written as a document.
    #[error("cannot write the document: {0}")]
    Encode(String),
    /// Stdout could not be written.
    #[error("cannot write the output: {source}")]
    Write {
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `--journal` with several `--profile`s: each profile has its own journal.
    #[error(
        "--journal names one journal, but each of the {0} profiles has its own (beside the input, FILE.PROFILE.crmwire-journal): drop --journal"
    )]
    JournalWithProfiles(usize),
    /// `--sandbox` with several `--profile`s.
    #[error("--sandbox posts to the embedded sandbox only: name at most one --profile with it")]
    SandboxWithProfiles,
    /// The same profile is named twice.
    #[error("profile `{0}` is named twice")]
    ProfileTwice(String),
    /// The report is printed; the command ends with this code.
    #[error("ended with exit code {}", .0.code())]
    Reported(Exit),
}

impl From<LeadError> for CommandError {
    fn from(error: LeadError) -> Self {
        Self::Strax(StraxError::Own(error))
    }
}

impl From<DeliveryError> for LeadError {
    fn from(error: DeliveryError) -> Self {
        match error {
            DeliveryError::Source(error) => Self::Source(error),
            DeliveryError::Journal(error) => Self::Journal(error),
        }
    }
}

impl LeadError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::NoFormat { .. }
            | Self::Open { .. }
            | Self::NoJournal
            | Self::JournalWithProfiles(_)
            | Self::SandboxWithProfiles
            | Self::ProfileTwice(_) => Exit::Invalid,
            Self::Source(SourceError::Header(_)) => Exit::Invalid,
            Self::Journal(error) if error.is_usage() => Exit::Invalid,
            Self::Reported(exit) => *exit,
            _ => Exit::Failed,
        }
    }

    /// A short, stable name for `--json` error documents.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::NoFormat { .. } | Self::Source(SourceError::Header(_)) => "invalid_input",
            Self::Open { .. } | Self::Source(_) | Self::Write { .. } => "io",
            Self::Journal(_) | Self::NoJournal => "journal",
            Self::JournalWithProfiles(_) | Self::SandboxWithProfiles | Self::ProfileTwice(_) => {
                "usage"
            }
            Self::Encode(_) => "encode",
            Self::Reported(_) => "reported",
        }
    }

    /// Whether the report is already printed (nothing more to say).
    pub(crate) fn is_reported(&self) -> bool {
        matches!(self, Self::Reported(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_problems_exit_2_and_the_rest_1() {
        let header = LeadError::Source(SourceError::Header("x".into()));
        assert_eq!(
            (header.exit(), header.kind()),
            (Exit::Invalid, "invalid_input")
        );
        let io = LeadError::Source(SourceError::Io(std::io::Error::other("gone")));
        assert_eq!((io.exit(), io.kind()), (Exit::Failed, "io"));
        let in_use = LeadError::Journal(JournalError::InUse {
            path: PathBuf::from("j"),
        });
        assert_eq!(in_use.exit(), Exit::Invalid);
        let reported = LeadError::Reported(Exit::OutcomeUnknown);
        assert!(reported.is_reported());
        assert_eq!(reported.exit(), Exit::OutcomeUnknown);
    }
}
