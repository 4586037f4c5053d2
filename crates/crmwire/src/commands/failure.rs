//! What a failed service call means, the same for every service: its exit code,
//! its `--json` error `kind`, whether running it again is safe, and invalid input
//! described one way (each broken rule naming the option, the service's field and
//! the rule, with the rule's stable code in `--json`).

use serde::Serialize;
use wire_core::validation::{Record, Rule, Violation, Violations};

use crate::exit::Exit;

/// What a failed call means for the user: the exit code of its fate (the
/// table is in docs/architecture.md, "The fate of a failed request"). An
/// operation the service does not have is a failure of the operation (1),
/// not invalid input, although nothing was sent.
pub(crate) fn exit_of(error: &facade::Error) -> Exit {
    if error.unsupported().is_some() {
        return Exit::Failed;
    }
    match error.fate() {
        facade::Fate::Rejected => Exit::Invalid,
        facade::Fate::NotSent => Exit::NotSent,
        facade::Fate::Unknown => Exit::OutcomeUnknown,
        facade::Fate::Answered => Exit::Failed,
    }
}

/// A short, stable name of what a failed call means, for `--json` documents:
/// the facade's kind, with a connect timeout told apart.
pub(crate) fn kind_of(error: &facade::Error) -> &'static str {
    use facade::transport::TimeoutPhase;
    match error {
        facade::Error::Timeout {
            phase: TimeoutPhase::Connect,
            ..
        } => "connect_timeout",
        other => other.kind(),
    }
}

/// `error` and every error below it, joined with `: ` (each level says one
/// thing; the transport's detail, such as "connection refused", is a
/// source).
///
/// A level that only repeats what is already said is left out: its whole
/// text, or its detail after a label (`unreadable answer: <detail>` below an
/// error that already gave `<detail>`).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let shown = cause.to_string();
        let detail = shown
            .split_once(": ")
            .map(|(_, detail)| detail)
            .filter(|detail| !detail.is_empty());
        let repeats = text.contains(&shown) || detail.is_some_and(|detail| text.contains(detail));
        if !repeats {
            text.push_str(": ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}

/// Whether running the same command again cannot act twice and may succeed.
pub(crate) fn retry_safe(error: &facade::Error) -> bool {
    error.is_retry_safe()
}

/// How a service's command line names the fields of its requests: the option
/// that sets `field` of `record` (`None`: the field has no option, e.g. a
/// credential from the profile).
pub(crate) type OptionNamer<'a> = &'a dyn Fn(Option<&Record>, &str) -> Option<&'static str>;

/// One broken rule, as printed and as put in the `--json` error document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Problem {
    /// The record's kind, position and label, `null` for the request as a whole.
    record: Option<RecordDoc>,
    /// The service's name of the field.
    field: String,
    /// The command-line option that sets it, when there is one.
    option: Option<&'static str>,
    /// The rule's stable code (`required`, `digits`, `after`, …).
    rule: &'static str,
    /// The whole sentence, e.g. `--customer (SecurityTraxUniqueID) must be digits only (0-9)`.
    message: String,
}

/// [`Record`] in `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct RecordDoc {
    kind: String,
    index: usize,
    label: Option<String>,
}

impl Problem {
    /// A problem with an option's value found before any request is built (a
    /// date-time that cannot be read).
    pub(crate) fn of_option(option: &'static str, field: &str, rule: &Rule, shown: &str) -> Self {
        Self {
            record: None,
            field: field.to_owned(),
            option: Some(option),
            rule: rule.code(),
            message: format!("{option} `{shown}` {rule}"),
        }
    }

    /// The sentence.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

/// Every violation described with the options `namer` gives.
pub(crate) fn describe(violations: &Violations, namer: OptionNamer<'_>) -> Vec<Problem> {
    violations
        .iter()
        .map(|violation| describe_one(violation, namer))
        .collect()
}

fn describe_one(violation: &Violation, namer: OptionNamer<'_>) -> Problem {
    let record = violation.record.as_ref();
    let field = violation.field.as_ref();
    let option = namer(record, field);
    let named = |field: &str| match namer(record, field) {
        Some(option) => option.to_owned(),
        None => format!("`{field}`"),
    };
    let message = match (&violation.rule, option) {
        (Rule::AtLeastOneOf(others), _) => {
            let mut all: Vec<String> = vec![named(field)];
            all.extend(
                others
                    .iter()
                    .filter(|other| other.as_ref() != field)
                    .map(|other| named(other)),
            );
            format!("one of {} is required", all.join(", "))
        }
        (Rule::After { other }, Some(option)) => {
            format!("{option} ({field}) must be after {}", named(other))
        }
        (rule, Some(option)) => format!("{option} ({field}) {rule}"),
        (_, None) => violation.to_string(),
    };
    Problem {
        record: record.map(|record| RecordDoc {
            kind: record.kind.to_string(),
            index: record.index,
            label: record.label.clone(),
        }),
        field: field.to_owned(),
        option,
        rule: violation.rule.code(),
        message,
    }
}

/// The sentences of `problems`, joined for one line.
pub(crate) fn joined(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::message)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use facade::transport::TimeoutPhase;

    use super::*;

