//! [`Replay`]: a test transport that answers from recorded exchanges.

mod matching;
mod recording;

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;
use http::{Request, Response};

pub use recording::{Exchange, ExpectedRequest, RecordedError, RecordedOutcome, RecordedResponse};

use crate::{Transport, TransportError};
use matching::{describe, expectation, mismatch};
use recording::{build_response, check};

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

/// What a [`Replay`] says about a request its recording did not expect: the
/// source of the [`InvalidRequest`](crate::ErrorKind::InvalidRequest) error
/// it returns. The message names what came (method and path, never the
/// query) and what was expected (secret header values not shown).
///
/// ```
/// use std::error::Error as _;
/// use transport::{ErrorKind, Replay, ReplayMismatch, Transport};
///
/// let replay = Replay::new(Vec::new())?;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = http::Request::get("https://crm.example.com/x?key=k").body(bytes::Bytes::new()).unwrap();
/// let error = replay.send(request).await.unwrap_err();
/// assert!(matches!(error.kind(), ErrorKind::InvalidRequest { .. }));
/// let mismatch = error.source().and_then(|s| s.downcast_ref::<ReplayMismatch>()).unwrap();
/// assert_eq!(mismatch.message(), "got GET /x, but all 0 recorded exchanges were used");
/// # });
/// # Ok::<(), transport::ReplayError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReplayMismatch {
    message: String,
}

impl ReplayMismatch {
    /// What came and what was expected.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The reason of every error a [`Replay`] returns for an unexpected request.
const UNEXPECTED: &str = "the replay recording did not expect this request";

fn unexpected(message: String) -> TransportError {
    TransportError::invalid_request(UNEXPECTED).with_source(ReplayMismatch { message })
}

#[derive(Default)]
struct ReplayState {
    next: usize,
    received: Vec<Request<Bytes>>,
}

/// A [`Transport`] that answers from recorded [`Exchange`]s, strictly in
/// order, and keeps every request it was sent for later assertions. A
/// request that does not match the next exchange (or comes after the last
/// one) fails with an [`InvalidRequest`](crate::ErrorKind::InvalidRequest)
/// error whose source, a [`ReplayMismatch`], names what came and what was
/// expected; it does not consume the exchange.
///
/// A request matches when its method, path (and query, when the recording
/// has one), the expected `headers` and the `body_contains` text match.
/// Mismatch messages never show a query string nor the value of a header
/// whose name looks secret ([`wire_core::headers::is_secret_header`]).
///
/// The JSON format is a list of exchanges; each answers with a `response`
/// (text `body`, or `body_base64` for bytes that are not UTF-8) or fails with
/// an `error` (`"not_sent"`, `"maybe_received"`, `"timeout_total"`,
/// `"timeout_connect"`, see [`RecordedError`]):
///
/// ```
/// use bytes::Bytes;
/// use transport::{Replay, Transport};
///
/// let replay = Replay::from_json_str(r#"[
///   {"request": {"method": "POST", "path": "/do/WS/NetoAPI",
///                "headers": {"NETOAPI_ACTION": "GetItem"}},
///    "error": "not_sent"},
///   {"request": {"method": "POST", "path": "/do/WS/NetoAPI",
///                "headers": {"NETOAPI_ACTION": "GetItem"}},
///    "response": {"status": 200, "headers": {"content-type": "application/json"},
///                 "body": "{\"Item\":[]}"}}
/// ]"#)?;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = || {
///     http::Request::post("https://shop.example.com/do/WS/NetoAPI")
///         .header("NETOAPI_ACTION", "GetItem")
///         .body(Bytes::new())
///         .unwrap()
/// };
/// assert!(replay.send(request()).await.unwrap_err().is_retry_safe());
/// let response = replay.send(request()).await.unwrap();
/// assert_eq!(response.body(), "{\"Item\":[]}");
/// assert_eq!(replay.received().len(), 2);
/// assert!(replay.is_finished());
/// # });
/// # Ok::<(), transport::ReplayError>(())
/// ```
///
/// `Debug` shows only counts (exchanges, used, received), never the
/// requests: they carry credentials.
pub struct Replay {
    exchanges: Vec<Exchange>,
    state: Mutex<ReplayState>,
}

impl fmt::Debug for Replay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Replay");
        debug.field("exchanges", &self.exchanges.len());
        match self.state.try_lock() {
            Ok(state) => debug
                .field("used", &state.next)
                .field("received", &state.received.len()),
            Err(_) => debug.field("state", &"<in use>"),
        };
        debug.finish()
    }
}

impl Replay {
    /// A replay of `exchanges`, checked for valid methods, statuses, headers
    /// and bodies.
    pub fn new(exchanges: Vec<Exchange>) -> Result<Self, ReplayError> {
        for (index, exchange) in exchanges.iter().enumerate() {
            check(exchange).map_err(|reason| ReplayError::InvalidExchange { index, reason })?;
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
                None => Ok(&exchange.outcome),
            },
        };
        state.received.push(request);
        match outcome {
            Ok(RecordedOutcome::Response(recorded)) => {
                let response = build_response(recorded).map_err(|reason| {
                    unexpected(format!("recorded response is invalid: {reason}"))
                })?;
                state.next += 1;
                Ok(response)
            }
            Ok(RecordedOutcome::Error(error)) => {
                state.next += 1;
                Err(error.to_transport_error())
            }
            Err(message) => Err(unexpected(message)),
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

#[cfg(test)]
mod tests;
