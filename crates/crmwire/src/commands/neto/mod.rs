//! Neto by Maropost's room: `crmwire neto log add|update|list` (customer logs,
//! against the selected `service = "neto"` profile or, with `--sandbox`, the
//! embedded sandbox's demo store), its profile type, and its part of
//! `crmwire wire`.
//!
//! The flow: the arguments become a `neto_api` action (parsing only: dates
//! are read as UTC; the protocol validates once, when the facade encodes, and
//! invalid input exits 2 with every broken rule named by its option); a
//! [`Session`] gives the client, paced under Neto's rate limit; the action is
//! either previewed (`--dry-run`: the exact request, keys masked) or sent and
//! its answer printed, warnings included.

mod error;
mod profile;
mod report;
mod session;
pub(crate) mod wire;

use clap::{Args, Subcommand, ValueEnum};
use facade::neto::{
    Action, AddCustomerLog, CustomerLogUpdate, GetCustomer, LogStatus, NetoDateTime,
    NewCustomerLog, UpdateCustomerLog, WireFormat,
};
use wire_core::validation::{Record, Rule, Violations};

pub(crate) use error::NetoError;
pub(crate) use profile::NetoProfile;
pub(crate) use session::{codec, sandbox_codec};

use self::report::{DryRun, Reported};
use self::session::Session;
use super::failure::{self, Problem};
use super::{CommandError, Context, SandboxFlag, select_target};
use crate::config::ServiceKind;
use crate::output::Output;

/// `crmwire neto …`
#[derive(Debug, Args)]
pub(crate) struct NetoArgs {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: NetoCommand,
    /// Print the exact request (keys masked) instead of sending it.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,
    /// The wire format of the request and its answer.
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Xml)]
    pub(crate) format: FormatArg,
    /// `--sandbox`: the embedded sandbox's demo store.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// XML documents (the service's default).
    Xml,
    /// JSON documents.
    Json,
}

impl From<FormatArg> for WireFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Xml => Self::Xml,
            FormatArg::Json => Self::Json,
        }
    }
}

/// `crmwire neto <command>`
#[derive(Debug, Subcommand)]
pub(crate) enum NetoCommand {
    /// Customer logs: add, update, list.
    #[command(subcommand)]
    Log(LogCommand),
}

/// `crmwire neto log <command>`
#[derive(Debug, Subcommand)]
pub(crate) enum LogCommand {
    /// Add a customer log (AddCustomerLog).
    Add(LogAddArgs),
    /// Set fields of an existing log (UpdateCustomerLog).
    Update(LogUpdateArgs),
    /// List a customer's logs (GetCustomer, output selector CustomerLog).
    List(LogListArgs),
}

/// `--status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusArg {
    /// Require Recontact.
    RequireRecontact,
    /// Recontacting.
    Recontacting,
    /// Completed.
    Completed,
}

impl From<StatusArg> for LogStatus {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::RequireRecontact => Self::RequireRecontact,
            StatusArg::Recontacting => Self::Recontacting,
            StatusArg::Completed => Self::Completed,
        }
    }
}

/// The fields a log add and update share.
#[derive(Debug, Args)]
pub(crate) struct LogFields {
    /// Who follows up (AllocatedTo).
    #[arg(long)]
    pub(crate) allocated_to: Option<String>,
    /// The kind of follow-up (FollowUpType).
    #[arg(long)]
    pub(crate) follow_up_type: Option<String>,
    /// The customer's name (CustomerName).
    #[arg(long)]
    pub(crate) customer_name: Option<String>,
    /// When the customer was last contacted, UTC: `2026-11-02T09:30:00Z`, an
    /// offset, or `2026-11-02 09:30:00` (LastContacted).
    #[arg(long, value_name = "TIME")]
    pub(crate) last_contacted: Option<String>,
    /// When to follow up, as --last-contacted (DateRequiredFollowUp).
    #[arg(long, value_name = "TIME")]
    pub(crate) follow_up: Option<String>,
    /// The status (Status).
    #[arg(long, value_enum)]
    pub(crate) status: Option<StatusArg>,
    /// The notes (Notes).
    #[arg(long)]
    pub(crate) notes: Option<String>,
}

/// `crmwire neto log add`
#[derive(Debug, Args)]
pub(crate) struct LogAddArgs {
    /// The customer's username (Username).
    #[arg(long)]
    pub(crate) username: Option<String>,
    /// The log's fields.
    #[command(flatten)]
    pub(crate) fields: LogFields,
}

/// `crmwire neto log update LOG_ID`
#[derive(Debug, Args)]
pub(crate) struct LogUpdateArgs {
    /// The log to change (LogID).
    #[arg(value_name = "LOG_ID")]
    pub(crate) log_id: String,
    /// The fields to set.
    #[command(flatten)]
    pub(crate) fields: LogFields,
}

/// `crmwire neto log list`
#[derive(Debug, Args)]
pub(crate) struct LogListArgs {
    /// The customer's username.
    #[arg(long, value_name = "USERNAME")]
    pub(crate) customer: String,
}

/// One of the three actions a command sends.
#[derive(Debug, Clone)]
pub(crate) enum NetoAction {
    Add(AddCustomerLog),
    Update(UpdateCustomerLog),
    List(GetCustomer),
}

/// Reads a time option as UTC: an RFC 3339 instant (with `Z` or an offset),
/// or `YYYY-MM-DD HH:MM:SS` meant as UTC.
fn time(
    option: &'static str,
    field: &str,
    value: Option<&String>,
    problems: &mut Vec<Problem>,
) -> Option<NetoDateTime> {
    let value = value?;
    if let Ok(at) = value.parse::<jiff::Timestamp>() {
        return Some(NetoDateTime::from_timestamp(at));
    }
    match NetoDateTime::parse(value) {
        Ok(Some(date)) => Some(date),
        _ => {
            let rule = Rule::Format {
                expected:
                    "a UTC time: 2026-11-02T09:30:00Z, with an offset, or 2026-11-02 09:30:00"
                        .into(),
            };
            problems.push(Problem::of_option(
                option,
                field,
                &rule,
                &crate::output::safe(value),
            ));
            None
        }
    }
}

