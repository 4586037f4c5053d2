//! [`Replay`]: a test transport that answers from recorded exchanges.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use serde::{Deserialize, Serialize};

use crate::{Transport, TransportError};

/// One recorded request and the response to give for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// What the request must look like.
    pub request: ExpectedRequest,
    /// The answer.
    pub response: RecordedResponse,
}

/// What a request must look like to match an [`Exchange`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// The method, e.g. `"POST"` (compared case-insensitively).
    pub method: String,
    /// The path, e.g. `"/api/notes"`; when it contains `?`, the query must
    /// match too.
    pub path: String,
    /// A text the body must contain, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
}

/// The response of an [`Exchange`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// Response headers by name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body, as text.
    #[serde(default)]
    pub body: String,
}

/// Why a recording could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The file could not be read.
    #[error("cannot read replay file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a JSON list of exchanges.
    #[error("replay JSON is invalid at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An exchange holds a value HTTP does not allow.
    #[error("replay exchange {index}: {reason}")]
    InvalidExchange {
        /// 0-based position of the exchange.
        index: usize,
        /// Which field is wrong and why.
        reason: String,
    },
}

#[derive(Debug, Default)]
struct ReplayState {
    next: usize,
    received: Vec<Request<Bytes>>,
}

/// A [`Transport`] that answers from recorded [`Exchange`]s, strictly in
/// order, and keeps every request it was sent for later assertions. A
/// request that does not match the next exchange (or comes after the last
/// one) fails with [`TransportError::UnexpectedRequest`] naming what came and
/// what was expected, and does not consume the exchange.
///
/// The JSON format is a list of exchanges:
///
/// ```
/// use bytes::Bytes;
/// use transport::{Replay, Transport};
///
/// let replay = Replay::from_json_str(r#"[
///   {"request": {"method": "GET", "path": "/ping"},
///    "response": {"status": 200, "headers": {"content-type": "text/plain"}, "body": "pong"}}
/// ]"#)?;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = http::Request::get("https://example.com/ping").body(Bytes::new()).unwrap();
/// let response = replay.send(request).await.unwrap();
/// assert_eq!(response.body(), "pong");
/// assert_eq!(replay.received()[0].uri().path(), "/ping");
/// assert!(replay.is_finished());
/// # });
/// # Ok::<(), transport::ReplayError>(())
/// ```
#[derive(Debug)]
pub struct Replay {
    exchanges: Vec<Exchange>,
    state: Mutex<ReplayState>,
}

impl Replay {
    /// A replay of `exchanges`, checked for valid statuses and headers.
    pub fn new(exchanges: Vec<Exchange>) -> Result<Self, ReplayError> {
        for (index, exchange) in exchanges.iter().enumerate() {
            build_response(&exchange.response)
                .map_err(|reason| ReplayError::InvalidExchange { index, reason })?;
            Method::from_bytes(exchange.request.method.to_ascii_uppercase().as_bytes()).map_err(
                |_| ReplayError::InvalidExchange {
                    index,
                    reason: format!(
                        "request.method `{}` is not a method",
                        exchange.request.method
                    ),
                },
            )?;
        }
        Ok(Self {
            exchanges,
            state: Mutex::default(),
        })
    }

    /// Parses a JSON list of exchanges.
    pub fn from_json_str(json: &str) -> Result<Self, ReplayError> {
        let exchanges = serde_json::from_str(json).map_err(|error| ReplayError::Parse {
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })?;
        Self::new(exchanges)
    }

    /// Reads and parses a JSON file of exchanges.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ReplayError> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path).map_err(|source| ReplayError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json_str(&json)
    }

    /// The recorded exchanges.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// Every request sent so far, matched or not, in order.
    pub fn received(&self) -> Vec<Request<Bytes>> {
        self.lock().received.clone()
    }

    /// How many exchanges have not been used yet.
    pub fn remaining(&self) -> usize {
        self.exchanges.len() - self.lock().next
    }

    /// Whether every exchange has been used.
    pub fn is_finished(&self) -> bool {
        self.remaining() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReplayState> {
        // Each update is a push or an increment: a poisoned lock holds a
        // consistent state.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn answer(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let mut state = self.lock();
        let position = state.next;
        let came = describe(&request);
        let outcome = match self.exchanges.get(position) {
            None => Err(format!(
                "{came}, but all {} recorded exchanges were used",
                self.exchanges.len()
            )),
            Some(exchange) => match mismatch(&exchange.request, &request) {
                Some(what) => Err(format!(
                    "{came}, expected exchange {} of {}: {} ({what})",
                    position + 1,
                    self.exchanges.len(),
                    expectation(&exchange.request),
                )),
                None => build_response(&exchange.response)
                    .map_err(|reason| format!("recorded response is invalid: {reason}")),
            },
        };
        state.received.push(request);
        match outcome {
            Ok(response) => {
                state.next += 1;
                Ok(response)
            }
            Err(message) => Err(TransportError::UnexpectedRequest { message }),
        }
    }
}

impl Transport for Replay {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        std::future::ready(self.answer(request))
    }
}

crate::transport::forward_transport_for_ref! {
    impl for Replay;
}

/// `got POST /path` (no query: it may carry credentials).
fn describe(request: &Request<Bytes>) -> String {
    format!("got {} {}", request.method(), request.uri().path())
}

fn expectation(expected: &ExpectedRequest) -> String {
    let path = expected.path.split('?').next().unwrap_or_default();
    match &expected.body_contains {
        Some(text) => format!("{} {path} with a body containing {text:?}", expected.method),
        None => format!("{} {path}", expected.method),
    }
}

