//! The client side: a typed action in, an `http::Request` out; an
//! `http::Response` in, the typed answer (or why not) out.

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response};
use wire_core::Redactor;
use wire_core::validation::Violations;

use crate::action::Action;
use crate::answer::{Ack, Answer, Envelope, NetoFailure};
use crate::credentials::{ACTION_HEADER, Credentials};
use crate::document::Node;
use crate::endpoint::Endpoint;
use crate::format::WireFormat;
use crate::generated::ActionName;
use crate::read;

/// The longest excerpt of an answer body kept in an error.
const EXCERPT_CHARS: usize = 200;

/// Encodes requests and decodes answers for one store, one set of
/// credentials and one wire format.
///
/// ```
/// use neto_api::{AddCustomerLog, Codec, Credentials, Endpoint, NewCustomerLog, WireFormat};
///
/// let codec = Codec::new(
///     Endpoint::for_store("www.example-store.com.au")?,
///     Credentials::api_key("api-user", "key-123"),
///     WireFormat::Json,
/// );
/// let add = AddCustomerLog::new(vec![NewCustomerLog {
///     username: Some("jo.citizen".into()),
///     ..NewCustomerLog::default()
/// }]);
/// let request = codec.encode(&add)?;
/// assert_eq!(request.headers()["NETOAPI_ACTION"], "AddCustomerLog");
/// assert_eq!(request.headers()["Accept"], "application/json");
///
/// let answer = http::Response::new(bytes::Bytes::from_static(
///     br#"{"CustomerLog": {"LogID": "12"}, "Ack": "Success", "CurrentTime": "2026-11-30 10:00:00"}"#,
/// ));
/// assert_eq!(codec.decode(&add, &answer)?.output.log_ids, [12]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Codec {
    endpoint: Endpoint,
    credentials: Credentials,
    format: WireFormat,
    redactor: Redactor,
}

/// Why a request could not be built. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The input breaks the rules: every broken rule, each naming its log's
    /// index and field.
    #[error("invalid input: {0}")]
    Invalid(Violations),
    /// A value the rules let through cannot be written.
    #[error("the request cannot be written: {0}")]
    NotWritable(String),
}

/// Why an answer gives no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// `Ack=Error`: the service refused; every message it sent.
    #[error("{0}")]
    Refused(NetoFailure),
    /// An HTTP error status (`429` when over the rate limit), with what the
    /// service said when it sent a Neto document.
    #[error("HTTP status {status}{}", failure.as_ref().map(|f| format!(": {f}")).unwrap_or_default())]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The Neto failure the body held, if it was one.
        failure: Option<NetoFailure>,
        /// The start of the body, printable and redacted.
        excerpt: String,
    },
    /// The answer is not a Neto answer (not XML or JSON, no `Ack`), or it
    /// contradicts the request.
    #[error("unreadable answer: {detail}")]
    Unreadable {
        /// What is wrong (names, never values).
        detail: String,
        /// The start of the body, printable and redacted.
        excerpt: String,
    },
}

impl Codec {
    /// A codec for the store at `endpoint`.
    #[must_use]
    pub fn new(endpoint: Endpoint, credentials: Credentials, format: WireFormat) -> Self {
        let redactor = credentials.redactor();
        Self {
            endpoint,
            credentials,
            format,
            redactor,
        }
    }

    /// The store's endpoint.
    #[must_use]
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The wire format.
    #[must_use]
    pub fn format(&self) -> WireFormat {
        self.format
    }

    /// This codec with another wire format.
    #[must_use]
    pub fn with_format(mut self, format: WireFormat) -> Self {
        self.format = format;
        self
    }

    /// Removes the credentials' secrets from service text.
    #[must_use]
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Checks every rule, then builds the request: `POST` to the endpoint with
    /// `NETOAPI_ACTION`, the credentials' headers, `Content-Type` and `Accept`
    /// of the wire format, and the action's [`wire_core::Resend`] tag.
    ///
    /// # Errors
    /// [`EncodeError::Invalid`] with every broken rule; nothing is built.
    pub fn encode<A: Action>(&self, action: &A) -> Result<Request<Bytes>, EncodeError> {
        let mut violations = self.credentials.violations();
        violations.extend(action.violations());
        Violations::check(violations).map_err(EncodeError::Invalid)?;
        let straight = match self.format {
            WireFormat::Json => action.request_json(),
            WireFormat::Xml => None,
        };
        let body = match straight {
            Some(body) => body,
            None => encode_document(self.format, A::NAME.as_str(), &action.to_document())?,
        };
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(self.endpoint.uri().clone())
            .header(ACTION_HEADER, A::NAME.as_str())
            .header(CONTENT_TYPE, self.format.content_type())
            .header(ACCEPT, self.format.content_type());
        for (name, value, secret) in self.credentials.headers() {
            let mut value = HeaderValue::from_str(value)
                .map_err(|_| EncodeError::NotWritable(format!("{name} is not a header value")))?;
            value.set_sensitive(secret);
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Bytes::from(body))
            .map_err(|error| EncodeError::NotWritable(error.to_string()))?;
        Ok(A::NAME.resend().tagged(request))
    }

