//! Neto's part of `crmwire wire`: check crmwire against payloads captured from
//! a real store, without sending anything.
//!
//! - `crmwire wire encode neto ACTION [FILE] [--format xml|json]`: a request
//!   document (the action's body as Neto documents it, in JSON or XML: what the
//!   `netoapi` Python client takes as its payload) in, the exact request out
//!   (method, URL, headers, body; keys masked), validated as a real call is.
//! - `crmwire wire decode neto ACTION [FILE] --request REQUEST [--status 200]`: a
//!   store's answer (XML or JSON) in, the typed outcome out, with the exit code a
//!   real call would end with. The request is needed because an answer is checked
//!   against it (one `LogID` per log sent, only the customers asked about).

use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use clap::{Args, ValueEnum};
use facade::neto::{Action, Codec, Credentials, Endpoint};
use neto_api::document::Node;
use wire_core::validation::Violations;

use super::error::NetoError;
use super::report::{DryRun, Reported};
use super::session::{self, sandbox_codec};
use super::{FormatArg, NetoAction, call_error};
use crate::commands::failure;
use crate::commands::{CommandError, Context, SandboxFlag, Target, select_target};
use crate::config::ServiceKind;
use crate::output::Output;

/// The action a document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ActionArg {
    /// AddCustomerLog.
    #[value(name = "AddCustomerLog", alias = "add")]
    AddCustomerLog,
    /// UpdateCustomerLog.
    #[value(name = "UpdateCustomerLog", alias = "update")]
    UpdateCustomerLog,
    /// GetCustomer (output selector CustomerLog).
    #[value(name = "GetCustomer", alias = "get")]
    GetCustomer,
}

/// `crmwire wire encode neto`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// The action.
    #[arg(value_enum)]
    pub(crate) action: ActionArg,
    /// The request document (JSON or XML); `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// The wire format of the request.
    #[arg(long, value_enum, default_value_t = FormatArg::Xml)]
    pub(crate) format: FormatArg,
    /// `--sandbox`: the embedded sandbox's store and demo API user.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,
}

/// `crmwire wire decode neto`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The action the answer is for.
    #[arg(value_enum)]
    pub(crate) action: ActionArg,
    /// The store's answer (XML or JSON) as captured; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// The request document the answer is for.
    #[arg(long, value_name = "FILE")]
    pub(crate) request: PathBuf,
    /// The HTTP status the answer came with.
    #[arg(long, default_value_t = 200, value_name = "CODE")]
    pub(crate) status: u16,
}

fn read(what: &'static str, path: Option<&Path>) -> Result<Vec<u8>, NetoError> {
    let document = |message: String| NetoError::Document {
        what,
        path: path.map(Path::to_path_buf),
        message,
    };
    match path {
        Some(path) if path != Path::new("-") => {
            std::fs::read(path).map_err(|e| document(e.to_string()))
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| document(e.to_string()))?;
            Ok(bytes)
        }
    }
}

/// The action of a request document; values that cannot be read, and every
/// rule broken, are problems.
fn parse(action: ActionArg, bytes: &[u8], path: Option<&Path>) -> Result<NetoAction, NetoError> {
    let unreadable = |message: String| NetoError::Document {
        what: "request",
        path: path.map(Path::to_path_buf),
        message,
    };
    let node = match neto_api::WireFormat::sniff(bytes) {
        Some(neto_api::WireFormat::Json) => {
            Node::from_json(bytes).map_err(|e| unreadable(e.to_string()))?
        }
        Some(_) => Node::from_xml(bytes)
            .map(|(_, node)| node)
            .map_err(|e| unreadable(e.to_string()))?,
        None => return Err(unreadable("neither JSON nor XML".to_owned())),
    };
    fn typed<A: Action>(node: &Node, wrap: fn(A) -> NetoAction) -> Result<NetoAction, NetoError> {
        let (action, mut problems) = A::from_document(node);
        problems.extend(action.violations());
        problems.dedup();
        match Violations::from_vec(problems) {
            // Named by log and field: a document has no options.
            Some(violations) => Err(NetoError::InvalidInput(failure::describe(
                &violations,
                &|_, _| None,
            ))),
            None => Ok(wrap(action)),
        }
    }
    match action {
        ActionArg::AddCustomerLog => typed(&node, NetoAction::Add),
        ActionArg::UpdateCustomerLog => typed(&node, NetoAction::Update),
        ActionArg::GetCustomer => typed(&node, NetoAction::List),
    }
}

