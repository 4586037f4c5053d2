//! The lead and customer post's part of `crmwire wire`: check crmwire against
//! payloads captured from a real service, without sending anything.
//!
//! - `crmwire wire encode lead [FILE] [--strict]`: a JSON lead (or an array of
//!   leads) in, the exact document a post sends out (`customer` for customers).
//! - `crmwire wire decode lead [FILE] --request LEADS.json [--status 200]`: the
//!   service's answer in, plus the leads it answers, one outcome per lead out
//!   (accepted with its customer id, rejected with the service's texts, or
//!   unknown), ending with the exit code of the worst: 4 when any is unknown,
//!   else 1 when any is rejected, else 0.
//!
//! A lead is a JSON object of the documented field names
//! (`{"source_id": "77", "fname": "Sue", …}`), values as strings.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use clap::Args;
use serde::Serialize;
use strax_leads::{Mode, PostOutcome, PostRecord, Redactor, Violations};

use super::StraxError;
use super::lead::LeadError;
use crate::commands::CommandError;
use crate::commands::failure::{Problem, describe};
use crate::exit::Exit;
use crate::output::{Output, Report, safe};

/// `crmwire wire encode lead|customer`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// The records (a JSON object, or an array of them); `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// Refuse formatting in phones and digit fields instead of removing it.
    #[arg(long)]
    pub(crate) strict: bool,
}

/// `crmwire wire decode lead|customer`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The service's answer: the response body as captured (XML); `-` or nothing
    /// reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// The records the answer is for (a JSON object, or an array of them), in
    /// the order they were sent.
    #[arg(long, value_name = "FILE")]
    pub(crate) request: PathBuf,

    /// The HTTP status the answer came with.
    #[arg(long, default_value_t = 200, value_name = "CODE")]
    pub(crate) status: u16,
}

/// The bytes of `path`, or of stdin for `None` and `-`.
fn read_input(what: &'static str, path: Option<&Path>) -> Result<Vec<u8>, StraxError> {
    let path = path.filter(|path| *path != Path::new("-"));
    let result = match path {
        Some(path) => std::fs::read(path),
        None => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
        }
    };
    result.map_err(|err| StraxError::Document {
        what,
        path: path.map(Path::to_path_buf),
        message: err.to_string(),
    })
}

/// The records of a JSON document: one object or an array of them.
fn read_records<R: PostRecord + serde::de::DeserializeOwned>(
    path: Option<&Path>,
) -> Result<Vec<R>, StraxError> {
    let bytes = read_input("records", path)?;
    let document_error = |message: String| StraxError::Document {
        what: "records",
        path: path.filter(|p| *p != Path::new("-")).map(Path::to_path_buf),
        message,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|err| document_error(err.to_string()))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        _ => {
            return Err(document_error(format!(
                "expected a {} object or an array of them",
                R::KIND
            )));
        }
    };
    if items.is_empty() {
        return Err(document_error(format!("no {}", R::KIND)));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            serde_json::from_value(item)
                .map_err(|err| document_error(format!("{} {index}: {err}", R::KIND)))
        })
        .collect()
}

/// Violations as the command line's problems (records have no options).
fn problems(violations: &Violations) -> Vec<Problem> {
    describe(violations, &|_, _| None)
}

/// The document `encode` prints.
#[derive(Debug, Serialize)]
struct Encoded {
    result: &'static str,
    records: usize,
    content_type: &'static str,
    document: String,
}

impl Report for Encoded {
    fn human(&self) -> String {
        // The exact document: escaping it would change it.
        self.document.clone()
    }
}

/// `crmwire wire encode lead|customer`: prints the exact document.
pub(crate) fn encode<R: PostRecord + serde::de::DeserializeOwned>(
    output: &Output,
    args: &EncodeArgs,
) -> Result<(), CommandError> {
    let records: Vec<R> = read_records(args.file.as_deref())?;
    let mode = if args.strict {
        Mode::Strict
    } else {
        Mode::Normalise
    };
    let document = strax_leads::encode_document(&records, mode)
        .map_err(|violations| StraxError::InvalidInput(problems(&violations)))?;
    let document = String::from_utf8(document).map_err(|err| LeadError::Encode(err.to_string()))?;
    output.finish(&Encoded {
        result: "document",
        records: records.len(),
        content_type: strax_leads::REQUEST_CONTENT_TYPE,
        document,
    });
    Ok(())
}

/// One record's outcome as printed.
#[derive(Debug, Serialize)]
struct Decoded {
    index: usize,
    label: Option<String>,
    #[serde(flatten)]
    outcome: PostOutcome,
}

