//! The arguments of `crmwire strax lead …` and `crmwire strax customer post`
//! (also `crmwire lead …` and `crmwire customer post`).

use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

use super::source::Format;
use crate::commands::SandboxFlag;

/// The chunk size when none is given: records per post.
pub(crate) const DEFAULT_CHUNK_SIZE: usize = 50;

/// Posts per second when `--posts-per-second` is not given.
pub(crate) const DEFAULT_POSTS_PER_SECOND: NonZeroU32 = NonZeroU32::new(10).unwrap();

/// The largest chunk accepted.
pub(crate) const MAX_CHUNK_SIZE: usize = 1000;

/// Help shared by the post commands.
pub(crate) const POST_HELP: &str = "\
The input is CSV with a header row of the documented field names, or JSON Lines
(one object per line), told apart by the extension (.csv, .jsonl/.ndjson/.json)
or --format. A record that breaks a rule is reported (line, field, rule) and not
sent; every other record still goes.

Every chunk is recorded in a delivery journal (an SQLite file, FILE.crmwire-journal
by default) before it is sent, and its outcomes after the answer. Ctrl-C stops after
the post in flight. After Ctrl-C, a kill, a crash or a lost connection, run the
same command with --resume: no record
whose outcome is known is sent again, none is lost, and the records whose outcome
is unknown (sent, no answer) are listed, never sent again unless you add
--resend-unknown after checking SecurityTrax.

`lead post FILE --profile A --profile B` (and `customer post`) posts the file to
each profile in turn, each with its own journal (FILE.A.crmwire-journal,
FILE.B.crmwire-journal; not --journal); a profile whose service cannot post them is
reported unsupported (exit 1) and the others still run. The exit code is the worst
of the profiles'.

Exit codes: 0 every record accepted; 1 the service refused some; 2 some records
are invalid (not sent) or bad usage; 3 a post was not sent, or Ctrl-C (run again
with --resume); 4 some records have an unknown outcome (see `crmwire lead unknown`).";

/// `crmwire lead …` (top level): the same as `crmwire strax lead …`.
#[derive(Debug, Args)]
pub(crate) struct TopLeadArgs {
    /// Validate, print the documents that would be sent, and send nothing.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// `--sandbox`.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: LeadCommand,
}

/// `crmwire customer …` (top level): posting customers (the other customer
/// commands are SecurityTrax's: `crmwire strax customer …`).
#[derive(Debug, Args)]
pub(crate) struct TopCustomerArgs {
    /// Validate, print the documents that would be sent, and send nothing.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// `--sandbox`.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: TopCustomerCommand,
}

/// `crmwire customer …`
#[derive(Debug, Subcommand)]
pub(crate) enum TopCustomerCommand {
    /// Post the customers of a CSV or JSON Lines file to SecurityTrax.
    #[command(after_help = POST_HELP)]
    Post(PostArgs),
}

/// `crmwire strax lead …`
#[derive(Debug, Subcommand)]
pub(crate) enum LeadCommand {
    /// Post the leads of a CSV or JSON Lines file to SecurityTrax, in chunks,
    /// with a delivery journal.
    #[command(after_help = concat!(
        "Examples:\n",
        "  crmwire lead post leads.csv --sandbox\n",
        "  crmwire lead post leads.jsonl --chunk-size 100\n",
        "  crmwire lead post leads.csv --resume\n\n",
    ))]
    Post(PostArgs),
    /// List the leads whose outcome is unknown (sent, no answer): check them in
    /// SecurityTrax before sending them again with `post --resume --resend-unknown`.
    Unknown(UnknownArgs),
}

/// `lead post` and `customer post`.
#[derive(Debug, Args)]
pub(crate) struct PostArgs {
    /// The input file.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// The input's format [default: from the extension].
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,

    /// Carry on from the journal of an earlier run: nothing whose outcome is
    /// known is sent again.
    #[arg(long)]
    pub(crate) resume: bool,

    /// With --resume: send again the records whose outcome is unknown. Check
    /// SecurityTrax first: a record it already has becomes a duplicate.
    #[arg(long, requires = "resume")]
    pub(crate) resend_unknown: bool,

    /// The delivery journal [default: FILE.crmwire-journal].
    #[arg(long, value_name = "PATH")]
    pub(crate) journal: Option<PathBuf>,

    /// Records per post.
    #[arg(long, value_name = "N", default_value_t = NonZeroUsize::new(DEFAULT_CHUNK_SIZE).unwrap_or(NonZeroUsize::MIN), value_parser = chunk_size)]
    pub(crate) chunk_size: NonZeroUsize,

    /// Refuse formatting instead of normalising it (phone numbers and zip
    /// codes must already be digits only).
    #[arg(long)]
    pub(crate) strict: bool,

    /// At most this many posts per second (a `429`'s `Retry-After` is obeyed
    /// whatever the rate).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_POSTS_PER_SECOND)]
    pub(crate) posts_per_second: NonZeroU32,

    /// For benchmarks only: keep the journal in memory, so nothing survives a
    /// stop and --resume has nothing to resume. Never use it for real posts.
    #[arg(long, hide = true, conflicts_with_all = ["resume", "journal"])]
    pub(crate) no_journal: bool,
}

/// `lead unknown`: a journal, named or found from its input file.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["file", "journal"])))]
pub(crate) struct UnknownArgs {
    /// The input file whose journal to read: FILE.crmwire-journal, or with
    /// --profile A the journal a post to several profiles kept for A
    /// (FILE.A.crmwire-journal) when there is one.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// The delivery journal.
    #[arg(long, value_name = "PATH")]
    pub(crate) journal: Option<PathBuf>,
}

fn chunk_size(text: &str) -> Result<NonZeroUsize, String> {
    let size: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    match NonZeroUsize::new(size) {
        Some(size) if size.get() <= MAX_CHUNK_SIZE => Ok(size),
        _ => Err(format!("must be between 1 and {MAX_CHUNK_SIZE}")),
    }
}