/// `crmwire wire encode neto`.
pub(crate) async fn encode(
    output: &Output,
    context: &Context,
    args: &EncodeArgs,
) -> Result<(), CommandError> {
    let bytes = read("request", args.file.as_deref())?;
    let action = parse(args.action, &bytes, args.file.as_deref())?;
    let target = select_target(context, args.target, ServiceKind::Neto)?;
    let codec = match &target {
        Target::Profile { name, spec } => {
            session::codec(name, spec, args.format.into(), &|v| std::env::var(v))?
        }
        Target::Sandbox => {
            let sandbox = ::sandbox::start(crate::commands::sandbox_config()).await?;
            let codec = sandbox_codec(&sandbox, args.format.into());
            sandbox.shutdown().await;
            codec?
        }
    };
    output.redact_secrets(codec.redactor().clone());
    // `preview` only builds the request: this transport is never called.
    let never_sends = |_request: http::Request<Bytes>| {
        std::future::pending::<Result<http::Response<Bytes>, facade::transport::TransportError>>()
    };
    let client = facade::neto::Client::new(codec, never_sends);
    let request = match &action {
        NetoAction::Add(a) => client.preview(a),
        NetoAction::Update(a) => client.preview(a),
        NetoAction::List(a) => client.preview(a),
    }
    .map_err(|e| call_error(&action, e))?;
    output.finish(&DryRun::new(&request));
    Ok(())
}

/// `crmwire wire decode neto`.
pub(crate) fn decode(output: &Output, args: &DecodeArgs) -> Result<(), CommandError> {
    let request_bytes = read("request", Some(&args.request))?;
    let action = parse(args.action, &request_bytes, Some(&args.request))?;
    let body = read("answer", args.file.as_deref())?;
    let response = http::Response::builder()
        .status(args.status)
        .body(Bytes::from(body))
        .map_err(|e| NetoError::Document {
            what: "answer",
            path: args.file.clone(),
            message: e.to_string(),
        })?;
    // Captured answers are decoded without credentials: nothing to redact but
    // what the output already does.
    let codec = Codec::new(
        Endpoint::for_store("captured.invalid").map_err(|source| NetoError::Endpoint {
            profile: "wire decode".to_owned(),
            source,
        })?,
        Credentials::api_key("wire-decode", ""),
        neto_api::WireFormat::sniff(response.body()).unwrap_or_default(),
    );
    let decoded = |error: neto_api::DecodeError| facade_error(error, &action);
    let reported = match &action {
        NetoAction::Add(a) => Reported::added(codec.decode(a, &response).map_err(decoded)),
        NetoAction::Update(a) => Reported::updated(
            &a.logs.first().map(|l| l.log_id.clone()).unwrap_or_default(),
            codec.decode(a, &response).map_err(decoded),
        ),
        NetoAction::List(a) => Reported::listed(
            &a.usernames.join(", "),
            codec.decode(a, &response).map_err(decoded),
        ),
    }
    .map_err(|e| call_error(&action, e))?;
    output.finish(&reported);
    Ok(())
}

/// The facade's error for a decoding failure, as a real call would give it.
fn facade_error(error: neto_api::DecodeError, action: &NetoAction) -> facade::Error {
    let writes = !matches!(action, NetoAction::List(_));
    facade::neto::error_of(error, writes)
}
