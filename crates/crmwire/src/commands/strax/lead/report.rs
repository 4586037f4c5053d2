//! What `lead post`, `customer post` and `lead unknown` print: text for people
//! (every value from the file or the service escaped for the terminal), or one
//! JSON document with `--json`.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::deliver::Delivered;
use super::journal::{Entry, Kind, State};
use super::source::BadRecord;
use crate::commands::failure;
use crate::exit::Exit;
use crate::output::{Report, safe};

/// An accepted record.
#[derive(Debug, Serialize)]
pub(crate) struct AcceptedDoc {
    line: u64,
    unique_id: Option<String>,
    /// The new customer's id (`null` when the answer named none).
    customer_id: Option<String>,
}

/// A record the service refused.
#[derive(Debug, Serialize)]
pub(crate) struct RefusedDoc {
    line: u64,
    unique_id: Option<String>,
    /// The service's texts, exactly as sent.
    texts: Vec<String>,
}

/// A record whose outcome is unknown.
#[derive(Debug, Serialize)]
pub(crate) struct UnknownDoc {
    line: u64,
    unique_id: Option<String>,
    /// How many times it was sent.
    sends: u32,
    /// Why it is not known (`null`: sent, and the run stopped before the answer).
    reason: Option<String>,
}

/// The post that stopped the run.
#[derive(Debug, Serialize)]
pub(crate) struct StoppedDoc {
    /// The first line of its chunk.
    line: u64,
    /// How many records it held.
    records: usize,
    /// The error's stable kind (`not_sent`, `outcome_unknown`, …).
    kind: &'static str,
    /// What happened.
    message: String,
    /// Whether its records are now outcome unknown (else: not sent, they go on `--resume`).
    outcome_unknown: bool,
    /// The exit code it implies.
    #[serde(skip)]
    exit: Exit,
}

/// This run's counts.
#[derive(Debug, Serialize)]
pub(crate) struct ThisRun {
    /// Records read, bad ones included.
    read: u64,
    /// Records sent by this run.
    sent: u64,
    /// Posts made by this run.
    chunks: u64,
    /// Records skipped: an earlier run knows their outcome.
    already_known: u64,
    /// Records skipped: an earlier run left their outcome unknown.
    left_unknown: u64,
    /// Whether Ctrl-C ended the run before the end of the file.
    interrupted: bool,
}

/// The result of `lead post` / `customer post`: every record of the file that
/// the journal knows (this run's and earlier runs'), and this run's bad ones.
#[derive(Debug, Serialize)]
pub(crate) struct PostReport {
    /// `lead_post` or `customer_post`.
    result: &'static str,
    /// What was posted (`lead`, `customer`).
    #[serde(skip)]
    kind: Kind,
    /// The input file.
    input: String,
    /// The delivery journal.
    journal: String,
    accepted: Vec<AcceptedDoc>,
    rejected_before_sending: Vec<BadRecord>,
    rejected_by_service: Vec<RefusedDoc>,
    outcome_unknown: Vec<UnknownDoc>,
    /// Set when a post failed as a whole and the run stopped.
    stopped: Option<StoppedDoc>,
    this_run: ThisRun,
}

impl PostReport {
    /// The report of a run that `delivered`, with the journal's `entries`.
    pub(crate) fn new(
        kind: Kind,
        input: &Path,
        journal: &Path,
        delivered: Delivered,
        entries: Vec<Entry>,
    ) -> Self {
        let mut accepted = Vec::new();
        let mut refused = Vec::new();
        let mut unknown = Vec::new();
        for entry in entries {
            match entry.state {
                State::Accepted { customer_id } => accepted.push(AcceptedDoc {
                    line: entry.line,
                    unique_id: entry.unique_id,
                    customer_id,
                }),
                State::Rejected { texts } => refused.push(RefusedDoc {
                    line: entry.line,
                    unique_id: entry.unique_id,
                    texts,
                }),
                State::Sent => unknown.push(UnknownDoc {
                    line: entry.line,
                    unique_id: entry.unique_id,
                    sends: entry.sends,
                    reason: None,
                }),
                State::Unknown { reason } => unknown.push(UnknownDoc {
                    line: entry.line,
                    unique_id: entry.unique_id,
                    sends: entry.sends,
                    reason: Some(reason),
                }),
            }
        }
        let stopped = delivered.stopped.map(|stopped| StoppedDoc {
            line: stopped.line,
            records: stopped.records,
            kind: failure::kind_of(&stopped.error),
            message: failure::chain(&stopped.error),
            outcome_unknown: stopped.outcome_unknown,
            exit: failure::exit_of(&stopped.error),
        });
        Self {
            result: match kind {
                Kind::Lead => "lead_post",
                Kind::Customer => "customer_post",
            },
            kind,
            input: input.display().to_string(),
            journal: journal.display().to_string(),
            accepted,
            rejected_before_sending: delivered.bad,
            rejected_by_service: refused,
            outcome_unknown: unknown,
            stopped,
            this_run: ThisRun {
                read: delivered.read,
                sent: delivered.sent,
                chunks: delivered.chunks,
                already_known: delivered.already_known,
                left_unknown: delivered.left_unknown,
                interrupted: delivered.interrupted,
            },
        }
    }