/// What differs between the expectation and the request, if anything.
fn mismatch(expected: &ExpectedRequest, request: &Request<Bytes>) -> Option<&'static str> {
    if !request
        .method()
        .as_str()
        .eq_ignore_ascii_case(&expected.method)
    {
        return Some("method differs");
    }
    let actual_path = if expected.path.contains('?') {
        request
            .uri()
            .path_and_query()
            .map_or(request.uri().path(), |path| path.as_str())
    } else {
        request.uri().path()
    };
    if actual_path != expected.path {
        return Some(if expected.path.contains('?') {
            "path or query differs"
        } else {
            "path differs"
        });
    }
    if let Some(text) = &expected.body_contains
        && !String::from_utf8_lossy(request.body()).contains(text.as_str())
    {
        return Some("body lacks the expected text");
    }
    None
}

fn build_response(recorded: &RecordedResponse) -> Result<Response<Bytes>, String> {
    let status = StatusCode::from_u16(recorded.status)
        .map_err(|_| format!("response.status {} is not an HTTP status", recorded.status))?;
    let mut response = Response::new(Bytes::from(recorded.body.clone()));
    *response.status_mut() = status;
    for (name, value) in &recorded.headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("response.headers: `{name}` is not a header name"))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            format!("response.headers.{name}: the value is not a valid header value")
        })?;
        response.headers_mut().append(header, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"[
      {"request": {"method": "post", "path": "/notes", "body_contains": "hello"},
       "response": {"status": 201, "body": "{\"id\":1}"}},
      {"request": {"method": "GET", "path": "/notes?page=2"},
       "response": {"status": 200, "headers": {"x-page": "2"}}}
    ]"#;

    fn request(method: &str, uri: &str, body: &'static str) -> Request<Bytes> {
        Request::builder()
            .method(method)
            .uri(uri)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    fn unexpected(result: Result<Response<Bytes>, TransportError>) -> String {
        match result {
            Err(TransportError::UnexpectedRequest { message }) => message,
            other => panic!("expected UnexpectedRequest, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn answers_in_order_and_records_requests() {
        let replay = Replay::from_json_str(TWO).unwrap();
        let first = replay
            .send(request("POST", "https://h/notes", "say hello"))
            .await
            .unwrap();
        assert_eq!(first.status(), 201);
        assert_eq!(first.body(), r#"{"id":1}"#);
        let second = replay
            .send(request("GET", "https://h/notes?page=2", ""))
            .await
            .unwrap();
        assert_eq!(second.headers()["x-page"], "2");
        assert!(replay.is_finished());
        let received = replay.received();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0].body(), "say hello");
    }

    #[tokio::test]
    async fn a_mismatch_names_what_came_and_what_was_expected() {
        let replay = Replay::from_json_str(TWO).unwrap();
        let message = unexpected(replay.send(request("GET", "https://h/other", "")).await);
        assert_eq!(
            message,
            "got GET /other, expected exchange 1 of 2: post /notes with a body containing \"hello\" (method differs)"
        );
        let message = unexpected(replay.send(request("POST", "https://h/notes", "bye")).await);
        assert!(
            message.ends_with("(body lacks the expected text)"),
            "{message}"
        );
        // Mismatches consume nothing but are recorded.
        assert_eq!(replay.remaining(), 2);
        assert_eq!(replay.received().len(), 2);
    }

    #[tokio::test]
    async fn queries_count_only_when_recorded_and_are_never_echoed() {
        let replay = Replay::from_json_str(TWO).unwrap();
        replay
            .send(request("POST", "https://h/notes?x=1", "hello"))
            .await
            .unwrap();
        let message = unexpected(
            replay
                .send(request("GET", "https://h/notes?page=3&key=secret", ""))
                .await,
        );
        assert!(message.contains("(path or query differs)"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }

    #[tokio::test]
    async fn running_out_of_exchanges_is_an_error() {
        let replay = Replay::new(Vec::new()).unwrap();
        let message = unexpected(replay.send(request("GET", "https://h/x", "")).await);
        assert_eq!(
            message,
            "got GET /x, but all 0 recorded exchanges were used"
        );
    }

    #[test]
    fn bad_recordings_are_refused_with_their_position() {
        let error = Replay::from_json_str("[{\"request\": {}}]").unwrap_err();
        assert!(
            matches!(error, ReplayError::Parse { line: 1, .. }),
            "{error}"
        );
        let bad_status =
            r#"[{"request": {"method": "GET", "path": "/"}, "response": {"status": 42}}]"#;
        assert_eq!(
            Replay::from_json_str(bad_status).unwrap_err().to_string(),
            "replay exchange 0: response.status 42 is not an HTTP status"
        );
        let bad_header = r#"[{"request": {"method": "GET", "path": "/"}, "response": {"status": 200, "headers": {"bad name": "v"}}}]"#;
        assert!(
            Replay::from_json_str(bad_header)
                .unwrap_err()
                .to_string()
                .contains("`bad name` is not a header name")
        );
        let bad_method =
            r#"[{"request": {"method": "GE T", "path": "/"}, "response": {"status": 200}}]"#;
        assert!(
            Replay::from_json_str(bad_method)
                .unwrap_err()
                .to_string()
                .contains("request.method `GE T`")
        );
        let missing = Replay::from_file("/nonexistent/replay.json").unwrap_err();
        assert!(matches!(missing, ReplayError::Read { .. }));
    }
}
