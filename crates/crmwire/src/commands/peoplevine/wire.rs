//! Peoplevine's part of `crmwire wire`: check crmwire against payloads captured
//! from a real service, without sending anything.
//!
//! - `crmwire wire encode peoplevine [FILE]`: an operation document (JSON) in,
//!   the exact request out (method, URL, headers, body; passwords and tokens
//!   masked), for the selected profile's endpoint or, with `--sandbox`, the
//!   embedded sandbox's.
//! - `crmwire wire decode peoplevine --operation NAME | --request FILE
//!   [--status 200] [--header 'name: value']… [FILE]`: an answer's body
//!   (empty for `204`) in, the typed outcome out, ending with the exit code a
//!   real call would. With `--request` (the operation document the answer is
//!   for) the answer is also checked against it, as a real call's is: a note
//!   of another customer, or another note than the one named, is refused.
//!
//! An operation document names the operation (`notes_rest::Operation::name`)
//! and its parameters:
//!
//! ```json
//! {"operation": "create_customer_note", "customer_id": 501, "note": {"subject": "Renewal call"}}
//! {"operation": "update_customer_note", "note_id": 7, "update": {"subject": "Renewed", "reminder": null}}
//! {"operation": "list_customer_notes", "customer_id": 501, "page_number": 2, "page_size": 25}
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use clap::Args;
use facade::peoplevine::{NewNote, NoteUpdate, Operation, PageRequest};
use notes_rest::{Answer, Subject, check_answer};
use serde::{Deserialize, Serialize};
use wire_core::Redactor;

use super::PvError;
use super::report::{NoteReport, RequestReport};
use super::session::target_account;
use crate::commands::{CommandError, Context, SandboxFlag, select_target};
use crate::config::ServiceKind;
use crate::output::{Report, safe};

/// The operations' names, as `--operation` takes them.
pub(crate) const OPERATION_NAMES: [&str; 7] = [
    "create_token",
    "refresh_token",
    "list_customer_notes",
    "create_customer_note",
    "get_customer_note",
    "update_customer_note",
    "list_notes",
];