    /// How the command ends: 4 when any record's outcome is unknown, else the
    /// stopping error's code, else 3 when Ctrl-C ended the run (the rest was
    /// not sent), else 2 when records were invalid, else 1 when the service
    /// refused some, else 0.
    pub(crate) fn exit(&self) -> Exit {
        if !self.outcome_unknown.is_empty() {
            Exit::OutcomeUnknown
        } else if let Some(stopped) = &self.stopped {
            stopped.exit
        } else if self.this_run.interrupted {
            Exit::NotSent
        } else if !self.rejected_before_sending.is_empty() {
            Exit::Invalid
        } else if !self.rejected_by_service.is_empty() {
            Exit::Failed
        } else {
            Exit::Success
        }
    }
}

/// `line N (id)` with the id escaped.
fn named(line: u64, unique_id: Option<&str>) -> String {
    match unique_id {
        Some(id) => format!("line {line} ({})", safe(id)),
        None => format!("line {line}"),
    }
}

impl Report for PostReport {
    fn human(&self) -> String {
        let what = self.kind.as_str();
        let mut text = String::new();
        let _ = writeln!(
            text,
            "Posted {what}s from {} (journal {}):",
            safe(&self.input),
            safe(&self.journal)
        );
        let _ = writeln!(text, "  accepted:                 {}", self.accepted.len());
        let _ = writeln!(
            text,
            "  rejected before sending:  {}",
            self.rejected_before_sending.len()
        );
        let _ = writeln!(
            text,
            "  rejected by the service:  {}",
            self.rejected_by_service.len()
        );
        let _ = writeln!(
            text,
            "  outcome unknown:          {}",
            self.outcome_unknown.len()
        );
        let run = &self.this_run;
        let _ = writeln!(
            text,
            "  this run: {} read, {} sent in {} post(s), {} skipped (outcome known), {} skipped (outcome unknown)",
            run.read, run.sent, run.chunks, run.already_known, run.left_unknown
        );
        if !self.accepted.is_empty() {
            text.push_str("Accepted:\n");
            for doc in &self.accepted {
                let customer = doc.customer_id.as_deref().map_or_else(
                    || "no customer id given".to_owned(),
                    |id| format!("customer {}", safe(id)),
                );
                let _ = writeln!(
                    text,
                    "  {}: {customer}",
                    named(doc.line, doc.unique_id.as_deref())
                );
            }
        }
        if !self.rejected_before_sending.is_empty() {
            text.push_str("Rejected before sending (fix them and post them again):\n");
            for bad in &self.rejected_before_sending {
                let _ = writeln!(text, "  {}", safe(&bad.to_string()));
            }
        }
        if !self.rejected_by_service.is_empty() {
            text.push_str("Rejected by the service:\n");
            for doc in &self.rejected_by_service {
                let texts: Vec<String> = doc.texts.iter().map(|t| safe(t).into_owned()).collect();
                let _ = writeln!(
                    text,
                    "  {}: {}",
                    named(doc.line, doc.unique_id.as_deref()),
                    texts.join("; ")
                );
            }
        }
        if !self.outcome_unknown.is_empty() {
            let _ = writeln!(
                text,
                "Outcome unknown (SecurityTrax may have them: check before sending them again with --resume --resend-unknown):"
            );
            for doc in &self.outcome_unknown {
                let reason = doc.reason.as_deref().map_or_else(
                    || "sent; no answer was recorded".to_owned(),
                    |r| safe(r).into_owned(),
                );
                let _ = writeln!(
                    text,
                    "  {}: {reason}",
                    named(doc.line, doc.unique_id.as_deref())
                );
            }
        }
        if let Some(stopped) = &self.stopped {
            let fate = if stopped.outcome_unknown {
                "their outcome is unknown"
            } else {
                "they were not sent; --resume sends them"
            };
            let _ = writeln!(
                text,
                "Stopped at the post of line {} ({} {what}s; {fate}): {}",
                stopped.line,
                stopped.records,
                safe(&stopped.message)
            );
            text.push_str("Run the same command with --resume to carry on.\n");
        }
        if self.this_run.interrupted {
            text.push_str(
                "Stopped by Ctrl-C: the records not yet sent go with the same command and --resume.\n",
            );
        }
        while text.ends_with('\n') {
            text.pop();
        }
        text
    }
}

