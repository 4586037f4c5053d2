//! Printing results: text for people, or one JSON document with `--json`.
//!
//! Results go to stdout; notices and errors go to stderr, so `--json` output stays
//! parseable.

use serde::Serialize;

/// A command's result, printable both ways.
pub(crate) trait Report: Serialize {
    /// The text form, for people.
    fn human(&self) -> String;
}

/// A failed command, as printed: `{"result": "error", "kind", "exit_code",
/// "message", "retry_safe"}` in JSON.
#[derive(Debug, Serialize)]
pub(crate) struct Failure<'a> {
    result: &'static str,
    /// A short, stable name of what went wrong (e.g. `invalid_input`, `not_sent`,
    /// `outcome_unknown`, `operation_failed`, `config`).
    kind: &'static str,
    /// The process exit code.
    exit_code: u8,
    /// The one-line message.
    message: &'a str,
    /// Whether running the same command again cannot act twice.
    retry_safe: bool,
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
        }
    }
}

/// Where and how results are printed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    /// Text output, or JSON when `json` is set.
    pub(crate) fn new(json: bool) -> Self {
        Self { json }
    }

    /// A one-line notice on stderr (both modes).
    pub(crate) fn notice(&self, message: &str) {
        eprintln!("note: {message}");
    }

    /// A progress line on stdout, in text mode only.
    pub(crate) fn progress(&self, line: &str) {
        if !self.json {
            println!("{line}");
        }
    }

    /// A failure: one line on stderr (both modes) and, with `--json`, an error
    /// document on stdout so scripts always get one JSON document.
    pub(crate) fn failure(&self, failure: &Failure<'_>) {
        eprintln!("error: {}", failure.message);
        if self.json {
            match serde_json::to_string(failure) {
                Ok(json) => println!("{json}"),
                Err(err) => eprintln!("error: cannot write the JSON error: {err}"),
            }
        }
    }

    /// The final result: its text form, or one line of JSON.
    pub(crate) fn finish(&self, report: &impl Report) {
        if self.json {
            match serde_json::to_string(report) {
                Ok(json) => println!("{json}"),
                Err(err) => eprintln!("error: cannot write the JSON result: {err}"),
            }
        } else {
            let text = report.human();
            if !text.is_empty() {
                println!("{text}");
            }
        }
    }
}
