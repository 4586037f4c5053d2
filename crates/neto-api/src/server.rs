//! The server side, for simulators and tests: read a request in either
//! format, write an answer in the format the request asked for.
//!
//! ```
//! use neto_api::server::{Incoming, IncomingAction, Reply, decode_request, encode_reply};
//! use neto_api::{AddCustomerLog, AddedLogs, Codec, Credentials, Endpoint, NewCustomerLog, WireFormat};
//!
//! let codec = Codec::new(Endpoint::under("http://127.0.0.1:1/neto/demo")?, Credentials::api_key("u", "k"), WireFormat::Xml);
//! let add = AddCustomerLog::new(vec![NewCustomerLog { notes: Some("hi".into()), ..Default::default() }]);
//! let request = codec.encode(&add)?;
//!
//! let incoming: Incoming = decode_request(&request)?;
//! let IncomingAction::AddCustomerLog(received) = &incoming.action else { unreachable!() };
//! assert_eq!(received, &add);
//!
//! let reply = Reply::success(AddedLogs::new(vec![7]));
//! let response = http::Response::new(encode_reply::<AddCustomerLog>(incoming.answer_format, &reply, None)?);
//! assert_eq!(codec.decode(&add, &response)?.output.log_ids, [7]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, Request};
use secrecy::SecretString;
use wire_core::validation::{Violation, Violations};

use crate::action::{Action, AddCustomerLog, GetCustomer, LogsRequest, UpdateCustomerLog};
use crate::answer::{Ack, Message};
use crate::codec::{EncodeError, encode_document};
use crate::datetime::NetoDateTime;
use crate::document::Node;
use crate::format::WireFormat;
use crate::generated::ActionName;

/// A request the server read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Incoming {
    /// The action and its typed request.
    pub action: IncomingAction,
    /// Who sent it.
    pub auth: Auth,
    /// The format the answer must be in (`Accept: application/json` → JSON).
    pub answer_format: WireFormat,
    /// What breaks the action's rules (values that could not be read, then
    /// every rule the client would have checked); the server refuses these.
    pub violations: Option<Violations>,
}

/// A typed request, by action.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IncomingAction {
    /// `AddCustomerLog`.
    AddCustomerLog(AddCustomerLog),
    /// `UpdateCustomerLog`.
    UpdateCustomerLog(UpdateCustomerLog),
    /// `GetCustomer`.
    GetCustomer(GetCustomer),
}

impl IncomingAction {
    /// Its name.
    #[must_use]
    pub fn name(&self) -> ActionName {
        match self {
            Self::AddCustomerLog(_) => ActionName::AddCustomerLog,
            Self::UpdateCustomerLog(_) => ActionName::UpdateCustomerLog,
            Self::GetCustomer(_) => ActionName::GetCustomer,
        }
    }
}

/// The credentials a request carried. Keys are secrets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Auth {
    /// `NETOAPI_USERNAME` and `NETOAPI_KEY`.
    ApiKey {
        /// The API user.
        username: String,
        /// The key.
        key: SecretString,
    },
    /// `X_ACCESS_KEY` and `X_SECRET_KEY`.
    OAuth {
        /// The access key.
        access_key: SecretString,
        /// The secret key.
        secret_key: SecretString,
    },
    /// Neither pair complete.
    Missing,
}

/// Why a request could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No `NETOAPI_ACTION`, or one this crate does not speak.
    #[error("unknown or missing NETOAPI_ACTION{}", .0.as_ref().map(|a| format!(" `{a}`")).unwrap_or_default())]
    UnknownAction(Option<String>),
    /// The body is not a document in the format it claims or looks like.
    #[error("the request body cannot be read: {0}")]
    Unreadable(String),
}

/// The request headers read, as parsed names: a lookup by `&str` parses
/// (and lowercases) the name on every call.
const ACTION: HeaderName = HeaderName::from_static("netoapi_action");
const USERNAME: HeaderName = HeaderName::from_static("netoapi_username");
const KEY: HeaderName = HeaderName::from_static("netoapi_key");
const ACCESS_KEY: HeaderName = HeaderName::from_static("x_access_key");
const SECRET_KEY: HeaderName = HeaderName::from_static("x_secret_key");

