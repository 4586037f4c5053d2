//! [`NeutralReport`]: one outcome per profile, as text and as the `--json`
//! document `{"operation", "command", "dry_run", "exit_code", "outcomes":
//! [{"profile", "service", "customer", "fate", "exit_code", …}]}`.

use facade::Service;
use facade::neutral::{CustomerNote, Operation};
use serde::Serialize;

use super::request::Request;
use crate::commands::failure::{self, Problem};
use crate::exit::Exit;
use crate::output::{Report, safe};

/// What a service answered to a call that succeeded.
#[derive(Debug)]
pub(crate) enum Answer {
    /// A note was added; its id, when the service returns one.
    NoteAdded(Option<String>),
    /// The customer's notes.
    Notes(Vec<CustomerNote>),
    /// An appointment was booked; its status, when the service returns one.
    Booked(Option<String>),
    /// A follow-up was logged; its id, when the service returns one.
    Logged(Option<String>),
}

/// What became of the record at one profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Fate {
    /// The service did it.
    Done,
    /// `--dry-run`: it would be sent.
    WouldSend,
    /// The service does not have the operation; nothing was sent.
    Unsupported,
    /// The record breaks one of the service's rules (or cannot be sent as
    /// configured); nothing was sent.
    InvalidInput,
    /// The service answered and refused or failed it.
    Refused,
    /// It was not sent; nothing happened, safe to run again.
    NotSent,
    /// It may have been received and acted on: check before running again.
    OutcomeUnknown,
}

impl Fate {
    fn describe(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::WouldSend => "would send",
            Self::Unsupported => "unsupported",
            Self::InvalidInput => "invalid input",
            Self::Refused => "refused",
            Self::NotSent => "not sent",
            Self::OutcomeUnknown => "outcome unknown",
        }
    }
}

/// A listed note in `--json`.
#[derive(Debug, Serialize)]
struct NoteDoc {
    id: Option<String>,
    subject: Option<String>,
    text: Option<String>,
    kind: Option<&'static str>,
    at: Option<String>,
}

/// One profile's outcome.
#[derive(Debug, Serialize)]
pub(crate) struct Outcome {
    profile: String,
    service: &'static str,
    customer: String,
    fate: Fate,
    exit_code: u8,
    /// The new note's id (`note add`).
    #[serde(skip_serializing_if = "Option::is_none")]
    note_id: Option<String>,
    /// The customer's notes (`note list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<Vec<NoteDoc>>,
    /// The new appointment's status (`appointment book`).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    /// The new follow-up's id (`followup log`).
    #[serde(skip_serializing_if = "Option::is_none")]
    log_id: Option<String>,
    /// What would be sent (`--dry-run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<serde_json::Value>,
    /// What went wrong: a short, stable name (`unsupported`, `invalid_input`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    /// What went wrong, in one sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// Whether sending it again cannot act twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_safe: Option<bool>,
    /// Every broken rule, for invalid input.
    #[serde(skip_serializing_if = "Option::is_none")]
    violations: Option<Vec<Problem>>,
    /// The text form of a dry run's request.
    #[serde(skip)]
    would_send: Option<String>,
    /// The exit code's meaning.
    #[serde(skip)]
    end: Exit,
}

impl Outcome {
    fn new(profile: &str, service: Service, customer: &str, fate: Fate, exit: Exit) -> Self {
        Self {
            profile: profile.to_owned(),
            service: service.as_str(),
            customer: customer.to_owned(),
            fate,
            exit_code: exit.code(),
            note_id: None,
            notes: None,
            status: None,
            log_id: None,
            request: None,
            kind: None,
            message: None,
            retry_safe: None,
            violations: None,
            would_send: None,
            end: exit,
        }
    }

    /// The service did it and answered `answer`.
    pub(crate) fn done(profile: &str, service: Service, customer: &str, answer: Answer) -> Self {
        let mut outcome = Self::new(profile, service, customer, Fate::Done, Exit::Success);
        match answer {
            Answer::NoteAdded(id) => outcome.note_id = id,
            Answer::Notes(notes) => {
                outcome.notes = Some(
                    notes
                        .into_iter()
                        .map(|note| NoteDoc {
                            id: note.id,
                            subject: note.subject,
                            text: note.text,
                            kind: note.kind.map(|kind| kind.as_str()),
                            at: note.at.map(|at| at.to_string()),
                        })
                        .collect(),
                );
            }
            Answer::Booked(status) => outcome.status = status,
            Answer::Logged(id) => outcome.log_id = id,
        }
        outcome
    }

    /// `--dry-run`: `request` would be sent to `customer`.
    pub(crate) fn would_send(
        profile: &str,
        service: Service,
        customer: &str,
        request: &Request,
    ) -> Self {
        let mut outcome = Self::new(profile, service, customer, Fate::WouldSend, Exit::Success);
        outcome.request = Some(request.document(customer));
        outcome.would_send = Some(request.describe(customer));
        outcome
    }

