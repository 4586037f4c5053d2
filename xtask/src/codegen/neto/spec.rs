//! The model of `fixtures/neto/actions.toml`, as read by serde, and its checks.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    pub(super) status: Vec<StatusValue>,
    pub(super) log_field: Vec<LogField>,
    pub(super) action: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusValue {
    pub(super) rust: String,
    pub(super) wire: String,
    pub(super) doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LogField {
    pub(super) wire: String,
    pub(super) add: String,
    pub(super) update: String,
    pub(super) read: bool,
    pub(super) example: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Action {
    pub(super) name: String,
    pub(super) rust: String,
    pub(super) fixture: String,
    pub(super) resend: String,
    pub(super) response: String,
    pub(super) doc: String,
}

/// A field's rule in one action's log, parsed from `add` / `update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    None,
    Text(Option<usize>),
    DateTime,
    Status,
    Digits(usize),
}

impl Rule {
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let number = |n: &str| {
            n.parse::<usize>()
                .map_err(|_| format!("`{text}`: `{n}` is not a number"))
        };
        match text.split_once(':') {
            None => match text {
                "none" => Ok(Self::None),
                "string" => Ok(Self::Text(None)),
                "date-time" => Ok(Self::DateTime),
                "status" => Ok(Self::Status),
                _ => Err(format!("unknown field rule `{text}`")),
            },
            Some(("string", n)) => Ok(Self::Text(Some(number(n)?))),
            Some(("digits", n)) => Ok(Self::Digits(number(n)?)),
            Some(_) => Err(format!("unknown field rule `{text}`")),
        }
    }
}

pub(super) const RESEND: &[&str] = &["Read", "IdempotentWrite", "NeverBlindly"];
pub(super) const RESPONSES: &[&str] = &["log-ids", "messages", "customers"];

/// Every rule the generator relies on; the message names the offending entry.
pub(super) fn check(spec: &Spec) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for field in &spec.log_field {
        if !seen.insert(field.wire.as_str()) {
            return Err(format!("log field `{}` is listed twice", field.wire));
        }
        for rule in [&field.add, &field.update] {
            Rule::parse(rule).map_err(|e| format!("log field `{}`: {e}", field.wire))?;
        }
        let status = [&field.add, &field.update]
            .iter()
            .any(|rule| Rule::parse(rule) == Ok(Rule::Status));
        if status && !spec.status.iter().any(|s| s.wire == field.example) {
            return Err(format!(
                "log field `{}`: example `{}` is not a status value",
                field.wire, field.example
            ));
        }
    }
    for action in &spec.action {
        if !RESEND.contains(&action.resend.as_str()) {
            return Err(format!(
                "action `{}`: resend `{}` must be one of {RESEND:?}",
                action.name, action.resend
            ));
        }
        if !RESPONSES.contains(&action.response.as_str()) {
            return Err(format!(
                "action `{}`: response `{}` must be one of {RESPONSES:?}",
                action.name, action.response
            ));
        }
    }
    if spec.status.is_empty() || spec.action.is_empty() {
        return Err("the spec needs status values and actions".to_owned());
    }
    Ok(())
}