fn header<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The format an answer to a request with these headers must be in.
#[must_use]
pub fn answer_format(headers: &HeaderMap) -> WireFormat {
    let json = headers.get_all(ACCEPT).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|part| WireFormat::from_media_type(part) == Some(WireFormat::Json))
        })
    });
    if json {
        WireFormat::Json
    } else {
        WireFormat::Xml
    }
}

/// Reads a request: its action, credentials, answer format and typed body,
/// with every rule it breaks.
///
/// # Errors
/// An unknown action or an unreadable body.
pub fn decode_request<B: AsRef<[u8]>>(request: &Request<B>) -> Result<Incoming, RequestError> {
    let headers = request.headers();
    let name = header(headers, &ACTION);
    let action = name
        .and_then(ActionName::from_wire)
        .ok_or_else(|| RequestError::UnknownAction(name.map(str::to_owned)))?;
    let auth = match (
        header(headers, &USERNAME),
        header(headers, &KEY),
        header(headers, &ACCESS_KEY),
        header(headers, &SECRET_KEY),
    ) {
        (Some(username), Some(key), _, _) => Auth::ApiKey {
            username: username.to_owned(),
            key: SecretString::from(key.to_owned()),
        },
        (_, _, Some(access), Some(secret)) => Auth::OAuth {
            access_key: SecretString::from(access.to_owned()),
            secret_key: SecretString::from(secret.to_owned()),
        },
        _ => Auth::Missing,
    };
    let body = request.body().as_ref();
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let straight = if blank {
        None
    } else {
        read_straight(action, headers.get(CONTENT_TYPE), body)
    };
    let (action, violations) = match straight {
        Some(read) => read,
        None => {
            let document = if blank {
                Node::map()
            } else {
                crate::codec::read_document(headers.get(CONTENT_TYPE), body, WireFormat::Xml)
                    .map_err(RequestError::Unreadable)?
            };
            match action {
                ActionName::AddCustomerLog => typed(&document, IncomingAction::AddCustomerLog),
                ActionName::UpdateCustomerLog => {
                    typed(&document, IncomingAction::UpdateCustomerLog)
                }
                ActionName::GetCustomer => typed(&document, IncomingAction::GetCustomer),
            }
        }
    };
    Ok(Incoming {
        action,
        auth,
        answer_format: answer_format(headers),
        violations: Violations::from_vec(violations),
    })
}

fn typed<A: Action>(
    document: &Node,
    wrap: fn(A) -> IncomingAction,
) -> (IncomingAction, Vec<Violation>) {
    judged(A::from_document(document), wrap)
}

/// The request with the values that could not be read, then every rule it
/// breaks.
fn judged<A: Action>(
    (action, mut violations): (A, Vec<Violation>),
    wrap: fn(A) -> IncomingAction,
) -> (IncomingAction, Vec<Violation>) {
    violations.extend(action.violations());
    violations.dedup();
    (wrap(action), violations)
}

/// A JSON body of logs read straight into its action, without the `Node`
/// tree: the same request and violations as [`typed`] reads from the tree
/// (a test holds the two paths to that). `None` for anything else, and for
/// a body the straight reading refuses: the tree path then reads it again
/// and reports the problem in its own words.
fn read_straight(
    action: ActionName,
    content_type: Option<&http::HeaderValue>,
    body: &[u8],
) -> Option<(IncomingAction, Vec<Violation>)> {
    if crate::codec::format_of(content_type, body, WireFormat::Xml) != WireFormat::Json {
        return None;
    }
    let logs = || crate::read::from_json_exact::<LogsRequest>(body).ok();
    match action {
        ActionName::AddCustomerLog => Some(judged(
            AddCustomerLog::from_request(logs()?),
            IncomingAction::AddCustomerLog,
        )),
        ActionName::UpdateCustomerLog => Some(judged(
            UpdateCustomerLog::from_request(logs()?),
            IncomingAction::UpdateCustomerLog,
        )),
        ActionName::GetCustomer => None,
    }
}

/// An answer to write: `Ack`, messages, and the output when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reply<T> {
    /// The `Ack`.
    pub ack: Ack,
    /// The result (`None` with `Ack=Error`).
    pub output: Option<T>,
    /// `Messages.Error`.
    pub errors: Vec<Message>,
    /// `Messages.Warning`.
    pub warnings: Vec<Message>,
}

