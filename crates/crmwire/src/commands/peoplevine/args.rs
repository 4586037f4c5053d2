//! `crmwire peoplevine …` (alias `pv`), as clap types.

use clap::{Args, Subcommand, ValueEnum};

use crate::commands::SandboxFlag;

/// Options shared by every `crmwire peoplevine` subcommand.
#[derive(Debug, Args)]
pub(crate) struct PeoplevineArgs {
    /// Print the exact HTTP request that would be sent (method, URL, headers,
    /// body) and send nothing; no token is asked for.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// `--sandbox`.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,

    /// What to act on.
    #[command(subcommand)]
    pub(crate) command: PeoplevineCommand,
}

/// `crmwire peoplevine …`
#[derive(Debug, Subcommand)]
pub(crate) enum PeoplevineCommand {
    /// Customer notes.
    #[command(subcommand)]
    Note(NoteCommand),
}

/// `crmwire peoplevine note …`
#[derive(Debug, Subcommand)]
pub(crate) enum NoteCommand {
    /// Add a note to a customer (POST /api/customers/{customer_id}/notes).
    #[command(
        after_help = "Example:\n  crmwire pv note add --customer 501 --subject \"Renewal call\" --details \"Called about the renewal.\""
    )]
    Add(NoteAddArgs),
    /// List a customer's notes: every page, or only --page N.
    List(NoteListArgs),
    /// List every note of the business: every page, or only --page N.
    ListAll(PageArgs),
    /// Show one note.
    Get(NoteGetArgs),
    /// Change some fields of a note: only the options given are sent;
    /// --clear FIELD sends null.
    #[command(
        after_help = "Example:\n  crmwire pv note update 7 --subject \"Renewed\" --clear reminder"
    )]
    Update(NoteUpdateArgs),
}

/// `--status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusArg {
    /// open
    Open,
    /// closed
    Closed,
}

impl StatusArg {
    pub(crate) fn wire(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// `note add`.
#[derive(Debug, Args)]
pub(crate) struct NoteAddArgs {
    /// The customer's id.
    #[arg(long, value_name = "ID")]
    pub(crate) customer: i64,
    /// The subject.
    #[arg(long)]
    pub(crate) subject: Option<String>,
    /// The note's text.
    #[arg(long)]
    pub(crate) details: Option<String>,
    /// The note's type (free text).
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) kind: Option<String>,
    /// open or closed.
    #[arg(long, value_enum)]
    pub(crate) status: Option<StatusArg>,
    /// A reminder, as the service takes it.
    #[arg(long)]
    pub(crate) reminder: Option<String>,
    /// What the note is about (customer, order, reservation, …).
    #[arg(long, value_name = "TYPE")]
    pub(crate) reference_type: Option<String>,
    /// The id of the record it is about.
    #[arg(long, value_name = "ID")]
    pub(crate) reference_id: Option<i64>,
    /// Only privileged staff may read it.
    #[arg(long)]
    pub(crate) confidential: bool,
    /// Mark it as a priority.
    #[arg(long)]
    pub(crate) priority: bool,
    /// A tag (repeat for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub(crate) tags: Vec<String>,
    /// A user id to assign it to (repeat for more).
    #[arg(long = "assignee", value_name = "ID")]
    pub(crate) assignees: Vec<i64>,
}

/// Which page(s) of a list.
#[derive(Debug, Args)]
pub(crate) struct PageArgs {
    /// Only this page (from 1); every page when not given.
    #[arg(long, value_name = "N")]
    pub(crate) page: Option<u32>,
    /// Notes per page, 1-50.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(crate) page_size: u32,
}

/// `note list`.
#[derive(Debug, Args)]
pub(crate) struct NoteListArgs {
    /// The customer's id.
    #[arg(long, value_name = "ID")]
    pub(crate) customer: i64,
    /// The page(s).
    #[command(flatten)]
    pub(crate) pages: PageArgs,
}

/// `note get`.
#[derive(Debug, Args)]
pub(crate) struct NoteGetArgs {
    /// The note's id.
    pub(crate) id: i64,
}

/// The fields `--clear` can set to null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ClearField {
    /// The subject.
    Subject,
    /// The text.
    Details,
    /// The type.
    Type,
    /// The reminder.
    Reminder,
    /// The tags.
    Tags,
    /// The reference id.
    ReferenceId,
}

/// `note update`.
#[derive(Debug, Args)]
pub(crate) struct NoteUpdateArgs {
    /// The note's id.
    pub(crate) id: i64,
    /// A new subject.
    #[arg(long)]
    pub(crate) subject: Option<String>,
    /// A new text.
    #[arg(long)]
    pub(crate) details: Option<String>,
    /// A new type.
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) kind: Option<String>,
    /// open or closed.
    #[arg(long, value_enum)]
    pub(crate) status: Option<StatusArg>,
    /// A new reminder.
    #[arg(long)]
    pub(crate) reminder: Option<String>,
    /// What the note is about.
    #[arg(long, value_name = "TYPE")]
    pub(crate) reference_type: Option<String>,
    /// The id of the record it is about.
    #[arg(long, value_name = "ID")]
    pub(crate) reference_id: Option<i64>,
    /// Move the note to another customer.
    #[arg(long, value_name = "ID")]
    pub(crate) customer: Option<i64>,
    /// true or false.
    #[arg(long, value_name = "BOOL")]
    pub(crate) confidential: Option<bool>,
    /// true or false.
    #[arg(long, value_name = "BOOL")]
    pub(crate) priority: Option<bool>,
    /// Replace the tags (repeat for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub(crate) tags: Vec<String>,
    /// Send this field as null (repeat for more).
    #[arg(long, value_enum, value_name = "FIELD")]
    pub(crate) clear: Vec<ClearField>,
}