    /// Decodes the answer to `action`. The format is the answer's
    /// `Content-Type`, else what its body looks like; every text the service
    /// sent in `Messages` passes the credentials' redaction.
    ///
    /// # Errors
    /// [`DecodeError::Refused`] for `Ack=Error`, [`DecodeError::HttpStatus`]
    /// for an error status, [`DecodeError::Unreadable`] for anything else.
    pub fn decode<A: Action, B: AsRef<[u8]>>(
        &self,
        action: &A,
        response: &Response<B>,
    ) -> Result<Answer<A::Output>, DecodeError> {
        decode_answer(action, response, self.format, &self.redactor)
    }
}

/// Writes `document` in `format` under `root` (XML) or as an object (JSON).
pub(crate) fn encode_document(
    format: WireFormat,
    root: &str,
    document: &Node,
) -> Result<Vec<u8>, EncodeError> {
    match format {
        WireFormat::Json => Ok(document.to_json()),
        WireFormat::Xml => document
            .to_xml(root)
            .map_err(|error| EncodeError::NotWritable(error.to_string())),
    }
}

/// Reads a body in the format its `Content-Type` names, else the one it looks
/// like, else `expected`.
pub(crate) fn read_document(
    content_type: Option<&HeaderValue>,
    body: &[u8],
    expected: WireFormat,
) -> Result<Node, String> {
    match format_of(content_type, body, expected) {
        WireFormat::Json => Node::from_json(body).map_err(|e| e.to_string()),
        WireFormat::Xml => Node::from_xml(body)
            .map(|(_, node)| node)
            .map_err(|e| e.to_string()),
    }
}

fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    wire_core::text::excerpt(body, EXCERPT_CHARS, redactor, &[])
}

/// The format a body is in: the one its `Content-Type` names, else the one
/// it looks like, else `expected`.
pub(crate) fn format_of(
    content_type: Option<&HeaderValue>,
    body: &[u8],
    expected: WireFormat,
) -> WireFormat {
    content_type
        .and_then(|v| v.to_str().ok())
        .and_then(WireFormat::from_media_type)
        .or_else(|| WireFormat::sniff(body))
        .unwrap_or(expected)
}

/// Reads an answer body straight into its envelope and the action's fields.
fn read_answer<A: Action>(
    content_type: Option<&HeaderValue>,
    body: &[u8],
    expected: WireFormat,
) -> Result<Envelope<A::Answer>, String> {
    match format_of(content_type, body, expected) {
        WireFormat::Json => read::from_json(body).map_err(|e| e.to_string()),
        WireFormat::Xml => read::from_xml(body)
            .map(|(_, envelope)| envelope)
            .map_err(|e| e.to_string()),
    }
}

/// The generic answer decoder behind [`Codec::decode`].
pub(crate) fn decode_answer<A: Action, B: AsRef<[u8]>>(
    action: &A,
    response: &Response<B>,
    expected: WireFormat,
    redactor: &Redactor,
) -> Result<Answer<A::Output>, DecodeError> {
    let body = response.body().as_ref();
    let status = response.status();
    let document = read_answer::<A>(response.headers().get(CONTENT_TYPE), body, expected);
    let failure_in = |mut document: Envelope<A::Answer>| {
        let (errors, warnings) = document.messages(redactor);
        NetoFailure {
            action: A::NAME,
            errors,
            warnings,
            current_time: document.current_time(),
        }
    };
    if !status.is_success() {
        let failure = document
            .ok()
            .filter(|d| d.ack == Some(Some(Ack::Error)))
            .map(failure_in);
        return Err(DecodeError::HttpStatus {
            status: status.as_u16(),
            failure,
            excerpt: excerpt(body, redactor),
        });
    }
    let unreadable = |detail: String| DecodeError::Unreadable {
        detail,
        excerpt: excerpt(body, redactor),
    };
    let mut document = document.map_err(unreadable)?;
    let ack = match document.ack {
        Some(Some(ack)) => ack,
        Some(None) => {
            return Err(unreadable(
                "`Ack` is not Success, Warning or Error".to_owned(),
            ));
        }
        None => return Err(unreadable("the answer has no `Ack`".to_owned())),
    };
    if ack == Ack::Error {
        return Err(DecodeError::Refused(failure_in(document)));
    }
    let (_, warnings) = document.messages(redactor);
    let current_time = document.current_time();
    let output = action
        .output_from_answer(document.output)
        .map_err(unreadable)?;
    Ok(Answer {
        ack,
        output,
        warnings,
        current_time,
    })
}

/// The action a request names in `NETOAPI_ACTION`, if this crate speaks it.
#[must_use]
pub fn action_of<B>(request: &Request<B>) -> Option<ActionName> {
    request
        .headers()
        .get(ACTION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(ActionName::from_wire)
}
