//! What `crmwire peoplevine` prints: notes, one note, or a request.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use facade::peoplevine::Note;
use serde::Serialize;
use wire_core::headers::is_secret_header;

use crate::output::{Report, safe};

/// One line of a note: `#id [status] customer N: subject: details`.
fn line(note: &Note) -> String {
    let mut out = String::new();
    match note.id {
        Some(id) => write!(out, "#{id}"),
        None => write!(out, "#?"),
    }
    .ok();
    write!(out, " [{}]", safe(note.status.as_str())).ok();
    if let Some(customer) = note.customer_id {
        write!(out, " customer {customer}").ok();
    }
    write!(out, " {}", note.created_on).ok();
    if let Some(subject) = &note.subject {
        write!(out, ": {}", safe(subject)).ok();
    }
    if let Some(details) = &note.details {
        write!(out, ": {}", safe(details)).ok();
    }
    out
}

/// A list of notes.
#[derive(Debug, Serialize)]
pub(crate) struct NotesReport {
    result: &'static str,
    count: usize,
    notes: Vec<Note>,
}

impl NotesReport {
    pub(crate) fn new(notes: Vec<Note>) -> Self {
        Self {
            result: "ok",
            count: notes.len(),
            notes,
        }
    }
}

impl Report for NotesReport {
    fn human(&self) -> String {
        if self.notes.is_empty() {
            return "no notes".to_owned();
        }
        let mut lines: Vec<String> = self.notes.iter().map(line).collect();
        lines.push(format!("{} note(s)", self.count));
        lines.join("\n")
    }
}

/// One note.
#[derive(Debug, Serialize)]
pub(crate) struct NoteReport {
    result: &'static str,
    note: Note,
}

impl NoteReport {
    pub(crate) fn new(result: &'static str, note: Note) -> Self {
        Self { result, note }
    }
}

impl Report for NoteReport {
    fn human(&self) -> String {
        format!("{}: {}", self.result, line(&self.note))
    }
}

/// The body fields of the token requests that hold secrets.
const SECRET_FIELDS: [&str; 3] = ["password", "access_token", "refresh_token"];

/// A request as it would be sent (`--dry-run`, `wire encode`): secret headers
/// masked.
#[derive(Debug, Serialize)]
pub(crate) struct RequestReport {
    result: &'static str,
    method: String,
    url: String,
    headers: BTreeMap<String, String>,
    body: serde_json::Value,
}

impl RequestReport {
    pub(crate) fn new(request: &http::Request<bytes::Bytes>) -> Self {
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = if is_secret_header(name.as_str()) {
                    "********".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        let mut body = if request.body().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(request.body()).unwrap_or_else(|_| {
                serde_json::Value::String(String::from_utf8_lossy(request.body()).into_owned())
            })
        };
        if let Some(fields) = body.as_object_mut() {
            for (name, value) in fields.iter_mut() {
                if SECRET_FIELDS.contains(&name.as_str()) {
                    *value = serde_json::Value::String("********".into());
                }
            }
        }
        Self {
            result: "dry_run",
            method: request.method().as_str().to_owned(),
            url: request.uri().to_string(),
            headers,
            body,
        }
    }
}

impl Report for RequestReport {
    fn human(&self) -> String {
        let mut out = format!("{} {}\n", self.method, safe(&self.url));
        for (name, value) in &self.headers {
            writeln!(out, "{name}: {}", safe(value)).ok();
        }
        if !self.body.is_null() {
            write!(out, "\n{}", self.body).ok();
        }
        out.trim_end().to_owned()
    }
}