    fn namer(_: Option<&Record>, field: &str) -> Option<&'static str> {
        match field {
            "Start" => Some("--start"),
            "End" => Some("--end"),
            "City" => Some("--city"),
            "State" => Some("--state"),
            _ => None,
        }
    }

    #[test]
    fn violations_name_the_option_the_field_and_the_rule() {
        let record = Record::at("operation", 0).labelled("Thing");
        let violations = Violations::from_vec(vec![
            Violation::new(
                record.clone(),
                "End",
                Rule::After {
                    other: "Start".into(),
                },
            ),
            Violation::new(
                record.clone(),
                "City",
                Rule::AtLeastOneOf(vec!["City".into(), "State".into(), "Zip".into()]),
            ),
            Violation::new(record, "Unnamed", Rule::Digits),
            Violation::of_request("Password", Rule::Required),
        ])
        .unwrap();
        let problems = describe(&violations, &namer);
        let messages: Vec<&str> = problems.iter().map(Problem::message).collect();
        assert_eq!(
            messages,
            [
                "--end (End) must be after --start",
                "one of --city, --state, `Zip` is required",
                "operation 0 (Thing): field `Unnamed` must be digits only (0-9)",
                "field `Password` is required and must not be blank",
            ]
        );
        let json = serde_json::to_value(&problems).unwrap();
        assert_eq!(
            json[0],
            serde_json::json!({
                "record": {"kind": "operation", "index": 0, "label": "Thing"},
                "field": "End",
                "option": "--end",
                "rule": "after",
                "message": "--end (End) must be after --start",
            })
        );
        assert_eq!(json[3]["record"], serde_json::Value::Null);
        assert_eq!(json[3]["rule"], "required");
        assert_eq!(
            joined(&problems[..2]),
            "--end (End) must be after --start; one of --city, --state, `Zip` is required"
        );
    }

    #[test]
    fn call_errors_map_by_what_is_known_about_the_request() {
        use facade::transport::TransportError;
        let not_sent =
            facade::Error::from(TransportError::not_sent("connection refused").with_attempts(3));
        let cases = [
            (not_sent, Exit::NotSent, "not_sent"),
            (
                facade::Error::from(TransportError::invalid_request("plain http")),
                Exit::Invalid,
                "not_sendable",
            ),
            (
                facade::Error::Timeout {
                    phase: TimeoutPhase::Connect,
                    after: Duration::from_secs(1),
                    may_have_executed: false,
                },
                Exit::NotSent,
                "connect_timeout",
            ),
            (
                facade::Error::Timeout {
                    phase: TimeoutPhase::Total,
                    after: Duration::from_secs(1),
                    may_have_executed: true,
                },
                Exit::OutcomeUnknown,
                "timeout",
            ),
            (
                facade::Error::Timeout {
                    phase: TimeoutPhase::Total,
                    after: Duration::from_secs(1),
                    may_have_executed: false,
                },
                Exit::NotSent,
                "timeout",
            ),
            (
                facade::Error::from(TransportError::maybe_received("closed")),
                Exit::OutcomeUnknown,
                "outcome_unknown",
            ),
            (
                facade::Error::HttpStatus {
                    status: 502,
                    service: None,
                    body_excerpt: String::new(),
                    may_have_executed: true,
                },
                Exit::OutcomeUnknown,
                "http_status",
            ),
            (
                facade::Error::HttpStatus {
                    status: 404,
                    service: None,
                    body_excerpt: String::new(),
                    may_have_executed: false,
                },
                Exit::Failed,
                "http_status",
            ),
            (
                facade::Error::Unreadable {
                    detail: "not XML".into(),
                    may_have_executed: false,
                    source: None,
                },
                Exit::Failed,
                "unreadable",
            ),
            (
                facade::Error::InvalidInput(Violations::one(Violation::of_request(
                    "Password",
                    Rule::Required,
                ))),
                Exit::Invalid,
                "invalid_input",
            ),
        ];
        let unsupported = facade::Error::Unsupported(facade::Unsupported::new(
            facade::Service::SecurityTrax,
            facade::neutral::Operation::ListNotes,
        ));
        assert_eq!(exit_of(&unsupported), Exit::Failed);
        assert_eq!(kind_of(&unsupported), "unsupported");
        for (error, exit, kind) in cases {
            assert_eq!(exit_of(&error), exit, "{error}");
            assert_eq!(kind_of(&error), kind, "{error}");
            assert_eq!(retry_safe(&error), exit == Exit::NotSent, "{error}");
        }
    }

    #[test]
    fn the_chain_shows_the_transport_detail_once() {
        use facade::transport::TransportError;
        let error =
            facade::Error::from(TransportError::not_sent("connection refused").with_attempts(3));
        assert_eq!(
            chain(&error),
            "request not sent (after 3 attempts); it is safe to send it again: connection refused"
        );
    }

    /// An error whose message already holds its source's detail, as a
    /// service decoder's `unreadable answer: <detail>` below the facade's
    /// `the service's answer cannot be used: <detail>`.
    #[derive(Debug)]
    struct Labelled {
        text: &'static str,
        source: Option<Box<Labelled>>,
    }

    impl std::fmt::Display for Labelled {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.text)
        }
    }

    impl std::error::Error for Labelled {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.source.as_deref().map(|cause| cause as _)
        }
    }

    #[test]
    fn the_chain_leaves_out_a_level_that_only_repeats_its_detail() {
        let error = Labelled {
            text: "the service's answer cannot be used: the answer holds another customer",
            source: Some(Box::new(Labelled {
                text: "unreadable answer: the answer holds another customer",
                source: Some(Box::new(Labelled {
                    text: "expected customer 7, got 8",
                    source: None,
                })),
            })),
        };
        assert_eq!(
            chain(&error),
            "the service's answer cannot be used: the answer holds another customer: \
             expected customer 7, got 8"
        );
        let empty_detail = Labelled {
            text: "the answer cannot be used",
            source: Some(Box::new(Labelled {
                text: "closed: ",
                source: None,
            })),
        };
        assert_eq!(
            chain(&empty_detail),
            "the answer cannot be used: closed: ",
            "a level whose detail is empty says something new"
        );
    }
}
