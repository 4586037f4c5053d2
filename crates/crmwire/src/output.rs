//! Printing results: text for people, or one JSON document with `--json`.
//!
//! Results go to stdout; notices and errors go to stderr, so `--json` output stays
//! parseable. Two rules hold for everything printed:
//! - the profile's secrets never appear: once a command knows them it gives
//!   [`Output`] a [`Redactor`], and every line and every JSON string passes
//!   through it (a last line of defence behind the protocol crates' own
//!   redaction);
//! - text cannot forge lines: one-line messages (notices, errors, progress) are
//!   escaped whole with [`escape_for_terminal`], and reports escape every value
//!   that comes from a service or from the user ([`safe`]). JSON keeps values
//!   exact (JSON escapes them itself).

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;
use wire_core::Redactor;
use wire_core::text::escape_for_terminal;

use crate::commands::failure::Problem;

/// A command's result, printable both ways.
pub(crate) trait Report: Serialize {
    /// The text form, for people: every value from a service or the user passed
    /// through [`safe`].
    fn human(&self) -> String;
}

/// `value` made safe for a text line: control and bidi characters escaped.
pub(crate) fn safe(value: &str) -> Cow<'_, str> {
    escape_for_terminal(value)
}

/// A failed command, as printed: `{"result": "error", "kind", "exit_code",
/// "message", "retry_safe"}` in JSON, plus `"fate"` for a failed service call
/// and `"violations"` for invalid input.
#[derive(Debug, Serialize)]
pub(crate) struct Failure<'a> {
    result: &'static str,
    /// A short, stable name of what went wrong (e.g. `invalid_input`, `not_sent`,
    /// `outcome_unknown`, `refused`, `config`).
    kind: &'static str,
    /// The process exit code.
    exit_code: u8,
    /// The one-line message.
    message: &'a str,
    /// Whether running the same command again cannot act twice.
    retry_safe: bool,
    /// The request's fate, when a service call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    fate: Option<&'static str>,
    /// Every broken rule, for invalid input.
    #[serde(skip_serializing_if = "Option::is_none")]
    violations: Option<&'a [Problem]>,
}

impl<'a> Failure<'a> {
    /// A failure of `kind` with `message`, ending the process with `exit_code`.
    pub(crate) fn new(
        kind: &'static str,
        exit_code: u8,
        message: &'a str,
        retry_safe: bool,
    ) -> Self {
        Self {
            result: "error",
            kind,
            exit_code,
            message,
            retry_safe,
            fate: None,
            violations: None,
        }
    }

    /// This failure with the fate of the failed call.
    pub(crate) fn with_fate(mut self, fate: Option<&'static str>) -> Self {
        self.fate = fate;
        self
    }

    /// This failure with the broken rules of invalid input.
    pub(crate) fn with_violations(mut self, problems: Option<&'a [Problem]>) -> Self {
        self.violations = problems;
        self
    }
}

/// Where and how results are printed.
#[derive(Debug, Default)]
pub(crate) struct Output {
    json: bool,
    redactor: OnceLock<Redactor>,
}

impl Output {
    /// Text output, or JSON when `json` is set.
    pub(crate) fn new(json: bool) -> Self {
        Self {
            json,
            redactor: OnceLock::new(),
        }
    }

    /// Whether the output is JSON (`--json`).
    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    /// From now on, removes `redactor`'s secrets from everything printed (the first
    /// call wins: a command has one profile).
    pub(crate) fn redact_secrets(&self, redactor: Redactor) {
        let _ = self.redactor.set(redactor);
    }

    fn redacted<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.redactor.get() {
            Some(redactor) => redactor.redact(text),
            None => Cow::Borrowed(text),
        }
    }

    /// `message` as one safe line: secrets removed, unsafe characters escaped.
    pub(crate) fn line(&self, message: &str) -> String {
        escape_for_terminal(&self.redacted(message)).into_owned()
    }

    /// A one-line notice on stderr (both modes).
    pub(crate) fn notice(&self, message: &str) {
        eprintln!("note: {}", self.line(message));
    }

    /// A progress line on stdout, in text mode only.
    pub(crate) fn progress(&self, line: &str) {
        if !self.json {
            println!("{}", self.line(line));
        }
    }

    /// A failure: one line on stderr (both modes) and, with `--json`, an error
    /// document on stdout so scripts always get one JSON document.
    pub(crate) fn failure(&self, failure: &Failure<'_>) {
        eprintln!("error: {}", self.line(failure.message));
        if self.json {
            self.print_json(failure);
        }
    }

    /// The final result: its text form, or one line of JSON.
    pub(crate) fn finish(&self, report: &impl Report) {
        if self.json {
            self.print_json(report);
        } else {
            let text = report.human();
            if !text.is_empty() {
                println!("{}", self.redacted(&text));
            }
        }
    }

    /// `value` as one line of JSON, every string redacted.
    fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_value(value) {
            Ok(mut json) => {
                if let Some(redactor) = self.redactor.get() {
                    redactor.redact_json_in_place(&mut json);
                }
                println!("{json}");
            }
            Err(err) => eprintln!("error: cannot write the JSON result: {err}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_redacted_then_escaped() {
        let output = Output::new(false);
        assert_eq!(output.line("a\r\nb"), "a\\r\\nb");
        output.redact_secrets(Redactor::new(["hunter2"]));
        assert_eq!(
            output.line("denied hunter2\u{202e}"),
            "denied [redacted]\\u{202e}"
        );
        assert_eq!(safe("Smith\r\nStatus: OK"), "Smith\\r\\nStatus: OK");
    }
}
