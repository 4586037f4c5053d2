//! The fixture documents of one action, in XML and in JSON, built from one small
//! tree so both formats say the same thing.

use super::spec::{Action, Rule, Spec};

/// Every fixture file of an action, in the order the tests list them.
pub(super) const FILES: &[&str] = &[
    "request.xml",
    "request.json",
    "request_quirks.xml",
    "request_quirks.json",
    "response_success.xml",
    "response_success.json",
    "response_warning.xml",
    "response_warning.json",
    "response_error.xml",
    "response_error.json",
    "response_quirks.xml",
    "response_quirks.json",
];

/// The made-up time every fixture answer carries.
const CURRENT_TIME: &str = "2026-11-30 10:00:00";

/// A document tree: text, a map with ordered keys, a list (an array in JSON, the
/// key repeated in XML), or a raw JSON value (a number) that XML writes as text.
#[derive(Debug, Clone)]
pub(super) enum Doc {
    Text(String),
    Map(Vec<(String, Doc)>),
    List(Vec<Doc>),
    Raw(String),
}

fn text(value: &str) -> Doc {
    Doc::Text(value.to_owned())
}

fn map(entries: Vec<(&str, Doc)>) -> Doc {
    Doc::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn escape_xml(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_xml(out: &mut String, name: &str, doc: &Doc, depth: usize) {
    let pad = "  ".repeat(depth);
    match doc {
        Doc::Text(value) | Doc::Raw(value) => {
            out.push_str(&format!("{pad}<{name}>{}</{name}>\n", escape_xml(value)));
        }
        Doc::List(items) => {
            for item in items {
                write_xml(out, name, item, depth);
            }
        }
        Doc::Map(entries) if entries.is_empty() => out.push_str(&format!("{pad}<{name}/>\n")),
        Doc::Map(entries) => {
            out.push_str(&format!("{pad}<{name}>\n"));
            for (key, value) in entries {
                write_xml(out, key, value, depth + 1);
            }
            out.push_str(&format!("{pad}</{name}>\n"));
        }
    }
}

pub(super) fn xml_document(root: &str, doc: &Doc) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_xml(&mut out, root, doc, 0);
    out
}

fn write_json(out: &mut String, doc: &Doc, depth: usize) {
    let pad = "  ".repeat(depth + 1);
    let end = "  ".repeat(depth);
    match doc {
        Doc::Text(value) => out.push_str(&serde_json::to_string(value).expect("a string")),
        Doc::Raw(value) => out.push_str(value),
        Doc::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                write_json(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&end);
            out.push(']');
        }
        Doc::Map(entries) => {
            out.push_str("{\n");
            for (i, (key, value)) in entries.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(key).expect("a string"));
                out.push_str(": ");
                write_json(out, value, depth + 1);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&end);
            out.push('}');
        }
    }
}

pub(super) fn json_document(doc: &Doc) -> String {
    let mut out = String::new();
    write_json(&mut out, doc, 0);
    out.push('\n');
    out
}

/// The example log of `action`: every field its log has, with the spec's example.
fn example_log(spec: &Spec, update: bool) -> Vec<(&str, Doc)> {
    spec.log_field
        .iter()
        .filter(|field| {
            let rule = if update { &field.update } else { &field.add };
            Rule::parse(rule).is_ok_and(|rule| rule != Rule::None)
        })
        .map(|field| (field.wire.as_str(), text(&field.example)))
        .collect()
}

fn example(spec: &Spec, wire: &str) -> String {
    spec.log_field
        .iter()
        .find(|field| field.wire == wire)
        .map(|field| field.example.clone())
        .unwrap_or_default()
}

/// The request body of `action` (the root's content).
pub(super) fn request(spec: &Spec, action: &Action, quirks: bool) -> Doc {
    match action.response.as_str() {
        "customers" => {
            let username = text(&example(spec, "Username"));
            let selector = text("CustomerLog");
            if quirks {
                // One value where a list is allowed; the selector before the filter value.
                map(vec![(
                    "Filter",
                    map(vec![("OutputSelector", selector), ("Username", username)]),
                )])
            } else {
                map(vec![(
                    "Filter",
                    map(vec![
                        ("Username", Doc::List(vec![username])),
                        ("OutputSelector", Doc::List(vec![selector])),
                    ]),
                )])
            }
        }
        _ => {
            let update = action.response == "messages";
            let full = example_log(spec, update);
            if quirks {
                // One log as a single object, its fields in another order, a number
                // where text is documented, and a field nobody documents.
                let mut log: Vec<(&str, Doc)> = full.into_iter().rev().collect();
                for entry in &mut log {
                    if entry.0 == "LogID" {
                        entry.1 = Doc::Raw(example(spec, "LogID"));
                    }
                }
                log.push(("UndocumentedField", text("ignored")));
                map(vec![("CustomerLogs", map(vec![("CustomerLog", map(log))]))])
            } else {
                let second = if update {
                    vec![("LogID", text("4712")), ("Status", text("Completed"))]
                } else {
                    vec![
                        ("Username", text(&example(spec, "Username"))),
                        ("Notes", text("Second call: left a message")),
                    ]
                };
                map(vec![(
                    "CustomerLogs",
                    map(vec![(
                        "CustomerLog",
                        Doc::List(vec![map(full), map(second)]),
                    )]),
                )])
            }
        }
    }
}

