//! SecurityTrax's part of `crmwire wire`: check crmwire against payloads
//! captured from a real service, without sending anything.
//!
//! - `crmwire wire encode strax [FILE]`: an operation document (JSON, below) in,
//!   the exact request out (method, URL, headers, body; password masked), for the
//!   selected profile's endpoint and account or, with `--sandbox`, the embedded
//!   sandbox's.
//! - `crmwire wire decode strax [FILE] --request OPERATION.json [--status 200]`: a
//!   service's answer (the response body as captured) in, the typed outcome out,
//!   with the exit code a real call would end with.
//!
//! An operation document is the command line as data: `operation` names the
//! operation (its facade type name, or its SecurityTrax request type) and
//! `fields` holds the options of the matching `crmwire strax` command, without
//! their `--`:
//!
//! ```json
//! {"operation": "CreateCustomerNote",
//!  "fields": {"customer": "9710", "subject": "Yard sign", "text": "Wants a new yard sign", "type": "sales"}}
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use clap::Args;
use facade::securitytrax::{Client, Credentials, Endpoint, Operation};
use facade::transport::TransportError;
use serde::Deserialize;

use super::args::{
    AppointmentCommand, AppointmentCreateArgs, AvailabilityArgs, ConfirmationCommand,
    ConfirmationSetArgs, CustomerCommand, CustomerGetArgs, FindArgs, NoteAddArgs, NoteCommand,
    StraxCommand,
};
use super::dry_run::DryRunReport;
use super::error::StraxError;
use super::report;
use super::session::{self, Session};
use super::{call_error, input};
use crate::commands::{CommandError, Context, SandboxFlag, Target, select_target};
use crate::config::ServiceKind;
use crate::output::Output;

/// `crmwire wire encode strax`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// The operation document (JSON); `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// `--sandbox`: the embedded sandbox's endpoint and demo account.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,
}

/// `crmwire wire decode strax`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The service's answer: the response body as captured (XML); `-` or nothing
    /// reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// The operation document of the request the answer is for (the answer is
    /// read as that operation's).
    #[arg(long, value_name = "FILE")]
    pub(crate) request: PathBuf,

    /// The HTTP status the answer came with.
    #[arg(long, default_value_t = 200, value_name = "CODE")]
    pub(crate) status: u16,
}

/// An operation document: `{"operation": "...", "fields": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(tag = "operation", content = "fields", deny_unknown_fields)]
enum OperationDocument {
    /// `strax note add`.
    #[serde(alias = "CreateCustomerNoteBySecurityTraxUniqueID")]
    CreateCustomerNote(NoteAddArgs),
    /// `strax appointment create`.
    #[serde(alias = "CreateTechScheduleBySecurityTraxUniqueID")]
    CreateTechSchedule(AppointmentCreateArgs),
    /// `strax availability`.
    #[serde(alias = "GetIfAppointmentAvailableByLocationInfo")]
    GetAppointmentAvailability(AvailabilityArgs),
    /// `strax customer get`.
    #[serde(alias = "AllAccess-GetCustomerStatusBySecurityTraxUniqueID")]
    GetCustomerStatus(CustomerGetArgs),
    /// `strax customer find`.
    #[serde(alias = "AllAccess-GetSecurityTraxUniqueID")]
    GetSecurityTraxUniqueId(FindArgs),
    /// `strax confirmation set`.
    #[serde(alias = "UpdateConfirmationNumberBySecurityTraxUniqueID")]
    UpdateConfirmationNumber(ConfirmationSetArgs),
}

impl From<OperationDocument> for StraxCommand {
    fn from(document: OperationDocument) -> Self {
        match document {
            OperationDocument::CreateCustomerNote(args) => Self::Note(NoteCommand::Add(args)),
            OperationDocument::CreateTechSchedule(args) => {
                Self::Appointment(AppointmentCommand::Create(args))
            }
            OperationDocument::GetAppointmentAvailability(args) => Self::Availability(args),
            OperationDocument::GetCustomerStatus(args) => {
                Self::Customer(CustomerCommand::Get(args))
            }
            OperationDocument::GetSecurityTraxUniqueId(args) => {
                Self::Customer(CustomerCommand::Find(args))
            }
            OperationDocument::UpdateConfirmationNumber(args) => {
                Self::Confirmation(ConfirmationCommand::Set(args))
            }
        }
    }
}

/// The bytes of `path`, or of stdin for `None` and `-`.
fn read_input(what: &'static str, path: Option<&Path>) -> Result<Vec<u8>, StraxError> {
    let path = path.filter(|path| *path != Path::new("-"));
    let document_error = |message: String| StraxError::Document {
        what,
        path: path.map(Path::to_path_buf),
        message,
    };
    let mut bytes = Vec::new();
    match path {
        Some(path) => {
            bytes = std::fs::read(path).map_err(|err| document_error(err.to_string()))?;
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|err| document_error(err.to_string()))?;
        }
    }
    Ok(bytes)
}

