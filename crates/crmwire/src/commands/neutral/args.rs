//! The clap arguments of the service-neutral commands: `crmwire note`,
//! `crmwire appointment` and `crmwire followup`.

use clap::{ArgAction, Args, Subcommand, ValueEnum};
use facade::neutral::{AppointmentKind, NoteKind};

use crate::commands::SandboxFlag;

/// What every neutral command takes besides its own options.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct Common {
    /// Show what would go to each profile, and send nothing.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// `--sandbox`: the embedded sandbox's services instead of configured
    /// profiles (all three, or those named with --profile securitytrax,
    /// peoplevine or neto).
    #[command(flatten)]
    pub(crate) target: SandboxFlag,
}

/// `--customer`: one id for every profile, and `PROFILE=ID` for a profile
/// whose service knows the customer by another id.
#[derive(Debug, Clone, Args)]
pub(crate) struct CustomerArg {
    /// The customer: `ID` for every profile, `PROFILE=ID` for one profile (repeat
    /// it; a profile's own id wins). Each service's id: SecurityTrax's unique id,
    /// Peoplevine's customer number, Neto's username. With --sandbox, a service
    /// without one gets its first demo customer.
    #[arg(long = "customer", value_name = "[PROFILE=]ID", action = ArgAction::Append)]
    pub(crate) customer: Vec<String>,
}

/// `crmwire note …`.
#[derive(Debug, Args)]
pub(crate) struct NoteArgs {
    /// `--dry-run`, `--sandbox`.
    #[command(flatten)]
    pub(crate) common: Common,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: NoteCommand,
}

/// The note subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum NoteCommand {
    /// Add the same note to the customer on every named profile.
    #[command(
        after_help = "Example:\n  crmwire note add --sandbox --subject \"Spring check-up\" --text \"Offer the spring check-up\"\n  crmwire note add --profile acme --profile shop --customer 9710 --customer shop=jo.citizen --subject Visit --text \"Came by\""
    )]
    Add(NoteAddArgs),
    /// List the customer's notes on every named profile.
    List(NoteListArgs),
}

/// `crmwire note add`.
#[derive(Debug, Args)]
pub(crate) struct NoteAddArgs {
    /// The customer.
    #[command(flatten)]
    pub(crate) customer: CustomerArg,
    /// A short subject line.
    #[arg(long)]
    pub(crate) subject: String,
    /// The note itself.
    #[arg(long)]
    pub(crate) text: String,
    /// What the note is about.
    #[arg(long, value_enum, default_value_t = NoteKindArg::Sales)]
    pub(crate) kind: NoteKindArg,
}

/// `crmwire note list`.
#[derive(Debug, Args)]
pub(crate) struct NoteListArgs {
    /// The customer.
    #[command(flatten)]
    pub(crate) customer: CustomerArg,
    /// The most notes listed per profile, at least 1 (no page is asked for
    /// past it).
    #[arg(
        long,
        default_value_t = facade::neutral::ListNotes::DEFAULT_LIMIT as u64,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub(crate) limit: u64,
}

/// `--kind` of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NoteKindArg {
    /// Offers, contracts, follow-ups.
    Sales,
    /// Installation and service work.
    Technician,
    /// About a lead not yet a customer.
    Lead,
}

impl From<NoteKindArg> for NoteKind {
    fn from(kind: NoteKindArg) -> Self {
        match kind {
            NoteKindArg::Sales => Self::Sales,
            NoteKindArg::Technician => Self::Technician,
            NoteKindArg::Lead => Self::Lead,
        }
    }
}

/// `crmwire appointment …`.
#[derive(Debug, Args)]
pub(crate) struct AppointmentArgs {
    /// `--dry-run`, `--sandbox`.
    #[command(flatten)]
    pub(crate) common: Common,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: AppointmentCommand,
}

/// The appointment subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AppointmentCommand {
    /// Book the same appointment on every named profile.
    #[command(
        after_help = "Example:\n  crmwire appointment book --sandbox --profile securitytrax --start \"01/23/2014 7:30\" --end \"01/23/2014 9:00\" --kind install"
    )]
    Book(BookArgs),
}

/// `crmwire appointment book`.
#[derive(Debug, Args)]
pub(crate) struct BookArgs {
    /// The customer.
    #[command(flatten)]
    pub(crate) customer: CustomerArg,
    /// When it starts, in the customer's local time: `M/D/YYYY H:MM` or
    /// `2014-01-23T07:30` (no UTC offset or zone).
    #[arg(long)]
    pub(crate) start: String,
    /// When it ends, after --start (same forms).
    #[arg(long)]
    pub(crate) end: String,
    /// What it is for.
    #[arg(long, value_enum)]
    pub(crate) kind: AppointmentKindArg,
    /// Notes for whoever does the work.
    #[arg(long)]
    pub(crate) notes: Option<String>,
}

/// `--kind` of an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AppointmentKindArg {
    /// Installing a system.
    Install,
    /// Servicing an installed system.
    Service,
    /// Removing a system.
    Removal,
}

impl From<AppointmentKindArg> for AppointmentKind {
    fn from(kind: AppointmentKindArg) -> Self {
        match kind {
            AppointmentKindArg::Install => Self::Install,
            AppointmentKindArg::Service => Self::Service,
            AppointmentKindArg::Removal => Self::Removal,
        }
    }
}

/// `crmwire followup …`.
#[derive(Debug, Args)]
pub(crate) struct FollowupArgs {
    /// `--dry-run`, `--sandbox`.
    #[command(flatten)]
    pub(crate) common: Common,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: FollowupCommand,
}

/// The follow-up subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum FollowupCommand {
    /// Log the same follow-up on every named profile.
    #[command(
        after_help = "Example:\n  crmwire followup log --sandbox --profile neto --text \"Call back about the quote\" --type \"Phone call\""
    )]
    Log(FollowupLogArgs),
}

/// `crmwire followup log`.
#[derive(Debug, Args)]
pub(crate) struct FollowupLogArgs {
    /// The customer.
    #[command(flatten)]
    pub(crate) customer: CustomerArg,
    /// What happened and what to follow up on.
    #[arg(long)]
    pub(crate) text: String,
    /// How to follow up (e.g. `Phone call`).
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) method: Option<String>,
    /// Who follows up.
    #[arg(long)]
    pub(crate) assigned_to: Option<String>,
    /// By when, as an RFC 3339 instant (`2026-03-02T09:00:00Z`).
    #[arg(long)]
    pub(crate) due: Option<String>,
}
