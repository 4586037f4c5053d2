//! [`Loopback`]: the one HTTP transport every demo client sends through. It holds
//! both backends of the `transport` crate; each step runs with one of them chosen
//! ([`on_backend`]), so the same typed clients can be driven over reqwest in one step
//! and over hyper in the next. Every exchange is written down (method, path, sizes,
//! a short excerpt of what was sent with the demo's secrets masked, the status or
//! the error, the time) for the tour to show which backend carried what.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response};
use serde::Serialize;
use transport::{
    Backend, HttpTransport, Transport, TransportBuildError, TransportConfig, TransportError,
};
use wire_core::Redactor;
use wire_core::text::excerpt;

tokio::task_local! {
    /// The backend the running step sends through.
    static BACKEND: Backend;
}

/// Runs `step` with its requests sent over `backend`.
pub(super) async fn on_backend<F: Future>(backend: Backend, step: F) -> F::Output {
    BACKEND.scope(backend, step).await
}

/// How many characters of a request body an exchange keeps.
const EXCERPT_CHARS: usize = 160;

/// `body` as shown in an excerpt: an XML document without its declaration and
/// without the line breaks and indentation between its lines, so the excerpt
/// starts with what the request says.
fn compact(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start();
    let Some(rest) = text.strip_prefix("<?xml") else {
        return body.to_vec();
    };
    let rest = rest.split_once("?>").map_or(rest, |(_, after)| after);
    rest.lines().map(str::trim).collect::<String>().into_bytes()
}

/// One request and what became of it, as the tour shows it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Exchange {
    /// The backend that carried it.
    pub(super) backend: &'static str,
    /// The HTTP method.
    pub(super) method: String,
    /// The path (the sandbox's address is the same for all).
    pub(super) path: String,
    /// The request body's size in bytes.
    pub(super) sent_bytes: usize,
    /// The start of the request body, secrets masked.
    pub(super) excerpt: String,
    /// The answer's status, when there was an answer.
    pub(super) status: Option<u16>,
    /// The answer body's size in bytes.
    pub(super) received_bytes: usize,
    /// What went wrong instead of an answer.
    pub(super) error: Option<String>,
    /// How long it took, in milliseconds.
    pub(super) ms: u64,
    /// When it was sent, in milliseconds after its step started.
    pub(super) at_ms: u64,
    /// When it was sent.
    #[serde(skip)]
    pub(super) started: Option<Instant>,
}

/// Both HTTP backends and the log of every exchange; cheap to clone (shared).
#[derive(Clone)]
pub(super) struct Loopback {
    inner: Arc<Inner>,
}

struct Inner {
    reqwest: HttpTransport,
    hyper: HttpTransport,
    log: Mutex<Vec<Exchange>>,
    redactor: Redactor,
}

impl Loopback {
    /// Both backends with the default settings (plain `http://` to loopback only);
    /// `redactor` masks the demo's secrets in the excerpts.
    pub(super) fn new(redactor: Redactor) -> Result<Self, TransportBuildError> {
        Ok(Self {
            inner: Arc::new(Inner {
                reqwest: HttpTransport::new(Backend::Reqwest, TransportConfig::default())?,
                hyper: HttpTransport::new(Backend::Hyper, TransportConfig::default())?,
                log: Mutex::new(Vec::new()),
                redactor,
            }),
        })
    }

    /// How many exchanges have happened so far.
    pub(super) fn mark(&self) -> usize {
        self.log().len()
    }

    /// The exchanges after `mark`.
    pub(super) fn since(&self, mark: usize) -> Vec<Exchange> {
        self.log().get(mark..).unwrap_or_default().to_vec()
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Vec<Exchange>> {
        self.inner
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    async fn send_on(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let Ok(backend) = BACKEND.try_with(|backend| *backend) else {
            return Err(TransportError::not_sent(
                "no backend chosen: demo requests are sent from within a step",
            ));
        };
        let transport = match backend {
            Backend::Hyper => &self.inner.hyper,
            _ => &self.inner.reqwest,
        };
        let mut exchange = Exchange {
            backend: backend.name(),
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            sent_bytes: request.body().len(),
            excerpt: excerpt(
                &compact(request.body()),
                EXCERPT_CHARS,
                &self.inner.redactor,
                &[],
            ),
            status: None,
            received_bytes: 0,
            error: None,
            ms: 0,
            at_ms: 0,
            started: None,
        };
        let start = Instant::now();
        exchange.started = Some(start);
        let result = transport.send(request).await;
        exchange.ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(response) => {
                exchange.status = Some(response.status().as_u16());
                exchange.received_bytes = response.body().len();
            }
            Err(error) => {
                exchange.error = Some(
                    self.inner
                        .redactor
                        .redact(&crate::commands::failure::chain(error))
                        .into_owned(),
                );
            }
        }
        self.log().push(exchange);
        result
    }
}

impl Transport for Loopback {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        self.send_on(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xml_body_is_shown_without_its_declaration_and_indentation() {
        let body = b"<?xml version=\"1.0\"?>\n<root>\n  <a>x y</a>\n</root>\n";
        assert_eq!(compact(body), b"<root><a>x y</a></root>");
        assert_eq!(compact(b"{\"a\": 1}"), b"{\"a\": 1}");
    }

    #[tokio::test]
    async fn a_request_outside_a_step_is_not_sent() {
        let loopback = Loopback::new(Redactor::none()).unwrap();
        let request = Request::get("http://127.0.0.1:9/")
            .body(Bytes::new())
            .unwrap();
        let error = loopback.send(request).await.unwrap_err();
        assert!(error.is_retry_safe(), "{error}");
        assert_eq!(loopback.mark(), 0);
    }
}