/// The action of `command`; options that cannot be read are problems.
pub(crate) fn action(command: &NetoCommand) -> Result<NetoAction, NetoError> {
    let mut problems = Vec::new();
    let NetoCommand::Log(log) = command;
    let action = match log {
        LogCommand::Add(args) => {
            let f = &args.fields;
            NetoAction::Add(AddCustomerLog::new(vec![NewCustomerLog {
                allocated_to: f.allocated_to.clone(),
                follow_up_type: f.follow_up_type.clone(),
                username: args.username.clone(),
                customer_name: f.customer_name.clone(),
                last_contacted: time(
                    "--last-contacted",
                    "LastContacted",
                    f.last_contacted.as_ref(),
                    &mut problems,
                ),
                date_required_follow_up: time(
                    "--follow-up",
                    "DateRequiredFollowUp",
                    f.follow_up.as_ref(),
                    &mut problems,
                ),
                status: f.status.map(LogStatus::from),
                notes: f.notes.clone(),
            }]))
        }
        LogCommand::Update(args) => {
            let f = &args.fields;
            NetoAction::Update(UpdateCustomerLog::new(vec![CustomerLogUpdate {
                log_id: args.log_id.clone(),
                allocated_to: f.allocated_to.clone(),
                follow_up_type: f.follow_up_type.clone(),
                customer_name: f.customer_name.clone(),
                last_contacted: time(
                    "--last-contacted",
                    "LastContacted",
                    f.last_contacted.as_ref(),
                    &mut problems,
                ),
                date_required_follow_up: time(
                    "--follow-up",
                    "DateRequiredFollowUp",
                    f.follow_up.as_ref(),
                    &mut problems,
                ),
                status: f.status.map(LogStatus::from),
                notes: f.notes.clone(),
            }]))
        }
        LogCommand::List(args) => NetoAction::List(GetCustomer::logs_of(args.customer.clone())),
    };
    if problems.is_empty() {
        return Ok(action);
    }
    // Report the other broken rules too, in one go.
    let others = match &action {
        NetoAction::Add(a) => a.violations(),
        NetoAction::Update(a) => a.violations(),
        NetoAction::List(a) => a.violations(),
    };
    if let Some(others) = Violations::from_vec(others) {
        problems.extend(self::problems(&action, &others));
    }
    Err(NetoError::InvalidInput(problems))
}

/// The option that sets a Neto field, for messages.
fn option_of(_record: Option<&Record>, field: &str) -> Option<&'static str> {
    Some(match field {
        "AllocatedTo" => "--allocated-to",
        "FollowUpType" => "--follow-up-type",
        "Username" => "--username",
        "CustomerName" => "--customer-name",
        "LastContacted" => "--last-contacted",
        "DateRequiredFollowUp" => "--follow-up",
        "Status" => "--status",
        "Notes" => "--notes",
        "LogID" => "LOG_ID",
        _ => return None,
    })
}

/// A failed call, with invalid fields named by their options.
pub(crate) fn call_error(action: &NetoAction, error: facade::Error) -> NetoError {
    match error {
        facade::Error::InvalidInput(violations) => {
            NetoError::InvalidInput(problems(action, &violations))
        }
        other => NetoError::Call(other),
    }
}

fn problems(action: &NetoAction, violations: &Violations) -> Vec<Problem> {
    let list = matches!(action, NetoAction::List(_));
    let namer = move |record: Option<&Record>, field: &str| {
        if list && field == "Username" {
            Some("--customer")
        } else {
            option_of(record, field)
        }
    };
    failure::describe(violations, &namer)
}

/// Runs one Neto command.
pub(super) async fn run(
    output: &Output,
    context: &Context,
    args: &NetoArgs,
) -> Result<(), CommandError> {
    let action = action(&args.command)?;
    let target = select_target(context, args.target, ServiceKind::Neto)?;
    let session = Session::open(output, &target, context.backend, args.format.into()).await?;
    let result = if args.dry_run {
        dry_run(output, &session, &action)
    } else {
        send(output, &session, &action).await
    };
    session.close().await;
    Ok(result?)
}

fn preview<A: Action>(
    output: &Output,
    session: &Session,
    action: &NetoAction,
    typed: &A,
) -> Result<(), NetoError> {
    let request = session
        .client
        .preview(typed)
        .map_err(|e| call_error(action, e))?;
    output.finish(&DryRun::new(&request));
    output.notice("dry run: nothing was sent");
    Ok(())
}

fn dry_run(output: &Output, session: &Session, action: &NetoAction) -> Result<(), NetoError> {
    match action {
        NetoAction::Add(a) => preview(output, session, action, a),
        NetoAction::Update(a) => preview(output, session, action, a),
        NetoAction::List(a) => preview(output, session, action, a),
    }
}

async fn send(output: &Output, session: &Session, action: &NetoAction) -> Result<(), NetoError> {
    let reported = match action {
        NetoAction::Add(a) => Reported::added(session.client.call(a).await),
        NetoAction::Update(a) => Reported::updated(&a.logs[0].log_id, session.client.call(a).await),
        NetoAction::List(a) => Reported::listed(&a.usernames[0], session.client.call(a).await),
    }
    .map_err(|e| call_error(action, e))?;
    output.finish(&reported);
    Ok(())
}
