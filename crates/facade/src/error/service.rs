//! What a service itself said when it refused something: one part per
//! service, behind one type, so a new service adds a variant here and no new
//! [`Error`](super::Error) variant.

use std::fmt;

use strax_xml_protocol::{DataText, RequestType};

/// The services crmwire talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// The SecurityTrax legacy XML API.
    SecurityTrax,
    /// The Peoplevine customer-notes REST API.
    Peoplevine,
    /// The Neto by Maropost API.
    Neto,
}

impl Service {
    /// A short, stable name for machine-readable output.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SecurityTrax => "securitytrax",
            Self::Peoplevine => "peoplevine",
            Self::Neto => "neto",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SecurityTrax => "SecurityTrax",
            Self::Peoplevine => "Peoplevine",
            Self::Neto => "Neto",
        })
    }
}

/// What a service said about a request it refused, in that service's terms.
///
/// Every text in it has passed the caller's redaction (the caller's secrets
/// removed) but is otherwise exactly as the service sent it: escape it
/// before printing to a terminal (`wire_core::text::escape_for_terminal`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceError {
    /// SecurityTrax's texts from a `success="false"` answer or a failed
    /// authentication.
    SecurityTrax(StraxFailure),
    /// Peoplevine's error answer: status, `error`, `error_description`,
    /// `error_details` (for `422`) and `Retry-After` (for `429`).
    Peoplevine(Box<notes_rest::ServiceError>),
    /// Neto's `Ack=Error` messages (every one, redacted).
    Neto(neto_api::NetoFailure),
}

impl ServiceError {
    /// Which service said it.
    #[must_use]
    pub fn service(&self) -> Service {
        match self {
            Self::SecurityTrax(_) => Service::SecurityTrax,
            Self::Peoplevine(_) => Service::Peoplevine,
            Self::Neto(_) => Service::Neto,
        }
    }

    /// What was refused, for messages: the operation's name where the
    /// service has several in one request, else "the request".
    #[must_use]
    pub fn subject(&self) -> String {
        match self {
            Self::SecurityTrax(StraxFailure {
                request_type: Some(request_type),
                ..
            }) => request_type.wire_name().to_owned(),
            Self::SecurityTrax(_) | Self::Peoplevine(_) => "the request".to_owned(),
            Self::Neto(failure) => failure.action.as_str().to_owned(),
        }
    }

    /// The service's messages, one line each, in the order it sent them.
    #[must_use]
    pub fn messages(&self) -> Vec<String> {
        match self {
            Self::SecurityTrax(failure) => failure
                .texts
                .iter()
                .map(|text| format!("{}: {}", text.element, text.text))
                .collect(),
            Self::Peoplevine(error) => peoplevine_messages(error),
            Self::Neto(failure) => failure.messages(),
        }
    }
}

/// A SecurityTrax refusal: the operation it concerns (none for a failed
/// authentication) and every text of the answer's `<data>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StraxFailure {
    /// The refused operation's request type; `None` for the authentication.
    pub request_type: Option<RequestType>,
    /// The texts of `<data>`, element by element.
    pub texts: Vec<DataText>,
}

impl StraxFailure {
    /// A refusal of `request_type` (or of the authentication) with `texts`.
    #[must_use]
    pub fn new(request_type: Option<RequestType>, texts: Vec<DataText>) -> Self {
        Self {
            request_type,
            texts,
        }
    }
}

/// Peoplevine's error answer as lines: `error: description`, the details,
/// the body's start when it was not the error shape.
fn peoplevine_messages(error: &notes_rest::ServiceError) -> Vec<String> {
    let mut lines = Vec::new();
    match (&error.error, &error.description) {
        (Some(code), Some(description)) => lines.push(format!("{code}: {description}")),
        (Some(text), None) | (None, Some(text)) => lines.push(text.clone()),
        (None, None) => {}
    }
    if let Some(details) = &error.details {
        lines.push(format!("error_details: {details}"));
    }
    if let Some(excerpt) = &error.excerpt {
        lines.push(format!("body: {excerpt}"));
    }
    lines
}
