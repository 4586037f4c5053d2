//! `crmwire strax …`: one subcommand per SecurityTrax operation, as clap types.
//!
//! Values are kept as typed by the user; `input` turns them into protocol
//! operations and the protocol's validation checks every rule, so an error names
//! the option and the rule it breaks.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde::Deserialize;

use super::lead::args::{LeadCommand, POST_HELP, PostArgs};
use crate::commands::SandboxFlag;

/// Options shared by every `crmwire strax` subcommand.
#[derive(Debug, Args)]
pub(crate) struct StraxArgs {
    /// Print the exact HTTP request that would be sent (method, URL, headers, body;
    /// the password masked as ********) and send nothing.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// `--sandbox`.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,

    /// The operation.
    #[command(subcommand)]
    pub(crate) command: StraxCommand,
}

/// The SecurityTrax operations, grouped by what they act on.
#[derive(Debug, Subcommand)]
pub(crate) enum StraxCommand {
    /// Customer notes and tickets.
    #[command(subcommand)]
    Note(NoteCommand),
    /// Tech appointments.
    #[command(subcommand)]
    Appointment(AppointmentCommand),
    /// Ask whether an appointment slot is available at a location
    /// (GetIfAppointmentAvailableByLocationInfo).
    #[command(after_help = concat!(
        "Example:\n  crmwire strax availability --start \"01/23/2014 7:30\" --end \"01/23/2014 9:00\" --city Springfield --state IL\n\n",
        "Times are the customer's local time, MM/DD/YYYY H:MM (24 h) or YYYY-MM-DDTHH:MM.",
    ))]
    Availability(AvailabilityArgs),
    /// Customer records: read one, or find one by phone or account number.
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Confirmation (receiver) numbers.
    #[command(subcommand)]
    Confirmation(ConfirmationCommand),
    /// Leads: post a file of them, list those whose outcome is unknown.
    #[command(subcommand)]
    Lead(LeadCommand),
}

/// `crmwire strax note …`
#[derive(Debug, Subcommand)]
pub(crate) enum NoteCommand {
    /// Add a note (or a ticket) to a customer (CreateCustomerNoteBySecurityTraxUniqueID).
    #[command(after_help = concat!(
        "Examples:\n",
        "  crmwire strax note add --customer 9710 --subject \"Yard sign\" --text \"Wants a new yard sign\" --type sales\n",
        "  crmwire strax note add --customer 9710 --subject Callback --text \"Call Tuesday\" --type technician --ticket open --user 1024 --partner-id 991234",
    ))]
    Add(NoteAddArgs),
}

/// `crmwire strax note add`
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteAddArgs {
    /// The customer's SecurityTrax unique id (digits).
    #[arg(long, value_name = "ID")]
    pub(crate) customer: String,
    /// The note's subject.
    #[arg(long)]
    pub(crate) subject: String,
    /// The note's text.
    #[arg(long)]
    pub(crate) text: String,
    /// The kind of note.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    #[serde(rename = "type")]
    pub(crate) note_type: NoteKindArg,
    /// Make the note a ticket, open or closed.
    #[arg(long, value_enum)]
    pub(crate) ticket: Option<TicketArg>,
    /// The SecurityTrax user id (digits) a ticket is assigned to.
    #[arg(long, value_name = "USER_ID")]
    pub(crate) user: Option<String>,
    /// The note's id in your own system (PartnerCompanyUniqueID).
    #[arg(long, value_name = "ID")]
    pub(crate) partner_id: Option<String>,
}

/// `--type` of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum NoteKindArg {
    /// A sales note (NoteTypeID 1).
    Sales,
    /// A technician note (NoteTypeID 2).
    Technician,
    /// A lead note (NoteTypeID 3).
    Lead,
}

/// `--ticket` of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TicketArg {
    /// An open ticket (TicketTypeID 1).
    Open,
    /// A closed ticket (TicketTypeID 2).
    Closed,
}