/// The result of `lead unknown`.
#[derive(Debug, Serialize)]
pub(crate) struct UnknownReport {
    result: &'static str,
    journal: String,
    outcome_unknown: Vec<UnknownDoc>,
}

impl UnknownReport {
    /// The unknown `entries` of `journal`.
    pub(crate) fn new(journal: &Path, entries: Vec<Entry>) -> Self {
        let outcome_unknown = entries
            .into_iter()
            .filter(|entry| entry.state.is_unknown())
            .map(|entry| UnknownDoc {
                line: entry.line,
                unique_id: entry.unique_id,
                sends: entry.sends,
                reason: match entry.state {
                    State::Unknown { reason } => Some(reason),
                    _ => None,
                },
            })
            .collect();
        Self {
            result: "outcome_unknown",
            journal: journal.display().to_string(),
            outcome_unknown,
        }
    }

    /// 4 when some are listed, else 0.
    pub(crate) fn exit(&self) -> Exit {
        if self.outcome_unknown.is_empty() {
            Exit::Success
        } else {
            Exit::OutcomeUnknown
        }
    }
}

impl Report for UnknownReport {
    fn human(&self) -> String {
        if self.outcome_unknown.is_empty() {
            return format!(
                "No record of {} has an unknown outcome.",
                safe(&self.journal)
            );
        }
        let mut text = format!(
            "{} record(s) of {} have an unknown outcome (SecurityTrax may have them; check, then send the missing ones with --resume --resend-unknown):",
            self.outcome_unknown.len(),
            safe(&self.journal)
        );
        for doc in &self.outcome_unknown {
            let reason = doc.reason.as_deref().map_or_else(
                || "sent; no answer was recorded".to_owned(),
                |r| safe(r).into_owned(),
            );
            let _ = write!(
                text,
                "\n  {}: {reason} (sent {} time(s))",
                named(doc.line, doc.unique_id.as_deref()),
                doc.sends
            );
        }
        text
    }
}

/// What `--dry-run` found.
#[derive(Debug, Serialize)]
pub(crate) struct DryRunReport {
    result: &'static str,
    /// The input file.
    input: String,
    /// Records read, bad ones included.
    read: u64,
    /// Records that would be sent.
    would_send: u64,
    /// Posts that would be made.
    chunks: u64,
    rejected_before_sending: Vec<BadRecord>,
}

impl DryRunReport {
    /// The dry run of `input`.
    pub(crate) fn new(
        input: &Path,
        read: u64,
        would_send: u64,
        chunks: u64,
        bad: Vec<BadRecord>,
    ) -> Self {
        Self {
            result: "dry_run",
            input: input.display().to_string(),
            read,
            would_send,
            chunks,
            rejected_before_sending: bad,
        }
    }

    /// 2 when some records are invalid, else 0.
    pub(crate) fn exit(&self) -> Exit {
        if self.rejected_before_sending.is_empty() {
            Exit::Success
        } else {
            Exit::Invalid
        }
    }
}

impl Report for DryRunReport {
    fn human(&self) -> String {
        let mut text = format!(
            "Dry run of {}: {} read, {} would be sent in {} post(s), {} rejected before sending; nothing was sent.",
            safe(&self.input),
            self.read,
            self.would_send,
            self.chunks,
            self.rejected_before_sending.len()
        );
        for bad in &self.rejected_before_sending {
            let _ = write!(text, "\n  {}", safe(&bad.to_string()));
        }
        text
    }
}
