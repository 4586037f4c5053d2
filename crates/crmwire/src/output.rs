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