/// The operation of the document at `path` (stdin for `None` and `-`).
fn read_operation(path: Option<&Path>) -> Result<Operation, StraxError> {
    let bytes = read_input("operation document", path)?;
    let document_error = |message: String| StraxError::Document {
        what: "operation document",
        path: path
            .filter(|path| *path != Path::new("-"))
            .map(Path::to_path_buf),
        message,
    };
    let document: OperationDocument = serde_json::from_slice(&bytes)
        .map_err(|err| document_error(format!("{err} (see `crmwire wire encode strax --help`)")))?;
    if let OperationDocument::GetSecurityTraxUniqueId(FindArgs {
        phone: Some(_),
        account: Some(_),
    }) = document
    {
        return Err(document_error(
            "`phone` and `account` cannot both be given".to_owned(),
        ));
    }
    // The protocol validates it once, when it is encoded.
    input::operation(&StraxCommand::from(document))
}

/// `crmwire wire encode strax`: prints the request the operation is sent as.
pub(crate) async fn encode(
    output: &Output,
    context: &Context,
    args: &EncodeArgs,
) -> Result<(), CommandError> {
    let operation = read_operation(args.file.as_deref())?;
    let target = select_target(context, args.target, ServiceKind::SecurityTrax)?;
    let session = Session::open(output, &target, context.backend).await?;
    let result = session
        .client
        .prepare(operation.clone())
        .map(|prepared| {
            output.finish(&DryRunReport::new(&[prepared], &session::transport_config()).encoded());
        })
        .map_err(|error| call_error(&operation, error));
    session.close().await;
    Ok(result?)
}

/// `crmwire wire decode strax`: reads the answer as the request's operation's and
/// prints the outcome; a failure ends with the exit code a real call would.
pub(crate) async fn decode(
    output: &Output,
    context: &Context,
    args: &DecodeArgs,
) -> Result<(), CommandError> {
    let stdin = |path: Option<&Path>| path.is_none_or(|path| path == Path::new("-"));
    if stdin(args.file.as_deref()) && stdin(Some(&args.request)) {
        return Err(StraxError::Document {
            what: "response",
            path: None,
            message: "the answer and --request cannot both come from stdin".to_owned(),
        }
        .into());
    }
    let credentials = profile_credentials(output, context);
    let operation = read_operation(Some(&args.request))?;
    let body = read_input("response", args.file.as_deref())?;
    let status = http::StatusCode::from_u16(args.status).map_err(|err| StraxError::Document {
        what: "response",
        path: args.file.clone(),
        message: format!("--status {}: {err}", args.status),
    })?;
    // The answer goes through the client's real call, over a transport that
    // answers with it: the same decoding, pairing and error mapping as a real
    // call, and nothing sent.
    let answer = Bytes::from(body);
    let captured = move |_request: http::Request<Bytes>| {
        let mut response = http::Response::new(answer.clone());
        *response.status_mut() = status;
        async move { Ok::<_, TransportError>(response) }
    };
    let client = Client::new(
        Endpoint::new(CAPTURED_BASE_URL, "captured").map_err(|source| StraxError::Endpoint {
            profile: "captured answer".to_owned(),
            source,
        })?,
        credentials,
        captured,
    );
    let report = report::call(&client, &operation)
        .await
        .map_err(|error| call_error(&operation, error))?;
    output.finish(&report);
    Ok(())
}

/// The endpoint a decoded answer is said to come from (never contacted).
const CAPTURED_BASE_URL: &str = "https://captured.invalid";

/// The selected SecurityTrax profile's account when there is one and its password
/// is set, its password then removed from everything printed (a captured answer
/// may quote it); else placeholder credentials. Decoding never needs them.
fn profile_credentials(output: &Output, context: &Context) -> Credentials {
    let no_sandbox = SandboxFlag { sandbox: false };
    if let Ok(Target::Profile { name, spec }) =
        select_target(context, no_sandbox, ServiceKind::SecurityTrax)
        && let Ok(account) = session::account(&name, &spec, &|variable| std::env::var(variable))
    {
        output.redact_secrets(wire_core::Redactor::new([account.password.clone()]));
        if let Ok((_, credentials)) = session::profile_account(&name, account) {
            return credentials;
        }
    }
    Credentials::new("captured", "captured", "captured")
}

/// `crmwire wire encode strax --help`'s examples.
pub(crate) const ENCODE_HELP: &str = concat!(
    "The operation document names the operation and gives the options of the matching\n",
    "`crmwire strax` command, without their `--`:\n\n",
    "  {\"operation\": \"CreateCustomerNote\", \"fields\": {\"customer\": \"9710\", \"subject\": \"Yard sign\",\n",
    "   \"text\": \"Wants a new yard sign\", \"type\": \"sales\"}}\n\n",
    "Operations: CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability,\n",
    "GetCustomerStatus, GetSecurityTraxUniqueId, UpdateConfirmationNumber (or their\n",
    "SecurityTrax request types). Examples:\n",
    "  crmwire --profile acme wire encode strax note.json\n",
    "  echo '{\"operation\": \"GetCustomerStatus\", \"fields\": {\"customer\": \"9710\"}}' | crmwire wire encode strax --sandbox",
);

/// `crmwire wire decode strax --help`'s examples.
pub(crate) const DECODE_HELP: &str = concat!(
    "The answer is read as the answer to --request's operation, exactly as a real call\n",
    "reads it, and the command ends with the exit code that call would: 0 a result,\n",
    "1 refused, authentication failed or unreadable, 4 a write whose fate the answer\n",
    "leaves unknown. Examples:\n",
    "  crmwire wire decode strax captured.xml --request note.json --json\n",
    "  crmwire wire decode strax error-page.html --status 500 --request note.json",
);
