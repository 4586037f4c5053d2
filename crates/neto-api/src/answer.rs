//! What every answer carries: `Ack`, `CurrentTime` and `Messages`.

use std::borrow::Cow;
use std::fmt;

use wire_core::Redactor;

use crate::datetime::NetoDateTime;
use crate::document::Node;
use crate::generated::ActionName;
use crate::read::{self, Record, Value};

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

/// An answer document read straight into its parts: `Ack`, `CurrentTime`,
/// `Messages`, and the action's own fields (`O`). The first readable text of
/// `Ack` and `CurrentTime` counts, as with every field that repeats.
#[derive(Debug, Default)]
pub(crate) struct Envelope<O> {
    /// `Some` once an `Ack` text was read; inside, `None` when it is not one
    /// of the known values.
    pub(crate) ack: Option<Option<Ack>>,
    /// `Some` once a `CurrentTime` text was read; inside, `None` when it is
    /// not a date (or is the service's "no date").
    current_time: Option<Option<NetoDateTime>>,
    messages: Vec<WireMessages>,
    /// The action's fields.
    pub(crate) output: O,
}

impl<O: Record> Record for Envelope<O> {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "Ack" => read::first(&mut self.ack, value, |t| Ack::from_wire(&t)),
            "CurrentTime" => read::first(&mut self.current_time, value, |t| {
                NetoDateTime::parse(&t).ok().flatten()
            }),
            "Messages" => value.records(&mut self.messages),
            _ => self.output.field(key, value),
        }
    }
}

impl<O> Envelope<O> {
    /// `CurrentTime`, when it was sent and is a date.
    pub(crate) fn current_time(&self) -> Option<NetoDateTime> {
        self.current_time.flatten()
    }

    /// `Messages`: (errors, warnings), each redacted, in order.
    pub(crate) fn messages(&mut self, redactor: &Redactor) -> (Vec<Message>, Vec<Message>) {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for messages in std::mem::take(&mut self.messages) {
            errors.extend(messages.errors.into_iter().map(|m| m.redacted(redactor)));
            warnings.extend(messages.warnings.into_iter().map(|m| m.redacted(redactor)));
        }
        (errors, warnings)
    }
}

/// One `Messages` entry.
#[derive(Debug, Default)]
struct WireMessages {
    errors: Vec<WireMessage>,
    warnings: Vec<WireMessage>,
}

impl Record for WireMessages {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "Error" => value.records(&mut self.errors),
            "Warning" => value.records(&mut self.warnings),
            _ => value.skip(),
        }
    }
}

/// One `Messages.Error` or `Messages.Warning` as sent: a record, or a bare
/// text that is the message itself.
#[derive(Debug, Default)]
struct WireMessage {
    message: Option<String>,
    severity_code: Option<String>,
    description: Option<String>,
}

impl Record for WireMessage {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "Message" => read::first(&mut self.message, value, Cow::into_owned),
            "SeverityCode" => read::first(&mut self.severity_code, value, Cow::into_owned),
            "Description" => read::first(&mut self.description, value, Cow::into_owned),
            _ => value.skip(),
        }
    }

    fn from_text(text: Cow<'_, str>) -> Self {
        Self {
            message: Some(text.into_owned()),
            ..Self::default()
        }
    }
}

impl WireMessage {
    fn redacted(self, redactor: &Redactor) -> Message {
        let redact = |mut text: String| {
            redactor.redact_in_place(&mut text);
            text
        };
        Message {
            message: self.message.map(redact).unwrap_or_default(),
            severity_code: self.severity_code.map(redact),
            description: self.description.map(redact),
        }
    }
}
