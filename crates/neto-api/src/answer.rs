//! What every answer carries: `Ack`, `CurrentTime` and `Messages`.

use std::fmt;

use wire_core::Redactor;

use crate::datetime::NetoDateTime;
use crate::document::Node;
use crate::generated::ActionName;

/// The answer's `Ack`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ack {
    /// Done.
    Success,
    /// Done, with warnings (not a failure).
    Warning,
    /// Not done: the `Messages.Error` entries say why.
    Error,
}

impl Ack {
    /// As written on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::Warning => "Warning",
            Self::Error => "Error",
        }
    }

    /// The `Ack` written `value` (any case).
    #[must_use]
    pub fn from_wire(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "success" => Some(Self::Success),
            "warning" => Some(Self::Warning),
            "error" | "failure" => Some(Self::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Ack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `Messages.Error` or `Messages.Warning`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Message {
    /// `Message`.
    pub message: String,
    /// `SeverityCode`.
    pub severity_code: Option<String>,
    /// `Description` (errors only).
    pub description: Option<String>,
}

impl Message {
    /// A message with no severity code or description.
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }

    /// This message with `severity_code`.
    #[must_use]
    pub fn severity(mut self, code: impl Into<String>) -> Self {
        self.severity_code = Some(code.into());
        self
    }

    /// This message with `description`.
    #[must_use]
    pub fn described(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(crate) fn from_node(node: &Node, redactor: &Redactor) -> Self {
        let text = |key: &str| node.text(key).map(|t| redactor.redact(t).into_owned());
        Self {
            message: match node {
                Node::Text(text) => redactor.redact(text).into_owned(),
                _ => text("Message").unwrap_or_default(),
            },
            severity_code: text("SeverityCode"),
            description: text("Description"),
        }
    }

    pub(crate) fn to_node(&self) -> Node {
        let mut node = Node::map().with("Message", Node::text_value(&self.message));
        node.push_text("SeverityCode", self.severity_code.as_deref());
        node.push_text("Description", self.description.as_deref());
        node
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(description) = self.description.as_deref().filter(|d| !d.is_empty()) {
            write!(f, " ({description})")?;
        }
        Ok(())
    }
}

/// A successful (or warned) answer: the action's output with its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer<T> {
    /// `Success` or `Warning`.
    pub ack: Ack,
    /// The action's result.
    pub output: T,
    /// `Messages.Warning`, each redacted.
    pub warnings: Vec<Message>,
    /// `CurrentTime`, the service's clock (UTC), when sent.
    pub current_time: Option<NetoDateTime>,
}

/// `Ack=Error`: the service did not do it. Every message it sent, redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NetoFailure {
    /// The action refused.
    pub action: ActionName,
    /// `Messages.Error`, in order.
    pub errors: Vec<Message>,
    /// `Messages.Warning`, in order.
    pub warnings: Vec<Message>,
    /// `CurrentTime`, when sent.
    pub current_time: Option<NetoDateTime>,
}

impl NetoFailure {
    /// A refusal of `action` with `errors`.
    #[must_use]
    pub fn new(action: ActionName, errors: Vec<Message>) -> Self {
        Self {
            action,
            errors,
            warnings: Vec::new(),
            current_time: None,
        }
    }

    /// Every message, errors first, one line each.
    #[must_use]
    pub fn messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|m| format!("error: {m}"))
            .chain(self.warnings.iter().map(|m| format!("warning: {m}")))
            .collect()
    }
}

impl fmt::Display for NetoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Neto refused {}", self.action.as_str())?;
        let messages = self.messages();
        if !messages.is_empty() {
            write!(f, ": {}", messages.join("; "))?;
        }
        Ok(())
    }
}

impl std::error::Error for NetoFailure {}

/// The `Messages` of an answer document: (errors, warnings).
pub(crate) fn messages(document: &Node, redactor: &Redactor) -> (Vec<Message>, Vec<Message>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for messages in document.all("Messages") {
        errors.extend(
            messages
                .all("Error")
                .into_iter()
                .map(|m| Message::from_node(m, redactor)),
        );
        warnings.extend(
            messages
                .all("Warning")
                .into_iter()
                .map(|m| Message::from_node(m, redactor)),
        );
    }
    (errors, warnings)
}