/// The result part of a success answer of `action`.
fn result(spec: &Spec, action: &Action, quirks: bool) -> Vec<(&'static str, Doc)> {
    match action.response.as_str() {
        "log-ids" if quirks => vec![("CustomerLog", map(vec![("LogID", Doc::Raw("4711".into()))]))],
        "log-ids" => vec![(
            "CustomerLog",
            Doc::List(vec![
                map(vec![("LogID", text("4711"))]),
                map(vec![("LogID", text("4712"))]),
            ]),
        )],
        "customers" => {
            let read: Vec<(&str, Doc)> = spec
                .log_field
                .iter()
                .filter(|field| field.read)
                .map(|field| (field.wire.as_str(), text(&field.example)))
                .collect();
            if quirks {
                // One customer and one log as single objects, a number for LogID, no
                // follow-up date, fields reordered, an unknown element.
                let mut log: Vec<(&str, Doc)> = read
                    .into_iter()
                    .rev()
                    .map(|(k, v)| match k {
                        "LogID" => (k, Doc::Raw(example(spec, "LogID"))),
                        "DateRequiredFollowUp" => (k, text("0000-00-00 00:00:00")),
                        _ => (k, v),
                    })
                    .collect();
                log.push(("Undocumented", map(vec![("Nested", text("x"))])));
                vec![(
                    "Customer",
                    map(vec![
                        ("CustomerLogs", map(vec![("CustomerLog", map(log))])),
                        ("Username", text(&example(spec, "Username"))),
                    ]),
                )]
            } else {
                vec![(
                    "Customer",
                    Doc::List(vec![map(vec![
                        ("Username", text(&example(spec, "Username"))),
                        (
                            "CustomerLogs",
                            map(vec![("CustomerLog", Doc::List(vec![map(read)]))]),
                        ),
                    ])]),
                )]
            }
        }
        _ => Vec::new(),
    }
}

fn warning(message: &str) -> Doc {
    map(vec![
        ("Message", text(message)),
        ("SeverityCode", text("Warning")),
    ])
}

fn error(message: &str, description: &str) -> Doc {
    map(vec![
        ("Message", text(message)),
        ("SeverityCode", text("Error")),
        ("Description", text(description)),
    ])
}

/// An answer of `action`: `case` is `success`, `warning`, `error` or `quirks`.
pub(super) fn response(spec: &Spec, action: &Action, case: &str) -> Doc {
    let mut entries: Vec<(&str, Doc)> = Vec::new();
    match case {
        "success" => {
            entries.extend(result(spec, action, false));
            entries.push(("CurrentTime", text(CURRENT_TIME)));
            entries.push(("Ack", text("Success")));
        }
        "warning" => {
            entries.extend(result(spec, action, false));
            entries.push((
                "Messages",
                map(vec![(
                    "Warning",
                    Doc::List(vec![
                        warning("Field AllocatedTo was truncated"),
                        warning("Status was left unchanged"),
                    ]),
                )]),
            ));
            entries.push(("CurrentTime", text(CURRENT_TIME)));
            entries.push(("Ack", text("Warning")));
        }
        "error" => {
            entries.push((
                "Messages",
                map(vec![(
                    "Error",
                    Doc::List(vec![
                        error("Invalid LogID", "The log 4711 does not exist"),
                        error(
                            "Invalid Status",
                            "Status must be Require Recontact, Recontacting or Completed",
                        ),
                    ]),
                )]),
            ));
            entries.push(("CurrentTime", text(CURRENT_TIME)));
            entries.push(("Ack", text("Error")));
        }
        _ => {
            // Ack first, one warning as a single object, unknown top-level element.
            entries.push(("Ack", text("Warning")));
            entries.push(("CurrentTime", text(CURRENT_TIME)));
            entries.push((
                "Messages",
                map(vec![("Warning", warning("One warning, not a list"))]),
            ));
            entries.extend(result(spec, action, true));
            entries.push(("ServerNote", map(vec![("Build", Doc::Raw("42".into()))])));
        }
    }
    map(entries)
}

/// XML quirks on top of a written document: no declaration, a comment, an entity
/// reference and CDATA where text is.
fn xml_quirks(document: &str) -> String {
    let body = document
        .split_once("?>\n")
        .map_or(document, |(_, rest)| rest);
    let with_comment = body.replacen('\n', "\n  <!-- a comment the server left -->\n", 1);
    with_comment
        .replace("<CurrentTime>", "<CurrentTime><![CDATA[")
        .replace("</CurrentTime>", "]]></CurrentTime>")
        .replace("Phone call", "Phone&#32;call")
}

/// Every fixture file of `action` as (file name, contents).
pub(super) fn fixtures(spec: &Spec, action: &Action) -> Vec<(String, String, bool)> {
    let mut files = Vec::new();
    for file in FILES {
        let (stem, extension) = file.split_once('.').expect("a file name with an extension");
        let doc = match stem {
            "request" => request(spec, action, false),
            "request_quirks" => request(spec, action, true),
            other => response(spec, action, other.trim_start_matches("response_")),
        };
        let quirks = stem.ends_with("quirks");
        let contents = match extension {
            "xml" if quirks => xml_quirks(&xml_document(&action.name, &doc)),
            "xml" => xml_document(&action.name, &doc),
            _ => json_document(&doc),
        };
        files.push(((*file).to_owned(), contents, extension == "json"));
    }
    files
}