impl<T> Reply<T> {
    /// `Ack=Success` with `output`.
    #[must_use]
    pub fn success(output: T) -> Self {
        Self {
            ack: Ack::Success,
            output: Some(output),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// `Ack=Warning` with `output` and `warnings`.
    #[must_use]
    pub fn warning(output: T, warnings: Vec<Message>) -> Self {
        Self {
            ack: Ack::Warning,
            output: Some(output),
            errors: Vec::new(),
            warnings,
        }
    }

    /// `Ack=Error` with `errors`.
    #[must_use]
    pub fn error(errors: Vec<Message>) -> Self {
        Self {
            ack: Ack::Error,
            output: None,
            errors,
            warnings: Vec::new(),
        }
    }
}

/// Writes an answer to `A` in `format`: the output, then `Messages`,
/// `CurrentTime` (when given) and `Ack`, under the root `<A::NAME>` in XML.
///
/// # Errors
/// A character XML 1.0 forbids in a value.
pub fn encode_reply<A: Action>(
    format: WireFormat,
    reply: &Reply<A::Output>,
    current_time: Option<NetoDateTime>,
) -> Result<Bytes, EncodeError> {
    let mut document = match &reply.output {
        Some(output) => A::output_to_document(output),
        None => Node::map(),
    };
    finish_answer(
        &mut document,
        reply.ack,
        &reply.errors,
        &reply.warnings,
        current_time,
    );
    encode_document(format, A::NAME.as_str(), &document).map(Bytes::from)
}

/// Writes an `Ack=Error` answer for a request whose action is `action` (or
/// unknown: the root is then `<Error>`).
///
/// # Errors
/// A character XML 1.0 forbids in a message.
pub fn encode_error(
    format: WireFormat,
    action: Option<ActionName>,
    errors: &[Message],
    current_time: Option<NetoDateTime>,
) -> Result<Bytes, EncodeError> {
    let mut document = Node::map();
    finish_answer(&mut document, Ack::Error, errors, &[], current_time);
    let root = action.map_or("Error", ActionName::as_str);
    encode_document(format, root, &document).map(Bytes::from)
}

fn finish_answer(
    document: &mut Node,
    ack: Ack,
    errors: &[Message],
    warnings: &[Message],
    current_time: Option<NetoDateTime>,
) {
    if !errors.is_empty() || !warnings.is_empty() {
        let mut messages = Node::map();
        if !errors.is_empty() {
            messages.push(
                "Error",
                Node::List(errors.iter().map(Message::to_node).collect()),
            );
        }
        if !warnings.is_empty() {
            messages.push(
                "Warning",
                Node::List(warnings.iter().map(Message::to_node).collect()),
            );
        }
        document.push("Messages", messages);
    }
    if let Some(time) = current_time {
        document.push("CurrentTime", Node::text_value(time.to_string()));
    }
    document.push("Ack", Node::text_value(ack.as_str()));
}

/// The messages that tell a client what breaks the rules, one per violation.
#[must_use]
pub fn violation_messages(violations: &Violations) -> Vec<Message> {
    violations
        .iter()
        .map(|v| {
            Message::new(format!("Invalid {}", v.field))
                .severity("Error")
                .described(v.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{
        ACCESS_KEY_HEADER, ACTION_HEADER, KEY_HEADER, SECRET_KEY_HEADER, USERNAME_HEADER,
    };

    use proptest::prelude::*;

    /// A JSON value as a request field might hold it, odd ones included.
    fn value() -> BoxedStrategy<String> {
        prop_oneof![
            Just("\"text\""),
            Just("\"\""),
            Just("null"),
            Just("12"),
            Just("-3"),
            Just("1.5"),
            Just("1e999"),
            Just("true"),
            Just("[]"),
            Just("[\"\", \"a\"]"),
            Just("[null, 7, \"b\"]"),
            Just("[{}]"),
            Just("[[]]"),
            Just("[[1]]"),
            Just("[{\"a\": 1}, \"c\"]"),
            Just("{}"),
            Just("{\"a\": 1}"),
            Just("\"2026-11-02 09:30:00\""),
            Just("\"0000-00-00 00:00:00\""),
            Just("\"2026-13-02 09:30:00\""),
            Just("\"Require Recontact\""),
            Just("\"Done\""),
            Just("\"jo.citizen\""),
            Just("\"12ab\""),
            Just("\"\\u00e9\\u0001\""),
            Just("\"\\ud800\""),
            Just("\"x\\\"y\""),
        ]
        .prop_map(str::to_owned)
        .boxed()
    }

    fn field() -> BoxedStrategy<String> {
        let name = prop_oneof![
            Just("LogID"),
            Just("AllocatedTo"),
            Just("FollowUpType"),
            Just("Username"),
            Just("CustomerName"),
            Just("LastContacted"),
            Just("DateRequiredFollowUp"),
            Just("Status"),
            Just("Notes"),
            Just("Other"),
        ];
        (name, value())
            .prop_map(|(name, value)| format!("\"{name}\": {value}"))
            .boxed()
    }

    fn object(fields: BoxedStrategy<String>) -> BoxedStrategy<String> {
        proptest::collection::vec(fields, 0..5)
            .prop_map(|f| format!("{{{}}}", f.join(", ")))
            .boxed()
    }

    /// One or many of `item`, or an odd value in its place.
    fn one_or_many(item: BoxedStrategy<String>) -> BoxedStrategy<String> {
        prop_oneof![
            item.clone(),
            proptest::collection::vec(prop_oneof![item, value()], 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            value(),
        ]
        .boxed()
    }

    fn body() -> BoxedStrategy<String> {
        let log = object(field());
        let logs = object(
            prop_oneof![
                one_or_many(log).prop_map(|logs| format!("\"CustomerLog\": {logs}")),
                field(),
            ]
            .boxed(),
        );
        object(
            prop_oneof![
                one_or_many(logs).prop_map(|logs| format!("\"CustomerLogs\": {logs}")),
                field(),
            ]
            .boxed(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// The straight reading of a JSON body of logs gives exactly what the
        /// tree gives, and refuses exactly what the tree refuses.
        #[test]
        fn log_requests_read_the_same_straight_and_through_the_tree(body in body(), update in any::<bool>()) {
            let json = http::HeaderValue::from_static("application/json");
            let action = if update { ActionName::UpdateCustomerLog } else { ActionName::AddCustomerLog };
            let straight = read_straight(action, Some(&json), body.as_bytes());
            let tree = Node::from_json(body.as_bytes()).ok().map(|document| {
                if update {
                    typed(&document, IncomingAction::UpdateCustomerLog)
                } else {
                    typed(&document, IncomingAction::AddCustomerLog)
                }
            });
            prop_assert_eq!(straight, tree, "{}", body);
        }
    }

    #[test]
    fn a_log_request_is_read_straight_from_json() {
        let json = http::HeaderValue::from_static("application/json");
        let body = br#"{"CustomerLogs": {"CustomerLog": [{"Username": "jo", "Notes": "n",
            "LastContacted": "2026-11-02 09:30:00", "Status": ["", "Completed"]}, ""]}}"#;
        let (action, violations) =
            read_straight(ActionName::AddCustomerLog, Some(&json), body).expect("read straight");
        let IncomingAction::AddCustomerLog(add) = action else {
            panic!("an AddCustomerLog")
        };
        assert!(violations.is_empty(), "{violations:?}");
        assert_eq!(add.logs.len(), 1);
        assert_eq!(add.logs[0].username.as_deref(), Some("jo"));
        assert_eq!(add.logs[0].notes.as_deref(), Some("n"));
        assert!(add.logs[0].last_contacted.is_some());
        // XML, GetCustomer and unreadable bodies take the tree path.
        let xml = http::HeaderValue::from_static("text/xml");
        assert!(read_straight(ActionName::AddCustomerLog, Some(&xml), b"<A/>").is_none());
        assert!(read_straight(ActionName::GetCustomer, Some(&json), b"{}").is_none());
        assert!(
            read_straight(ActionName::AddCustomerLog, Some(&json), b"{\"a\": 1e999}").is_none()
        );
        assert!(read_straight(ActionName::AddCustomerLog, Some(&json), b"[1]").is_none());
    }

    #[test]
    fn the_parsed_header_names_are_the_documented_ones() {
        for (parsed, documented) in [
            (ACTION, ACTION_HEADER),
            (USERNAME, USERNAME_HEADER),
            (KEY, KEY_HEADER),
            (ACCESS_KEY, ACCESS_KEY_HEADER),
            (SECRET_KEY, SECRET_KEY_HEADER),
        ] {
            assert_eq!(
                parsed,
                HeaderName::from_bytes(documented.as_bytes()).expect("a header name")
            );
        }
    }
}
