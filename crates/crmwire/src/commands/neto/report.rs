//! What a Neto command prints: the answer (with its warnings), or the request
//! of a dry run. Text escapes service values; `--json` stays exact.

use std::fmt::Write as _;

use bytes::Bytes;
use facade::neto::{AddedLogs, Answer, CustomerLog, Customers, Message};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::output::{Report, safe};

/// A report: its JSON document and its text.
pub(crate) struct Reported {
    json: Value,
    text: String,
}

impl Serialize for Reported {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl Report for Reported {
    fn human(&self) -> String {
        self.text.clone()
    }
}

fn messages(messages: &[Message]) -> Value {
    messages
        .iter()
        .map(|m| json!({"message": m.message, "severity_code": m.severity_code, "description": m.description}))
        .collect()
}

fn warning_lines(text: &mut String, warnings: &[Message]) {
    for warning in warnings {
        let _ = write!(text, "\nwarning: {}", safe(&warning.to_string()));
    }
}

fn date(value: Option<facade::neto::NetoDateTime>) -> Value {
    value.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn log_json(log: &CustomerLog) -> Value {
    json!({
        "log_id": log.log_id,
        "customer": log.customer,
        "allocated_to": log.allocated_to,
        "status": log.status.as_ref().map(|s| s.wire_name().to_owned()),
        "date_required_follow_up": date(log.date_required_follow_up),
        "last_contacted": date(log.last_contacted),
        "notes": log.notes,
    })
}

impl Reported {
    /// An `AddCustomerLog` answer.
    pub(crate) fn added(
        answer: Result<Answer<AddedLogs>, facade::Error>,
    ) -> Result<Self, facade::Error> {
        let answer = answer?;
        let ids: Vec<String> = answer.output.log_ids.iter().map(u64::to_string).collect();
        let mut text = format!("Added customer log {}", ids.join(", "));
        warning_lines(&mut text, &answer.warnings);
        Ok(Self {
            json: json!({"result": "ok", "action": "AddCustomerLog", "ack": answer.ack.as_str(),
                "log_ids": answer.output.log_ids, "warnings": messages(&answer.warnings)}),
            text,
        })
    }

    /// An `UpdateCustomerLog` answer.
    pub(crate) fn updated(
        log_id: &str,
        answer: Result<Answer<()>, facade::Error>,
    ) -> Result<Self, facade::Error> {
        let answer = answer?;
        let mut text = format!("Updated customer log {}", safe(log_id));
        warning_lines(&mut text, &answer.warnings);
        Ok(Self {
            json: json!({"result": "ok", "action": "UpdateCustomerLog", "ack": answer.ack.as_str(),
                "log_id": log_id, "warnings": messages(&answer.warnings)}),
            text,
        })
    }

    /// A `GetCustomer` answer: the customer's logs.
    pub(crate) fn listed(
        username: &str,
        answer: Result<Answer<Customers>, facade::Error>,
    ) -> Result<Self, facade::Error> {
        let answer = answer?;
        let logs: Vec<&CustomerLog> = answer
            .output
            .customers
            .iter()
            .flat_map(|c| &c.logs)
            .collect();
        let mut text = if answer.output.customers.is_empty() {
            format!("No customer {}", safe(username))
        } else {
            format!("Customer {}: {} log(s)", safe(username), logs.len())
        };
        for log in &logs {
            let _ = write!(
                text,
                "\n  {}  {}  follow up {}  {}  {}",
                log.log_id
                    .map_or_else(|| "-".to_owned(), |id| id.to_string()),
                safe(log.status.as_ref().map_or("-", |s| s.wire_name())),
                log.date_required_follow_up
                    .map_or_else(|| "-".to_owned(), |d| d.to_string()),
                safe(log.allocated_to.as_deref().unwrap_or("-")),
                safe(log.notes.as_deref().unwrap_or("")),
            );
        }
        warning_lines(&mut text, &answer.warnings);
        Ok(Self {
            json: json!({"result": "ok", "action": "GetCustomer", "ack": answer.ack.as_str(),
                "customer": username, "found": !answer.output.customers.is_empty(),
                "logs": logs.iter().map(|l| log_json(l)).collect::<Vec<_>>(),
                "warnings": messages(&answer.warnings)}),
            text,
        })
    }
}

/// The exact request of a dry run (secret headers already masked).
#[derive(Serialize)]
pub(crate) struct DryRun {
    result: &'static str,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl DryRun {
    pub(crate) fn new(request: &http::Request<Bytes>) -> Self {
        Self {
            result: "dry_run",
            method: request.method().to_string(),
            url: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(request.body()).into_owned(),
        }
    }
}

impl Report for DryRun {
    fn human(&self) -> String {
        let mut text = format!("{} {}", self.method, safe(&self.url));
        for (name, value) in &self.headers {
            let _ = write!(text, "\n{name}: {}", safe(value));
        }
        let _ = write!(text, "\n\n{}", safe(&self.body));
        text
    }
}