/// `crmwire strax appointment …`
#[derive(Debug, Subcommand)]
pub(crate) enum AppointmentCommand {
    /// Book a tech appointment for a customer (CreateTechScheduleBySecurityTraxUniqueID).
    #[command(after_help = concat!(
        "Example:\n  crmwire strax appointment create --customer 9710 --start \"01/23/2014 7:30\" --end \"01/23/2014 9:00\" --service-type install\n\n",
        "Times are the customer's local time, MM/DD/YYYY H:MM (24 h) or YYYY-MM-DDTHH:MM.\n",
        "Without --tech the appointment is slot-scheduled.",
    ))]
    Create(AppointmentCreateArgs),
}

/// `crmwire strax appointment create`
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppointmentCreateArgs {
    /// The customer's SecurityTrax unique id (digits).
    #[arg(long, value_name = "ID")]
    pub(crate) customer: String,
    /// When it starts (customer's local time).
    #[arg(long, value_name = "WHEN")]
    pub(crate) start: String,
    /// When it ends, after --start.
    #[arg(long, value_name = "WHEN")]
    pub(crate) end: String,
    /// The kind of visit.
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) service_type: ServiceKindArg,
    /// The tech's id (none: slot scheduling).
    #[arg(long, value_name = "TECH_ID")]
    pub(crate) tech: Option<String>,
    /// The company-defined service detail type.
    #[arg(long, value_name = "DETAIL")]
    pub(crate) detail: Option<String>,
    /// Notes for the tech.
    #[arg(long)]
    pub(crate) notes: Option<String>,
}

/// `--service-type` of an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ServiceKindArg {
    /// An installation (ServiceType 1).
    Install,
    /// A service visit (ServiceType 2).
    Service,
    /// A rip-out, i.e. a removal (ServiceType 3).
    RipOut,
}

/// `crmwire strax availability`
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AvailabilityArgs {
    /// The slot's start (customer's local time).
    #[arg(long, value_name = "WHEN")]
    pub(crate) start: String,
    /// The slot's end, after --start.
    #[arg(long, value_name = "WHEN")]
    pub(crate) end: String,
    /// The city (give at least one location part; more is more accurate).
    #[arg(long)]
    pub(crate) city: Option<String>,
    /// The state.
    #[arg(long)]
    pub(crate) state: Option<String>,
    /// The zip code.
    #[arg(long)]
    pub(crate) zip: Option<String>,
    /// The street address.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// The latitude, a decimal such as 39.7990.
    #[arg(long, value_name = "DECIMAL", allow_negative_numbers = true)]
    pub(crate) lat: Option<String>,
    /// The longitude, a decimal such as -89.6440.
    #[arg(long, value_name = "DECIMAL", allow_negative_numbers = true)]
    pub(crate) lon: Option<String>,
}

/// `crmwire strax customer …`
#[derive(Debug, Subcommand)]
pub(crate) enum CustomerCommand {
    /// Show a customer's record (AllAccess-GetCustomerStatusBySecurityTraxUniqueID).
    #[command(after_help = "Example:\n  crmwire strax customer get 9710")]
    Get(CustomerGetArgs),
    /// Find a customer's SecurityTrax unique id by phone or account number
    /// (AllAccess-GetSecurityTraxUniqueID).
    #[command(
        after_help = "Examples:\n  crmwire strax customer find --phone 2175550101\n  crmwire strax customer find --account 100971"
    )]
    Find(FindArgs),
    /// Post the customers of a CSV or JSON Lines file, in chunks, with a
    /// delivery journal.
    #[command(after_help = POST_HELP)]
    Post(PostArgs),
}

/// `crmwire strax customer get`
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomerGetArgs {
    /// The customer's SecurityTrax unique id (digits).
    #[arg(value_name = "CUSTOMER")]
    pub(crate) customer: String,
}

/// `crmwire strax customer find`: exactly one of `--phone` and `--account`.
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
#[command(group(ArgGroup::new("by").required(true).args(["phone", "account"])))]
pub(crate) struct FindArgs {
    /// A phone number of the customer (SecurityTrax matches it on its digits).
    #[arg(long, value_name = "NUMBER")]
    pub(crate) phone: Option<String>,
    /// The customer's account number.
    #[arg(long, value_name = "NUMBER")]
    pub(crate) account: Option<String>,
}