/// More help for `crmwire wire encode peoplevine`.
pub(crate) const ENCODE_HELP: &str = "\
Operation documents (JSON):
  {\"operation\": \"create_customer_note\", \"customer_id\": 501, \"note\": {\"subject\": \"Renewal call\"}}
  {\"operation\": \"update_customer_note\", \"note_id\": 7, \"update\": {\"subject\": \"Renewed\", \"reminder\": null}}
  {\"operation\": \"list_customer_notes\", \"customer_id\": 501, \"page_number\": 1, \"page_size\": 50}
  {\"operation\": \"list_notes\"}, {\"operation\": \"get_customer_note\", \"note_id\": 7}
  {\"operation\": \"create_token\"} (the profile's account)
  {\"operation\": \"refresh_token\", \"access_token\": \"…\", \"refresh_token\": \"…\"}";

/// More help for `crmwire wire decode peoplevine`.
pub(crate) const DECODE_HELP: &str = "\
Examples:
  crmwire wire decode peoplevine --request get.json answer.json
    (get.json: {\"operation\": \"get_customer_note\", \"note_id\": 7}; the answer must be note 7)
  crmwire wire decode peoplevine --operation list_notes --status 200 \\
    --header 'pagination: {\"page_number\":1,\"page_size\":50,\"total_pages\":1,\"total_count\":1,\"has_previous_page\":false,\"has_next_page\":false}' answer.json
  crmwire wire decode peoplevine --operation list_notes --status 204 - < /dev/null";

/// `crmwire wire encode peoplevine`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// The operation document (JSON); `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// `--sandbox`: the embedded sandbox's endpoint and demo account.
    #[command(flatten)]
    pub(crate) target: SandboxFlag,
}

/// `crmwire wire decode peoplevine`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The answer's body as captured (JSON; empty for 204); `-` or nothing
    /// reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// The operation the answer is for (or give `--request`).
    #[arg(
        long,
        value_name = "NAME",
        value_parser = clap::builder::PossibleValuesParser::new(OPERATION_NAMES),
        required_unless_present = "request",
        conflicts_with = "request"
    )]
    pub(crate) operation: Option<String>,

    /// The operation document the answer is for (as `wire encode peoplevine`
    /// takes it): names the operation, and the answer must be about its
    /// customer or note, as a real call's must.
    #[arg(long, value_name = "FILE")]
    pub(crate) request: Option<PathBuf>,

    /// The HTTP status the answer came with.
    #[arg(long, default_value_t = 200, value_name = "CODE")]
    pub(crate) status: u16,

    /// A response header, `name: value` (repeat for more), e.g. the `pagination` header.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub(crate) headers: Vec<String>,
}

/// An operation document.
#[derive(Debug, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
enum OperationDocument {
    CreateToken {},
    RefreshToken {
        access_token: String,
        refresh_token: String,
    },
    ListCustomerNotes {
        customer_id: i64,
        #[serde(default)]
        page_number: Option<u32>,
        #[serde(default)]
        page_size: Option<u32>,
    },
    ListNotes {
        #[serde(default)]
        page_number: Option<u32>,
        #[serde(default)]
        page_size: Option<u32>,
    },
    CreateCustomerNote {
        customer_id: i64,
        note: NewNote,
    },
    GetCustomerNote {
        note_id: i64,
    },
    UpdateCustomerNote {
        note_id: i64,
        update: NoteUpdate,
    },
}

impl OperationDocument {
    /// The operation's name ([`Operation::name`]).
    fn name(&self) -> &'static str {
        match self {
            Self::CreateToken {} => "create_token",
            Self::RefreshToken { .. } => "refresh_token",
            Self::ListCustomerNotes { .. } => "list_customer_notes",
            Self::ListNotes { .. } => "list_notes",
            Self::CreateCustomerNote { .. } => "create_customer_note",
            Self::GetCustomerNote { .. } => "get_customer_note",
            Self::UpdateCustomerNote { .. } => "update_customer_note",
        }
    }

    /// The record the answer must be about, when the operation names one.
    fn subject(&self) -> Option<Subject> {
        match self {
            Self::ListCustomerNotes { customer_id, .. }
            | Self::CreateCustomerNote { customer_id, .. } => Some(Subject::Customer(*customer_id)),
            Self::GetCustomerNote { note_id } | Self::UpdateCustomerNote { note_id, .. } => {
                Some(Subject::Note(*note_id))
            }
            Self::CreateToken {} | Self::RefreshToken { .. } | Self::ListNotes { .. } => None,
        }
    }
}

/// Reads and parses an operation document (`what` names it in errors).
fn read_document(what: &'static str, path: Option<&Path>) -> Result<OperationDocument, PvError> {
    let bytes = read_input(what, path)?;
    serde_json::from_slice(&bytes).map_err(|error| PvError::Document {
        what,
        path: path.map(Path::to_path_buf),
        message: error.to_string(),
    })
}

/// The bytes of `path`, or of stdin for `None` and `-`.
fn read_input(what: &'static str, path: Option<&Path>) -> Result<Vec<u8>, PvError> {
    let failed = |error: std::io::Error| PvError::Document {
        what,
        path: path.map(Path::to_path_buf),
        message: error.to_string(),
    };
    match path {
        Some(path) if path != Path::new("-") => std::fs::read(path).map_err(failed),
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(failed)?;
            Ok(bytes)
        }
    }
}

fn page(number: Option<u32>, size: Option<u32>) -> Result<PageRequest, PvError> {
    PageRequest::new(number.unwrap_or(1), size.unwrap_or(50)).map_err(|v| PvError::invalid(&v))
}

/// Runs `crmwire wire encode peoplevine`.
pub(crate) async fn encode(
    output: &crate::output::Output,
    context: &Context,
    args: &EncodeArgs,
) -> Result<(), CommandError> {
    let document = read_document("operation", args.file.as_deref())?;
    let target = select_target(context, args.target, ServiceKind::Peoplevine)?;
    let (endpoint, grant, sandbox) = target_account(output, &target).await?;
    let request = (|| -> Result<http::Request<Bytes>, PvError> {
        Ok(match &document {
            OperationDocument::CreateToken {} => grant.request(&endpoint),
            OperationDocument::RefreshToken {
                access_token,
                refresh_token,
            } => notes_rest_refresh(&endpoint, access_token, refresh_token),
            OperationDocument::ListCustomerNotes {
                customer_id,
                page_number,
                page_size,
            } => endpoint.list_customer_notes(*customer_id, page(*page_number, *page_size)?),
            OperationDocument::ListNotes {
                page_number,
                page_size,
            } => endpoint.list_notes(page(*page_number, *page_size)?),
            OperationDocument::CreateCustomerNote { customer_id, note } => {
                endpoint.create_customer_note(*customer_id, note)
            }
            OperationDocument::GetCustomerNote { note_id } => endpoint.get_customer_note(*note_id),
            OperationDocument::UpdateCustomerNote { note_id, update } => {
                endpoint.update_customer_note(*note_id, update)
            }
        })
    })();
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    output.finish(&RequestReport::new(&request?));
    Ok(())
}

fn notes_rest_refresh(
    endpoint: &facade::peoplevine::Endpoint,
    access: &str,
    refresh: &str,
) -> http::Request<Bytes> {
    notes_rest::refresh_request(endpoint, &access.into(), &refresh.into())
}

/// A decoded answer.
#[derive(Debug, Serialize)]
struct DecodedReport {
    result: &'static str,
    operation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<Vec<facade::peoplevine::Note>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<facade::peoplevine::Pagination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<facade::peoplevine::Note>,
    /// A token's company and lifetime (never the token).
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<serde_json::Value>,
}

impl Report for DecodedReport {
    fn human(&self) -> String {
        let mut lines = Vec::new();
        if let Some(notes) = &self.notes {
            lines.push(super::report::NotesReport::new(notes.clone()).human());
        }
        if let Some(pagination) = &self.pagination {
            lines.push(format!(
                "page {} of {} ({} notes in all, {} per page)",
                pagination.page_number,
                pagination.total_pages,
                pagination.total_count,
                pagination.page_size
            ));
        }
        if let Some(note) = &self.note {
            lines.push(NoteReport::new("note", note.clone()).human());
        }
        if let Some(token) = &self.token {
            lines.push(format!(
                "token granted (the token itself is not shown): {}",
                safe(&token.to_string())
            ));
        }
        lines.join("\n")
    }
}

/// Runs `crmwire wire decode peoplevine`.
pub(crate) async fn decode(
    output: &crate::output::Output,
    _context: &Context,
    args: &DecodeArgs,
) -> Result<(), CommandError> {
    let (name, subject) = match (&args.request, &args.operation) {
        (Some(path), _) => {
            let response_from_stdin = args
                .file
                .as_deref()
                .is_none_or(|file| file == Path::new("-"));
            if path == Path::new("-") && response_from_stdin {
                return Err(PvError::Document {
                    what: "request",
                    path: None,
                    message: "the request and the response cannot both be read from stdin: \
                              give the response's file"
                        .to_owned(),
                }
                .into());
            }
            let document = read_document("request", Some(path))?;
            (document.name(), document.subject())
        }
        (None, Some(name)) => (name.as_str(), None),
        (None, None) => {
            return Err(PvError::Document {
                what: "operation name",
                path: None,
                message: "give --operation or --request".to_owned(),
            }
            .into());
        }
    };
    let operation = Operation::ALL
        .into_iter()
        .find(|operation| operation.name() == name)
        .ok_or_else(|| PvError::Document {
            what: "operation name",
            path: None,
            message: format!("unknown operation {name:?}"),
        })?;
    let body = read_input("response", args.file.as_deref())?;
    let bad = |message: String| PvError::Document {
        what: "response",
        path: args.file.clone(),
        message,
    };
    let mut builder = http::Response::builder().status(args.status);
    for header in &args.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| bad(format!("--header {header:?} is not `name: value`")))?;
        builder = builder.header(name.trim(), value.trim());
    }
    let response = builder
        .body(Bytes::from(body))
        .map_err(|error| bad(format!("not a valid status or header: {error}")))?;
    let failed = |error| {
        PvError::Call(facade::peoplevine::error_of(
            error,
            operation.resend().writes(),
        ))
    };
    let decoded = notes_rest::decode(operation, &response, &Redactor::none()).map_err(failed)?;
    if let Some(subject) = subject {
        let status = response.status();
        match &decoded {
            Answer::Notes(page) => check_answer(page, subject, status),
            Answer::Note(note) => check_answer(note.as_ref(), subject, status),
            _ => Ok(()),
        }
        .map_err(failed)?;
    }
    let mut report = DecodedReport {
        result: "ok",
        operation: operation.name(),
        notes: None,
        pagination: None,
        note: None,
        token: None,
    };
    match decoded {
        Answer::Notes(page) => {
            report.notes = Some(page.notes);
            report.pagination = page.pagination;
        }
        Answer::Note(note) => report.note = Some(*note),
        Answer::Token(token) => {
            report.token = Some(serde_json::json!({
                "company_id": token.company_id,
                "expires_in": token.expires_in,
                "refresh_token": token.refresh_token.is_some(),
            }));
        }
        _ => {}
    }
    output.finish(&report);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_document_names_its_operation_and_subject() {
        let cases = [
            (r#"{"operation":"create_token"}"#, None),
            (
                r#"{"operation":"refresh_token","access_token":"a","refresh_token":"r"}"#,
                None,
            ),
            (r#"{"operation":"list_notes"}"#, None),
            (
                r#"{"operation":"list_customer_notes","customer_id":501}"#,
                Some(Subject::Customer(501)),
            ),
            (
                r#"{"operation":"create_customer_note","customer_id":501,"note":{"subject":"s"}}"#,
                Some(Subject::Customer(501)),
            ),
            (
                r#"{"operation":"get_customer_note","note_id":7}"#,
                Some(Subject::Note(7)),
            ),
            (
                r#"{"operation":"update_customer_note","note_id":7,"update":{"subject":"s"}}"#,
                Some(Subject::Note(7)),
            ),
        ];
        for (json, subject) in cases {
            let document: OperationDocument = serde_json::from_str(json).unwrap();
            let tag: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(document.name(), tag["operation"], "{json}");
            assert!(OPERATION_NAMES.contains(&document.name()));
            assert_eq!(document.subject(), subject, "{json}");
        }
    }

    #[test]
    fn the_operation_names_are_the_protocols() {
        let names: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        let mut ours = OPERATION_NAMES.to_vec();
        let mut theirs = names.clone();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);
    }
}