    /// The call failed with `error`.
    pub(crate) fn failed(
        profile: &str,
        service: Service,
        customer: &str,
        error: &facade::Error,
    ) -> Self {
        let fate = if error.unsupported().is_some() {
            Fate::Unsupported
        } else {
            match error.fate() {
                facade::Fate::Rejected => Fate::InvalidInput,
                facade::Fate::NotSent => Fate::NotSent,
                facade::Fate::Unknown => Fate::OutcomeUnknown,
                _ => Fate::Refused,
            }
        };
        let mut outcome = Self::new(profile, service, customer, fate, failure::exit_of(error));
        outcome.kind = Some(failure::kind_of(error));
        outcome.retry_safe = Some(failure::retry_safe(error));
        if let facade::Error::InvalidInput(violations) = error {
            let problems = failure::describe(violations, &option_of);
            outcome.message = Some(failure::joined(&problems));
            outcome.violations = Some(problems);
        } else {
            outcome.message = Some(failure::chain(error));
        }
        outcome
    }

    fn exit(&self) -> Exit {
        self.end
    }

    /// The outcome's line (and, for listed notes, one line per note).
    fn human(&self) -> String {
        let mut line = format!(
            "  {} ({}, customer {}): {}",
            safe(&self.profile),
            self.service,
            safe(&self.customer),
            self.fate.describe()
        );
        let mut detail = |text: String| {
            line.push_str(": ");
            line.push_str(&safe(&text));
        };
        if let Some(id) = &self.note_id {
            detail(format!("note {id}"));
        }
        if let Some(status) = &self.status {
            detail(format!("status {status}"));
        }
        if let Some(id) = &self.log_id {
            detail(format!("log {id}"));
        }
        if let Some(would_send) = &self.would_send {
            detail(would_send.clone());
        }
        if let Some(message) = &self.message {
            detail(message.clone());
        }
        if let Some(notes) = &self.notes {
            detail(format!("{} note(s)", notes.len()));
            for note in notes {
                line.push_str(&format!(
                    "\n    {} [{}] {}: {}",
                    safe(note.id.as_deref().unwrap_or("-")),
                    note.kind.unwrap_or("-"),
                    safe(note.at.as_deref().unwrap_or("-")),
                    safe(&note_text(note)),
                ));
            }
        }
        line
    }
}

fn note_text(note: &NoteDoc) -> String {
    match (&note.subject, &note.text) {
        (Some(subject), Some(text)) => format!("{subject}: {text}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    }
}

/// The option that sets a service's field of a neutral record, for invalid
/// input (`None`: the field has no option of its own).
fn option_of(_: Option<&wire_core::validation::Record>, field: &str) -> Option<&'static str> {
    Some(match field {
        "Username" | "SecurityTraxUniqueID" | "customer_id" | "customerID" | "CustomerID" => {
            "--customer"
        }
        "Subject" | "subject" => "--subject",
        "Note" | "Notes" | "NoteText" | "details" | "Text" => "--text",
        "StartTime" | "Start" => "--start",
        "EndTime" | "End" => "--end",
        "FollowUpType" => "--type",
        "AllocatedTo" => "--assigned-to",
        "DateRequiredFollowUp" => "--due",
        _ => return None,
    })
}

/// Every profile's outcome of one command.
#[derive(Debug, Serialize)]
pub(crate) struct NeutralReport {
    /// The neutral operation (`add_note`, …).
    operation: &'static str,
    /// The command (`note add`, …).
    command: &'static str,
    dry_run: bool,
    /// The worst outcome's exit code: the process's.
    exit_code: u8,
    outcomes: Vec<Outcome>,
}

impl NeutralReport {
    /// The report of `command` (`operation`) with `outcomes`.
    pub(crate) fn new(
        command: &'static str,
        operation: Operation,
        dry_run: bool,
        outcomes: Vec<Outcome>,
    ) -> Self {
        let exit = outcomes
            .iter()
            .map(Outcome::exit)
            .fold(Exit::Success, Exit::worst);
        Self {
            operation: operation.as_str(),
            command,
            dry_run,
            exit_code: exit.code(),
            outcomes,
        }
    }

    /// The process's end: the worst outcome's.
    pub(crate) fn exit(&self) -> Exit {
        self.outcomes
            .iter()
            .map(Outcome::exit)
            .fold(Exit::Success, Exit::worst)
    }
}

impl Report for NeutralReport {
    fn human(&self) -> String {
        let mut text = format!(
            "{}{} ({}), {} profile(s):",
            self.command,
            if self.dry_run { " --dry-run" } else { "" },
            self.operation,
            self.outcomes.len()
        );
        for outcome in &self.outcomes {
            text.push('\n');
            text.push_str(&outcome.human());
        }
        if self.dry_run {
            text.push_str("\nnothing was sent (--dry-run)");
        }
        text
    }
}