/// `crmwire strax confirmation …`
#[derive(Debug, Subcommand)]
pub(crate) enum ConfirmationCommand {
    /// Set a customer's confirmation (receiver) number
    /// (UpdateConfirmationNumberBySecurityTraxUniqueID).
    #[command(
        after_help = "Example:\n  crmwire strax confirmation set --customer 9710 --number 206"
    )]
    Set(ConfirmationSetArgs),
}

/// `crmwire strax confirmation set`
#[derive(Debug, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfirmationSetArgs {
    /// The customer's SecurityTrax unique id (digits).
    #[arg(long, value_name = "ID")]
    pub(crate) customer: String,
    /// The confirmation number.
    #[arg(long, value_name = "NUMBER")]
    pub(crate) number: String,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    use super::*;

    fn strax(args: &[&str]) -> Result<StraxArgs, clap::Error> {
        let cli = Cli::try_parse_from(["crmwire", "strax"].iter().chain(args))?;
        match cli.command {
            Command::Strax(strax) => Ok(strax),
            other => panic!("expected strax, got {other:?}"),
        }
    }

    #[test]
    fn note_add_takes_every_option() {
        let args = strax(&[
            "note",
            "add",
            "--customer",
            "9710",
            "--subject",
            "S",
            "--text",
            "T",
            "--type",
            "technician",
            "--ticket",
            "open",
            "--user",
            "1024",
            "--partner-id",
            "991234",
            "--dry-run",
        ])
        .unwrap();
        assert!(args.dry_run);
        let StraxCommand::Note(NoteCommand::Add(note)) = args.command else {
            panic!("expected note add");
        };
        assert_eq!(note.note_type, NoteKindArg::Technician);
        assert_eq!(note.ticket, Some(TicketArg::Open));
        assert_eq!(note.user.as_deref(), Some("1024"));
        assert_eq!(note.partner_id.as_deref(), Some("991234"));
    }

    #[test]
    fn sandbox_goes_before_or_after_the_operation() {
        assert!(
            strax(&["--sandbox", "customer", "get", "9710"])
                .unwrap()
                .target
                .sandbox
        );
        assert!(
            strax(&["customer", "get", "9710", "--sandbox"])
                .unwrap()
                .target
                .sandbox
        );
        assert!(!strax(&["customer", "get", "9710"]).unwrap().target.sandbox);
    }

    #[test]
    fn dry_run_may_come_before_the_operation() {
        let args = strax(&["--dry-run", "customer", "get", "9710"]).unwrap();
        assert!(args.dry_run);
        assert!(matches!(
            args.command,
            StraxCommand::Customer(CustomerCommand::Get(CustomerGetArgs { ref customer })) if customer == "9710"
        ));
    }

    #[test]
    fn find_needs_exactly_one_of_phone_and_account() {
        assert!(strax(&["customer", "find", "--phone", "2175550101"]).is_ok());
        assert!(strax(&["customer", "find", "--account", "100971"]).is_ok());
        let none = strax(&["customer", "find"]).unwrap_err();
        assert_eq!(none.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        let both = strax(&["customer", "find", "--phone", "1", "--account", "2"]).unwrap_err();
        assert_eq!(both.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn a_negative_longitude_is_a_value_not_a_flag() {
        let args = strax(&[
            "availability",
            "--start",
            "01/23/2014 7:30",
            "--end",
            "01/23/2014 9:00",
            "--lat",
            "39.7990",
            "--lon",
            "-89.6440",
        ])
        .unwrap();
        let StraxCommand::Availability(availability) = args.command else {
            panic!("expected availability");
        };
        assert_eq!(availability.lon.as_deref(), Some("-89.6440"));
    }

    #[test]
    fn securitytrax_is_an_alias_and_enums_are_checked() {
        assert!(Cli::try_parse_from(["crmwire", "securitytrax", "customer", "get", "1"]).is_ok());
        let bad = strax(&[
            "note",
            "add",
            "--customer",
            "1",
            "--subject",
            "s",
            "--text",
            "t",
            "--type",
            "memo",
        ])
        .unwrap_err();
        assert_eq!(bad.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