/// The report `decode` prints.
#[derive(Debug, Serialize)]
struct DecodedReport {
    result: &'static str,
    accepted: usize,
    rejected: usize,
    unknown: usize,
    outcomes: Vec<Decoded>,
}

impl Report for DecodedReport {
    fn human(&self) -> String {
        let mut lines = Vec::new();
        for decoded in &self.outcomes {
            let name = match &decoded.label {
                Some(label) => format!("{} ({})", decoded.index, safe(label)),
                None => decoded.index.to_string(),
            };
            let line = match &decoded.outcome {
                PostOutcome::Accepted { customer_id } => format!(
                    "{name}: accepted, customer id {}",
                    customer_id
                        .as_deref()
                        .map_or(Cow::Borrowed("(none given)"), safe)
                ),
                PostOutcome::Rejected { errors } => {
                    let texts: Vec<String> = errors
                        .iter()
                        .map(|e| format!("{}: {}", safe(&e.element), safe(&e.text)))
                        .collect();
                    format!("{name}: rejected: {}", texts.join("; "))
                }
                PostOutcome::Unknown { reason } => format!(
                    "{name}: outcome unknown ({}): check the CRM before sending it again",
                    safe(reason)
                ),
                _ => format!("{name}: outcome unknown"),
            };
            lines.push(line);
        }
        lines.push(format!(
            "{} accepted, {} rejected, {} unknown",
            self.accepted, self.rejected, self.unknown
        ));
        lines.join("\n")
    }
}

/// `crmwire wire decode lead|customer`: one outcome per record, and the exit
/// code of the worst.
pub(crate) fn decode<R: PostRecord + serde::de::DeserializeOwned>(
    output: &Output,
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
    let records: Vec<R> = read_records(Some(&args.request))?;
    let body = read_input("response", args.file.as_deref())?;
    let status = http::StatusCode::from_u16(args.status).map_err(|err| StraxError::Document {
        what: "response",
        path: args.file.clone(),
        message: format!("--status {}: {err}", args.status),
    })?;
    let mut response = http::Response::new(Bytes::from(body));
    *response.status_mut() = status;
    let outcomes = strax_leads::decode_response(&response, records.len(), &Redactor::none());
    let count = |f: fn(&PostOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let accepted = count(PostOutcome::is_accepted);
    let unknown = count(PostOutcome::is_unknown);
    let rejected = outcomes.len() - accepted - unknown;
    let report = DecodedReport {
        result: "outcomes",
        accepted,
        rejected,
        unknown,
        outcomes: records
            .iter()
            .zip(outcomes)
            .enumerate()
            .map(|(index, (record, outcome))| Decoded {
                index,
                label: record.label().map(Cow::into_owned),
                outcome,
            })
            .collect(),
    };
    output.finish(&report);
    let exit = if unknown > 0 {
        Exit::OutcomeUnknown
    } else if rejected > 0 {
        Exit::Failed
    } else {
        Exit::Success
    };
    if exit == Exit::Success {
        Ok(())
    } else {
        Err(StraxError::from(LeadError::Reported(exit)).into())
    }
}

/// `crmwire wire encode lead --help`'s examples.
pub(crate) const ENCODE_HELP: &str = concat!(
    "The input is one record as a JSON object of the documented field names, or an array\n",
    "of them; values are strings (an empty string or null leaves a field unset):\n\n",
    "  {\"source_id\": \"77\", \"fname\": \"Sue\", \"lname\": \"Stallman\", \"city\": \"Notus\",\n",
    "   \"state\": \"ID\", \"phone1\": \"801-312-7735\", \"lead_company_unique_id\": \"00001A321\"}\n\n",
    "The output is the exact document a post sends (--json: with its content type).\n",
    "Invalid records end with exit code 2, every broken rule listed. Examples:\n",
    "  crmwire wire encode lead lead.json\n",
    "  echo '[{...}, {...}]' | crmwire wire encode lead --strict",
);

/// `crmwire wire decode lead --help`'s examples.
pub(crate) const DECODE_HELP: &str = concat!(
    "The answer is read as the answer to the records of --request, in order: each is\n",
    "accepted (with its customer id), rejected (with the service's texts) or unknown\n",
    "(the answer ends early, cannot be read, or came with an error status). The command\n",
    "ends with 4 when any is unknown, else 1 when any is rejected, else 0. Examples:\n",
    "  crmwire wire decode lead answer.xml --request leads.json --json\n",
    "  crmwire wire decode customer error.html --status 500 --request customers.json",
);
